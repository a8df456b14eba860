"""The article body: one StreamBlock reused by every page that has a body."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    """A section heading inside the article (小标题)."""

    text = blocks.CharBlock(label="标题", max_length=120)
    size = blocks.ChoiceBlock(label="级别", choices=[("h2", "二级标题"), ("h3", "三级标题")], default="h2")

    class Meta:
        icon = "title"
        label = "小标题"
        template = "blocks/heading.html"
        preview_value = {"text": "守护绿水青山", "size": "h2"}


class LabelledImageBlock(ImageBlock):
    """Wagtail's ImageBlock with its chooser labelled 图片 (Wagtail names it after its field: "Image")."""

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        self.child_blocks["image"].label = "图片"


class CaptionedImageBlock(blocks.StructBlock):
    """A photo with its alt text (from Wagtail's ImageBlock), a caption and an optional credit."""

    image = LabelledImageBlock(label="图片")
    caption = blocks.CharBlock(label="图片说明", required=False, max_length=300)
    credit = blocks.CharBlock(label="摄影", required=False, max_length=100)

    class Meta:
        icon = "image"
        label = "图片"
        template = "blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    """A pulled quotation with who said it."""

    text = blocks.TextBlock(label="引文")
    attribution = blocks.CharBlock(label="出处", required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = "引用"
        template = "blocks/quote.html"
        preview_value = {"text": "绿水青山就是金山银山。", "attribution": "习近平"}


class MediaBlock(blocks.StructBlock):
    """An embedded video or audio from an oEmbed provider, with a caption."""

    embed = EmbedBlock(label="媒体地址", help_text="视频或音频页面的网址")
    caption = blocks.CharBlock(label="说明", required=False, max_length=300)

    class Meta:
        icon = "media"
        label = "视频/音频"
        template = "blocks/media.html"


class TableWithCaptionBlock(blocks.StructBlock):
    """A data table (first row as header by default) with a caption."""

    table = TableBlock(label="表格")
    caption = blocks.CharBlock(label="表格标题", required=False, max_length=200)

    class Meta:
        icon = "table"
        label = "表格"
        template = "blocks/table.html"


class AttachmentBlock(blocks.StructBlock):
    """A downloadable document, such as the full text (附全文) of a law or plan."""

    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(label="显示名称", required=False, max_length=200, help_text="留空时使用文件标题")

    class Meta:
        icon = "doc-full"
        label = "附件"
        template = "blocks/attachment.html"


class ArticleBodyBlock(blocks.StreamBlock):
    """Everything an article body may hold, in the order the reporter arranges it."""

    paragraph = blocks.RichTextBlock(
        label="正文段落",
        features=PARAGRAPH_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph.html",
        preview_value="<p>11月9日,山西省自然资源厅、省水利厅和省林业和草原局共同签署党建联盟共建协议。</p>",
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    media = MediaBlock()
    table = TableWithCaptionBlock()
    attachment = AttachmentBlock()
