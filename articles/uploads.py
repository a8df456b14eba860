"""Document uploads whose content must match their extension (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).

Wagtail checks a document's extension against ``WAGTAILDOCS_EXTENSIONS`` and its size against
``WAGTAILDOCS_MAX_UPLOAD_SIZE``, but not what the file really is: ``setup.exe`` renamed ``通知.pdf`` would be
stored and offered to readers. This form reads the first bytes of a new upload and refuses an executable
(Windows, Linux, macOS or a script) under any name, and any file whose content is not of the kind its
extension names. Images need nothing extra: Wagtail's image field already opens every upload with Willow
and refuses one whose format does not match its extension.
"""

import codecs
import os

import filetype
from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

HEAD_SIZE = 8192  # as much as filetype reads to recognise a format

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")  # Word 97–2003, Excel, PowerPoint compound file
EXECUTABLE_SIGNATURES = {
    b"MZ": "Windows 可执行程序",
    b"\x7fELF": "Linux 可执行程序",
    b"\xfe\xed\xfa\xce": "macOS 可执行程序",
    b"\xfe\xed\xfa\xcf": "macOS 可执行程序",
    b"\xce\xfa\xed\xfe": "macOS 可执行程序",
    b"\xcf\xfa\xed\xfe": "macOS 可执行程序",
    b"\xca\xfe\xba\xbe": "macOS 或 Java 可执行程序",
    b"#!": "脚本程序",
}
KIND_NAMES = {
    "pdf": "PDF",
    "doc": "Word 97–2003 文档",
    "docx": "Word 文档",
    "xls": "Excel 97–2003 表格",
    "xlsx": "Excel 表格",
    "ppt": "PowerPoint 97–2003 演示文稿",
    "pptx": "PowerPoint 演示文稿",
    "odt": "OpenDocument 文档",
    "ods": "OpenDocument 表格",
    "odp": "OpenDocument 演示文稿",
    "txt": "纯文本",
    "csv": "CSV 表格",
    "zip": "ZIP 压缩包",
}
# Zipped office formats that filetype tells apart: a .docx that is really an .xlsx is refused too. When
# filetype sees only a ZIP (an unusual entry order), the ZIP signature is enough.
ZIPPED_OFFICE = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
TEXT_ENCODINGS = ("utf-8", "gb18030")


def _is_pdf(head):
    # The PDF header may follow a little junk, which readers accept within the first kilobyte.
    return b"%PDF-" in head[:1024]


def _is_zip(head):
    return head.startswith(ZIP_SIGNATURES)


def _is_ole2(head):
    return head.startswith(OLE2_SIGNATURE)


def _is_text(head):
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            # The head may end inside a multi-byte character: decode incrementally, without the final flush.
            codecs.getincrementaldecoder(encoding)().decode(head)
        except UnicodeDecodeError:
            continue
        return True
    return False


CONTAINER_CHECKS = {
    "pdf": _is_pdf,
    "doc": _is_ole2,
    "xls": _is_ole2,
    "ppt": _is_ole2,
    "docx": _is_zip,
    "xlsx": _is_zip,
    "pptx": _is_zip,
    "odt": _is_zip,
    "zip": _is_zip,
    "txt": _is_text,
    "csv": _is_text,
}


def read_head(uploaded):
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(HEAD_SIZE)
    uploaded.seek(position)
    return head


def describe(head):
    """What the bytes look like, in words for the error message."""
    for signature, name in EXECUTABLE_SIGNATURES.items():
        if head.startswith(signature):
            return name
    kind = filetype.guess(head)
    if kind is not None:
        return KIND_NAMES.get(kind.extension, f"{kind.extension.upper()} 文件")
    return "无法识别的二进制文件" if not _is_text(head) else "纯文本"


def check_document_content(name, head):
    """Raise ValidationError when a document's first bytes are not of the kind its extension names."""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    for signature, kind_name in EXECUTABLE_SIGNATURES.items():
        if head.startswith(signature):
            raise ValidationError(
                "“%(name)s”实际是%(kind)s,不能作为附件上传。",
                code="executable_document",
                params={"name": name, "kind": kind_name},
            )
    expected = KIND_NAMES.get(extension)
    check = CONTAINER_CHECKS.get(extension)
    mismatched = check is not None and not check(head)
    guessed = filetype.guess(head)
    if not mismatched and guessed is not None and guessed.extension != extension:
        if extension in ("pdf", "txt", "csv"):
            mismatched = True  # a recognised binary format (an image, an archive) under a text or PDF name
        elif extension in ZIPPED_OFFICE:
            mismatched = guessed.extension in ZIPPED_OFFICE
    if mismatched:
        raise ValidationError(
            "“%(name)s”的内容是%(actual)s,与扩展名 .%(extension)s(%(expected)s)不符,请上传真正的%(expected)s文件。",
            code="document_content_mismatch",
            params={"name": name, "actual": describe(head), "extension": extension, "expected": expected},
        )


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing uploads whose content does not match their extension."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_document_content(os.path.basename(uploaded.name), read_head(uploaded))
        return uploaded
