"""`manage.py load_demo` builds the portal around the reference article, and running it again changes nothing."""

import json
from io import StringIO

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from articles.models import ArticlePage, ChannelIndexPage
from demo.management.commands.load_demo import CONTENT

REFERENCE_SLUG = "shouhu-lvshui-qingshan-dangjian-lianmeng"

# The 相关新闻 headlines as captured in /work/shared/reference/seed-article-page.txt, top to bottom. The
# portal cut them to about 25 characters, not always the same way ("(央视" lost its bracket, "臭氧" did not).
CAPTURED_RELATED_HEADLINES = [
    "中国将逐步推进甲烷排放控制工作(人民日报)",
    "山西省秋冬季大气污染综合治理推进会召开 林武作出批",
    "联合国气候大会中国角举行主题边会倡导绿色行动(央视",
    "打好黄河生态保护治理攻坚战,这个关键词很重要",
    "山西省自然资源厅党组成员张云龙调研太原市国土绿化工",
    "科技部提出实施六大行动为助力黄河流域生态保护和高质",
    "王延峰:牢记领袖嘱托 勇担时代使命 为建设美丽山西凝",
    "山西着力打造氢能产业高地",
    "我国出台黄河保护法守护母亲河(附全文)",
    "太原市举行2022年大气污染防治百日攻坚行动发布会 臭氧",
]
# What we show: title(outlet) cut to exactly 50 columns (a Chinese character is two).
RENDERED_RELATED_HEADLINES = [
    "中国将逐步推进甲烷排放控制工作(人民日报)",
    "山西省秋冬季大气污染综合治理推进会召开 林武作出批",
    "联合国气候大会中国角举行主题边会倡导绿色行动(央视)",
    "打好黄河生态保护治理攻坚战,这个关键词很重要",
    "山西省自然资源厅党组成员张云龙调研太原市国土绿化工",
    "科技部提出实施六大行动为助力黄河流域生态保护和高质",
    "王延峰:牢记领袖嘱托 勇担时代使命 为建设美丽山西凝",
    "山西着力打造氢能产业高地",
    "我国出台黄河保护法守护母亲河(附全文)",
    "太原市举行2022年大气污染防治百日攻坚行动发布会 臭",
]


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


class LoadDemoTwiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first_output = load_demo()
        cls.counts_after_first = cls.counts()
        cls.second_output = load_demo()

    @staticmethod
    def counts():
        return {
            "channels": ChannelIndexPage.objects.count(),
            "articles": ArticlePage.objects.count(),
            "images": get_image_model().objects.count(),
            "documents": get_document_model().objects.count(),
            "users": get_user_model().objects.count(),
        }

    def test_demo_creates_four_channels_sixteen_articles_and_its_accounts(self):
        accounts = json.loads(CONTENT.read_text(encoding="utf-8"))["accounts"]
        self.assertEqual(
            self.counts_after_first,
            {"channels": 4, "articles": 16, "images": 6, "documents": 1, "users": len(accounts)},
        )
        self.assertEqual(
            set(get_user_model().objects.values_list("username", flat=True)),
            {account["username"] for account in accounts},
        )

    def test_running_the_demo_twice_leaves_one_copy_of_everything(self):
        self.assertEqual(self.counts(), self.counts_after_first)
        self.assertEqual(
            sorted(ChannelIndexPage.objects.values_list("title", flat=True)), sorted(["要闻", "科普", "资讯", "专题"])
        )
        titles = list(ArticlePage.objects.values_list("title", flat=True))
        self.assertEqual(len(titles), len(set(titles)))

    def test_second_run_does_not_add_related_links_again(self):
        reference = ArticlePage.objects.get(slug=REFERENCE_SLUG)
        self.assertEqual(reference.related_links.count(), 10)

    def test_second_run_reports_nothing_new(self):
        self.assertIn("文章:", self.first_output)
        self.assertNotIn("文章:", self.second_output)
        self.assertNotIn("栏目:", self.second_output)

    def test_demo_accounts_can_log_in(self):
        self.assertTrue(self.client.login(username="wangqiang", password="bianji-demo-2026"))

    def test_every_demo_article_page_renders(self):
        for page in ArticlePage.objects.live():
            with self.subTest(page=page.title):
                self.assertEqual(self.client.get(page.url).status_code, 200)


class ReferenceArticleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.reference = ArticlePage.objects.get(slug=REFERENCE_SLUG)

    def setUp(self):
        response = self.client.get(self.reference.url)
        self.assertEqual(response.status_code, 200)
        self.soup = BeautifulSoup(response.content, "html.parser")

    def test_reference_article_lives_in_the_yaowen_channel(self):
        self.assertEqual(self.reference.url, f"/yaowen/{REFERENCE_SLUG}/")
        self.assertEqual(
            " ".join(self.soup.select_one("nav.breadcrumb").get_text().split()), "当前的位置:网站首页 > 要闻 > 正文"
        )

    def test_reference_article_shows_title_date_and_real_source(self):
        self.assertEqual(
            self.soup.h1.get_text(), "山西省自然资源厅、省水利厅、省林草局签署共建协议 “守护绿水青山”党建联盟正式成立"
        )
        self.assertEqual(self.soup.select_one(".article-meta time").get_text(), "2021-11-10")
        self.assertEqual(
            " ".join(self.soup.select_one(".article-meta .source").get_text().split()), "来源: 山西省自然资源厅网站"
        )

    def test_reference_article_body_starts_as_captured(self):
        first = self.soup.select_one(".article-body .block-paragraph").get_text(strip=True)
        self.assertTrue(first.startswith("11月9日,山西省自然资源厅、省水利厅和省林业和草原局共同签署"))
        self.assertEqual(len(self.soup.select(".article-body .block-paragraph")), 7)

    def test_reference_article_names_wang_qiang_as_responsible_editor(self):
        self.assertEqual(self.soup.select_one(".responsible-editor").get_text(), "责任编辑:王强")

    def test_reference_article_lists_the_ten_captured_related_headlines_in_order(self):
        headlines = [h3.get_text(strip=True) for h3 in self.soup.select("section.related li h3")]
        self.assertEqual(headlines, RENDERED_RELATED_HEADLINES)
        for shown, captured in zip(headlines, CAPTURED_RELATED_HEADLINES, strict=True):
            with self.subTest(captured=captured):
                self.assertTrue(shown.startswith(captured) or captured.startswith(shown))
        self.assertIn("(人民日报)", headlines[0])
        self.assertIn("(央视)", headlines[2])

    def test_related_summaries_end_with_six_dots_and_a_more_link(self):
        first = self.soup.select_one("section.related li p")
        text = first.get_text()
        self.assertIn("......", text)
        self.assertTrue(text.strip().endswith("more>>>"))
        self.assertTrue(text.strip().startswith("习近平主席特别代表、中国气候变化事务特使解振华11月8日表示"))

    def test_reference_article_shows_the_three_promoted_items_with_channel_labels(self):
        labels = [strong.get_text(strip=True) for strong in self.soup.select("section.promoted li strong")]
        self.assertEqual(
            labels, ["【科普】甲醛治理真的有用吗", "【资讯】“掘金”垃圾堆", "【专题】万家寨水控集团:让汾河成为老"]
        )

    def test_reference_article_links_to_the_next_article_as_captured(self):
        next_line = self.soup.select_one("nav.prev-next a[rel=next]").parent.get_text()
        self.assertEqual(next_line, "下一篇:山西省自然资源厅党组书记、厅长姚青林赴山西综改示范区调研")

    def test_home_page_leads_with_the_reference_article(self):
        soup = BeautifulSoup(self.client.get("/").content, "html.parser")
        self.assertEqual(soup.select_one("section.lead-story h2").get_text(strip=True), self.reference.title)

    def test_footer_shows_the_demo_icp_number(self):
        self.assertIn("晋ICP备00000000号(演示)", self.soup.select_one("footer.site-footer").get_text())

    def test_attachment_article_offers_the_full_text_document(self):
        page = ArticlePage.objects.get(slug="huanghe-baohufa")
        soup = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        self.assertEqual(soup.select_one(".block-attachment a").get_text(), "中华人民共和国黄河保护法(全文)")
