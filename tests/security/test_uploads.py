"""Uploads through the admin, as a reporter: only real documents and images of allowed types and sizes."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from articles.uploads import check_document_content
from tests.newsroom.helpers import NewsroomTestCase
from tests.security.markup import injected_markup

Document = get_document_model()
Image = get_image_model()

WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program cannot be run in DOS mode"
)
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (10, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def gif_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (10, 120, 40)).save(buffer, format="GIF")
    return buffer.getvalue()


def office_zip(kind):
    """A minimal Office Open XML package: docx (word/), xlsx (xl/) or pptx (ppt/)."""
    folder = {"docx": "word", "xlsx": "xl", "pptx": "ppt"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        package.writestr(f"{folder}/document.xml", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("说明.txt", "附件说明")
    return buffer.getvalue()


class DocumentUploadTests(NewsroomTestCase):
    def upload(self, name, content, url_name="wagtaildocs:add"):
        client = self.as_user(self.reporter)
        data = {"title": name, "collection": Collection.get_first_root_node().pk, "tags": ""}
        return client.post(reverse(url_name), {**data, "file": SimpleUploadedFile(name, content)})

    def assert_accepted(self, name, content):
        before = Document.objects.count()
        response = self.upload(name, content)
        self.assertEqual(response.status_code, 302, response.content.decode()[-2000:])
        self.assertEqual(Document.objects.count(), before + 1)

    def assert_refused(self, name, content, message):
        before = Document.objects.count()
        response = self.upload(name, content)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertEqual(Document.objects.count(), before)
        return response

    def test_real_documents_of_each_allowed_kind_are_accepted(self):
        files = {
            "通知.pdf": PDF,
            "报告.docx": office_zip("docx"),
            "数据.xlsx": office_zip("xlsx"),
            "讲稿.pptx": office_zip("pptx"),
            "旧报告.doc": OLE2,
            "旧数据.xls": OLE2,
            "资料.zip": plain_zip(),
            "说明.txt": "山西省生态环境厅通知\n第二行".encode(),
            "说明-国标.txt": "山西省生态环境厅通知".encode("gb18030"),
            "数据.csv": "城市,空气质量\n太原,良\n".encode(),
        }
        for name, content in files.items():
            with self.subTest(name):
                self.assert_accepted(name, content)

    def test_renamed_windows_executable_is_refused_with_a_clear_message(self):
        for name in ("通知.pdf", "报告.docx", "说明.txt", "资料.zip", "旧报告.doc"):
            with self.subTest(name):
                self.assert_refused(name, WINDOWS_EXE, f"“{name}”实际是Windows 可执行程序,不能作为附件上传。")

    def test_renamed_linux_executable_and_script_are_refused(self):
        self.assert_refused("报告.pdf", LINUX_ELF, "实际是Linux 可执行程序")
        self.assert_refused("安装说明.txt", b"#!/bin/sh\nrm -rf /\n", "实际是脚本程序")

    def test_file_whose_content_does_not_match_its_extension_is_refused(self):
        cases = [
            ("照片.pdf", png_bytes(), "与扩展名 .pdf(PDF)不符"),
            ("照片.txt", png_bytes(), "与扩展名 .txt(纯文本)不符"),
            ("表格.docx", office_zip("xlsx"), "的内容是Excel 表格,与扩展名 .docx(Word 文档)不符"),
            ("报告.docx", PDF, "与扩展名 .docx(Word 文档)不符"),
            ("旧报告.doc", PDF, "与扩展名 .doc(Word 97–2003 文档)不符"),
            ("资料.zip", PDF, "与扩展名 .zip(ZIP 压缩包)不符"),
            ("数据.csv", b"\x00\x01\x02binary\x00", "与扩展名 .csv(CSV 表格)不符"),
        ]
        for name, content, message in cases:
            with self.subTest(name):
                self.assert_refused(name, content, message)

    def test_disallowed_extension_is_refused(self):
        for name in ("setup.exe", "page.html", "image.svg", "run.sh"):
            with self.subTest(name):
                response = self.upload(name, b"anything")
                self.assertEqual(response.status_code, 200)
                self.assertFalse(Document.objects.filter(title=name).exists())
                self.assertIn("允许的扩展为", str(response.context["form"].errors["file"]))

    @override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
    def test_document_over_the_size_limit_is_refused(self):
        response = self.upload("大文件.pdf", PDF + b"0" * 2048)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Document.objects.filter(title="大文件.pdf").exists())
        self.assertContains(response, "1.0")  # the limit, in the message "…最大 1.0 KB"

    def test_multiple_uploader_refuses_a_renamed_executable(self):
        client = self.as_user(self.reporter)
        response = client.post(
            reverse("wagtaildocs:add_multiple"),
            {
                "files[]": SimpleUploadedFile("通知.pdf", WINDOWS_EXE),
                "collection": Collection.get_first_root_node().pk,
            },
        )
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertFalse(data["success"])
        self.assertIn("实际是Windows 可执行程序", data["error_message"])
        self.assertFalse(Document.objects.exists())

    def test_error_message_escapes_a_hostile_file_name(self):
        name = '"><img src=x onerror=alert(1)>.pdf'
        response = self.assert_refused(name, WINDOWS_EXE, "Windows 可执行程序")
        self.assertEqual(injected_markup(response.content.decode(), allow_inline_scripts=True), [])

    def test_replacing_a_documents_file_is_checked_too(self):
        self.assert_accepted("通知.pdf", PDF)
        document = Document.objects.get()
        response = self.as_user(self.chief).post(
            reverse("wagtaildocs:edit", args=(document.pk,)),
            {
                "title": "通知",
                "collection": document.collection_id,
                "tags": "",
                "file": SimpleUploadedFile("通知.pdf", WINDOWS_EXE),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "实际是Windows 可执行程序")
        document.refresh_from_db()
        with document.file.open() as stored:
            self.assertTrue(stored.read().startswith(b"%PDF"))

    def test_content_check_reads_only_the_head(self):
        check_document_content("大.pdf", PDF[:20])  # no exception: a valid head is enough


class ImageUploadTests(NewsroomTestCase):
    def upload(self, name, content):
        client = self.as_user(self.reporter)
        return client.post(
            reverse("wagtailimages:add"),
            {
                "title": name,
                "collection": Collection.get_first_root_node().pk,
                "tags": "",
                "file": SimpleUploadedFile(name, content),
            },
        )

    def test_real_image_is_accepted(self):
        response = self.upload("照片.png", png_bytes())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Image.objects.count(), 1)

    def test_renamed_executable_and_mismatched_images_are_refused(self):
        for name, content in (("照片.png", WINDOWS_EXE), ("照片.jpg", LINUX_ELF), ("动图.png", gif_bytes())):
            with self.subTest(name):
                response = self.upload(name, content)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors["file"])
                self.assertEqual(Image.objects.count(), 0)

    def test_disallowed_image_type_is_refused(self):
        response = self.upload("图标.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["file"])
        self.assertEqual(Image.objects.count(), 0)

    @override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=100)
    def test_image_over_the_size_limit_is_refused(self):
        response = self.upload("大照片.png", png_bytes((200, 200)))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["file"])
        self.assertEqual(Image.objects.count(), 0)
