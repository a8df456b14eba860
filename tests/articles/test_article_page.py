"""The article page shows every part of the reference page (see /work/shared/reference/page-anatomy.md)."""

from urllib.parse import quote

from bs4 import BeautifulSoup
from django.test import TestCase

from tests import factories


def text_of(node):
    """The text a reader sees in an element, with runs of whitespace shown as one space."""
    return " ".join(node.get_text().split())


class ArticlePageAnatomyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        kepu = factories.channel("科普", slug="kepu")
        cls.editor = factories.user("wangqiang", first_name="王强")
        cls.photo = factories.image("汾河湿地")
        cls.pdf = factories.document("中华人民共和国黄河保护法(全文)", name="huanghe.pdf")
        cls.related = factories.article(
            cls.yaowen,
            "中国将逐步推进甲烷排放控制工作",
            "2022-11-09 08:00",
            source_name="人民日报",
            summary="习近平主席特别代表、中国气候变化事务特使解振华11月8日表示,现阶段,中国控制甲烷排放的关键是夯实基础能力。",
        )
        cls.promoted = factories.article(
            kepu, "甲醛治理真的有用吗", "2022-10-20 09:00", cover_image=factories.image("甲醛")
        )
        cls.article = factories.article(
            cls.yaowen,
            "“守护绿水青山”党建联盟正式成立",
            "2021-11-10 09:30",
            source_name="山西省自然资源厅网站",
            responsible_editor=cls.editor,
            related=[cls.related],
            body=factories.body(
                {"type": "paragraph", "value": "<p>11月9日,三家单位共同签署共建协议。</p>"},
                {"type": "heading", "value": {"text": "联盟的目标", "size": "h2"}},
                {"type": "quote", "value": {"text": "绿水青山就是金山银山。", "attribution": "习近平"}},
                {
                    "type": "table",
                    "value": {
                        "table": {
                            "data": [["指标", "2021年"], ["PM2.5(微克/立方米)", "37"]],
                            "first_row_is_table_header": True,
                            "first_col_is_header": False,
                        },
                        "caption": "空气质量",
                    },
                },
                {
                    "type": "image",
                    "value": {
                        "image": {"image": cls.photo.pk, "alt_text": "汾河岸边的湿地", "decorative": False},
                        "caption": "汾河太原段湿地公园",
                        "credit": "李明",
                    },
                },
                {"type": "attachment", "value": {"document": cls.pdf.pk, "title": ""}},
            ),
        )
        cls.next_article = factories.article(
            cls.yaowen, "山西省自然资源厅党组书记、厅长姚青林赴山西综改示范区调研", "2021-11-11 10:00"
        )

    def setUp(self):
        self.response = self.client.get(self.article.url)
        self.assertEqual(self.response.status_code, 200)
        self.soup = BeautifulSoup(self.response.content, "html.parser")

    def test_breadcrumb_leads_from_home_through_the_channel_to_the_article(self):
        breadcrumb = self.soup.select_one("nav.breadcrumb")
        self.assertIn("网站首页 > 要闻 > 正文", text_of(breadcrumb))
        links = {a.get_text(): a["href"] for a in breadcrumb.find_all("a")}
        self.assertEqual(links, {"网站首页": "/", "要闻": "/yaowen/"})

    def test_title_is_the_only_h1_and_the_window_title_names_the_site(self):
        self.assertEqual([text_of(h1) for h1 in self.soup.find_all("h1")], ["“守护绿水青山”党建联盟正式成立"])
        self.assertEqual(self.soup.title.get_text(), "“守护绿水青山”党建联盟正式成立 - 生态山西")

    def test_date_is_shown_as_year_month_day(self):
        self.assertEqual(self.soup.select_one(".article-meta time").get_text(), "2021-11-10")

    def test_source_names_the_originating_outlet(self):
        self.assertEqual(text_of(self.soup.select_one(".article-meta .source")), "来源: 山西省自然资源厅网站")

    def test_weibo_and_qzone_share_links_carry_the_encoded_page_url(self):
        encoded = quote(self.article.full_url, safe="")
        self.assertTrue(encoded.startswith("http%3A%2F%2F"))
        weibo = self.soup.select_one("a.share-weibo")
        qzone = self.soup.select_one("a.share-qzone")
        self.assertEqual(weibo.get_text(), "微博")
        self.assertEqual(qzone.get_text(), "Qzone")
        self.assertTrue(weibo["href"].startswith("https://service.weibo.com/share/share.php?"))
        self.assertTrue(qzone["href"].startswith("https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?"))
        self.assertIn(f"url={encoded}&", weibo["href"])
        self.assertIn(f"url={encoded}&", qzone["href"])

    def test_paragraph_block_shows_its_text(self):
        self.assertEqual(
            text_of(self.soup.select_one(".article-body .block-paragraph")), "11月9日,三家单位共同签署共建协议。"
        )

    def test_heading_block_is_a_section_heading(self):
        self.assertEqual(text_of(self.soup.select_one(".article-body h2.block-heading")), "联盟的目标")

    def test_quote_block_shows_the_words_and_who_said_them(self):
        quote_block = self.soup.select_one(".article-body .block-quote")
        self.assertEqual(text_of(quote_block.blockquote), "绿水青山就是金山银山。")
        self.assertEqual(text_of(quote_block.figcaption), "—— 习近平")

    def test_table_block_shows_header_and_cells(self):
        table = self.soup.select_one(".article-body .block-table table")
        self.assertEqual([text_of(th) for th in table.select("thead th")], ["指标", "2021年"])
        self.assertEqual([text_of(td) for td in table.select("tbody td")], ["PM2.5(微克/立方米)", "37"])
        self.assertEqual(text_of(self.soup.select_one(".block-table > figcaption")), "空气质量")

    def test_image_block_shows_picture_with_alt_text_and_caption(self):
        figure = self.soup.select_one(".article-body .block-image")
        self.assertEqual(figure.img["alt"], "汾河岸边的湿地")
        self.assertEqual(text_of(figure.figcaption), "汾河太原段湿地公园 (摄影:李明)")

    def test_attachment_block_links_to_the_document_with_its_title(self):
        attachment = self.soup.select_one(".article-body .block-attachment")
        link = attachment.a
        self.assertEqual(link.get_text(), "中华人民共和国黄河保护法(全文)")
        self.assertEqual(link["href"], self.pdf.url)
        self.assertIn("PDF", text_of(attachment))

    def test_article_page_shows_responsible_editor_full_name(self):
        self.assertEqual(text_of(self.soup.select_one(".responsible-editor")), "责任编辑:王强")

    def test_related_news_lists_outlet_summary_and_more_link(self):
        section = self.soup.select_one("section.related")
        self.assertEqual(text_of(section.h2), "相关新闻")
        first = section.select("li")[0]
        self.assertEqual(text_of(first.h3), "中国将逐步推进甲烷排放控制工作(人民日报)")
        self.assertEqual(first.h3.a["href"], self.related.url)
        self.assertIn("解振华11月8日表示", text_of(first.p))
        more = first.select_one("a.more")
        self.assertEqual(more.get_text(), "more>>>")
        self.assertEqual(more["href"], self.related.url)

    def test_promoted_items_are_labelled_with_their_channel(self):
        promoted = self.soup.select_one("section.promoted")
        labels = [text_of(item) for item in promoted.select("li strong")]
        self.assertIn("【科普】甲醛治理真的有用吗", labels)
        self.assertIsNotNone(promoted.select_one("li img"))

    def test_next_article_is_named_with_a_link(self):
        link = self.soup.select_one("nav.prev-next a[rel=next]")
        self.assertEqual(text_of(link.parent), "下一篇:山西省自然资源厅党组书记、厅长姚青林赴山西综改示范区调研")
        self.assertEqual(link["href"], self.next_article.url)

    def test_rss_feed_is_advertised_for_autodiscovery(self):
        link = self.soup.find("link", rel="alternate", type="application/rss+xml")
        self.assertEqual(link["href"], "/rss/")


class ResponsibleEditorNameTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")

    def responsible_editor_line(self, page):
        soup = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        return text_of(soup.select_one(".responsible-editor"))

    def test_responsible_editor_without_a_name_is_shown_by_username(self):
        editor = factories.user("zhaoli")
        page = factories.article(self.channel, responsible_editor=editor)
        self.assertEqual(self.responsible_editor_line(page), "责任编辑:zhaoli")

    def test_responsible_editor_with_only_spaces_as_name_is_shown_by_username(self):
        editor = factories.user("zhaoli", first_name=" ", last_name=" ")
        page = factories.article(self.channel, responsible_editor=editor)
        self.assertEqual(self.responsible_editor_line(page), "责任编辑:zhaoli")

    def test_original_article_credits_the_site_as_source(self):
        page = factories.article(self.channel, source_name="")
        soup = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        self.assertEqual(text_of(soup.select_one(".article-meta .source")), "来源: 生态山西")

    def test_source_with_a_link_points_to_the_original(self):
        page = factories.article(self.channel, source_name="人民日报", source_url="https://www.people.com.cn/")
        soup = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        link = soup.select_one(".article-meta .source a")
        self.assertEqual((link.get_text(), link["href"]), ("人民日报", "https://www.people.com.cn/"))


class SummaryTextTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")

    def test_summary_text_is_the_editors_summary_when_given(self):
        page = factories.article(self.channel, summary="  编辑写的摘要。  ", body=factories.paragraphs("正文开头。"))
        self.assertEqual(page.summary_text, "编辑写的摘要。")

    def test_summary_text_falls_back_to_the_body_paragraphs(self):
        page = factories.article(
            self.channel,
            summary="",
            body=factories.body(
                {"type": "heading", "value": {"text": "小标题不算", "size": "h2"}},
                {"type": "paragraph", "value": "<p>第一段 &amp; <b>加粗</b>。</p>"},
                {"type": "paragraph", "value": "<p>第二段。</p>"},
            ),
        )
        self.assertEqual(page.summary_text, "第一段 & 加粗。 第二段。")

    def test_related_item_without_summary_shows_the_opening_of_its_body(self):
        other = factories.article(
            self.channel, "无摘要的文章", "2022-01-02", summary="", body=factories.paragraphs("正文的开头一句话。")
        )
        page = factories.article(self.channel, "主文章", "2022-01-01", related=[other])
        soup = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        self.assertEqual(text_of(soup.select_one("section.related li p")), "正文的开头一句话。 more>>>")

    def test_long_summary_is_cut_with_six_dots_in_related_news(self):
        other = factories.article(self.channel, "长摘要", "2022-01-02", summary="环" * 200)
        page = factories.article(self.channel, "主文章", "2022-01-01", related=[other])
        soup = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        excerpt = text_of(soup.select_one("section.related li p")).removesuffix(" more>>>")
        self.assertEqual(excerpt, "环" * 120 + "......")

    def test_page_description_falls_back_to_the_summary_text(self):
        page = factories.article(self.channel, summary="", body=factories.paragraphs("描述来自正文。"))
        soup = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        self.assertEqual(soup.find("meta", attrs={"name": "description"})["content"], "描述来自正文。")
