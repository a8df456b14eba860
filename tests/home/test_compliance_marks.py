"""The footer carries the government and compliance marks filled in 站点设置: 网站标识码, ICP, 公安机关备案号
with its link, 党政机关标识 and a 联系我们/纠错 link. Each shows only when filled, and a change shows at once on
cached pages."""

from io import StringIO

from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client, TestCase
from wagtail.models import Site

from home.models import SiteSettings
from tests import factories
from tests.pagecache.helpers import fresh_caches, page_cache_on

POLICE_NUMBER = "晋公网安备 14010502000123号"
POLICE_QUERY = "https://beian.mps.gov.cn/#/query/webSearch?code=14010502000123"


def site_settings():
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


def fill(**fields):
    settings = site_settings()
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()


class FooterMarksTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.article = factories.article(cls.channel, "汾河湿地保护")

    def footer(self, url="/"):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser").select_one("footer.site-footer")

    def test_no_mark_shows_while_none_is_filled(self):
        fill(icp_number="", site_identifier="", police_record_number="", contact_url="", government_mark_url="")

        text = self.footer().get_text()

        for word in ["网站标识码", "公网安备", "联系我们", "党政机关", "ICP"]:
            self.assertNotIn(word, text)
        self.assertIsNone(self.footer().select_one(".compliance-marks"))

    def test_filled_marks_show_in_the_footer_of_every_page(self):
        fill(site_identifier="1401000012", icp_number="晋ICP备12345678号", police_record_number=POLICE_NUMBER)

        for url in ["/", self.channel.url, self.article.url]:
            with self.subTest(url=url):
                marks = self.footer(url).select_one(".compliance-marks")
                self.assertIn("网站标识码:1401000012", marks.get_text())
                self.assertEqual(marks.find("a", string="晋ICP备12345678号")["href"], "https://beian.miit.gov.cn/")
                self.assertEqual(marks.find("a", string=POLICE_NUMBER)["href"], POLICE_QUERY)

    def test_only_the_filled_marks_show(self):
        fill(site_identifier="", icp_number="", police_record_number=POLICE_NUMBER)

        marks = self.footer().select_one(".compliance-marks")

        self.assertEqual(" ".join(marks.get_text().split()), POLICE_NUMBER)

    def test_police_record_links_to_the_address_given_instead_of_the_query(self):
        fill(police_record_number=POLICE_NUMBER, police_record_url="https://beian.mps.gov.cn/#/query/websearch?code=1")

        link = self.footer().find("a", string=POLICE_NUMBER)

        self.assertEqual(link["href"], "https://beian.mps.gov.cn/#/query/websearch?code=1")

    def test_police_record_without_digits_or_link_shows_as_text(self):
        fill(police_record_number="公安机关备案审核中", police_record_url="")

        footer = self.footer()

        self.assertIn("公安机关备案审核中", footer.get_text())
        self.assertIsNone(footer.find("a", string="公安机关备案审核中"))

    def test_government_mark_shows_its_image_linked_to_its_verification_page(self):
        fill(
            government_mark_image=factories.image("党政机关标识", size=(110, 55), colour=(200, 20, 20)),
            government_mark_url="https://bszs.conac.cn/sitename?method=show&id=0000000000",
        )

        mark = self.footer().select_one(".government-mark")

        link = mark.find("a")
        self.assertEqual(link["href"], "https://bszs.conac.cn/sitename?method=show&id=0000000000")
        image = link.find("img")
        self.assertEqual(image["alt"], "党政机关网站标识")
        self.assertEqual(image["height"], "48")

    def test_government_mark_link_without_an_image_shows_as_a_text_link(self):
        fill(government_mark_image=None, government_mark_url="https://bszs.conac.cn/sitename?method=show&id=1")

        link = self.footer().select_one(".government-mark a")

        self.assertEqual(link.get_text(), "党政机关网站标识")

    def test_contact_link_shows_as_contact_and_corrections(self):
        fill(contact_url="mailto:jiucuo@example.cn")

        link = self.footer().find("a", string="联系我们/纠错")

        self.assertEqual(link["href"], "mailto:jiucuo@example.cn")


ADMIN_FORM = {
    "site_name": "生态山西",
    "slogan": "美丽中国,我们是行动者!",
    "footer_text": "",
    "icp_number": "晋ICP备12345678号",
    "site_identifier": "1401000012",
    "police_record_number": POLICE_NUMBER,
    "police_record_url": "",
    "government_mark_image": "",
    "government_mark_url": "",
    "contact_url": "",
    "weibo_url": "",
    "qzone_url": "",
}


@page_cache_on()
class ComplianceMarksInTheAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.article = factories.article(cls.channel, "汾河湿地保护")
        cls.admin = factories.user("admin", is_superuser=True, is_staff=True)

    def setUp(self):
        fresh_caches()
        self.editor = Client()
        self.editor.force_login(self.admin)
        self.url = f"/admin/settings/home/sitesettings/{Site.objects.get(is_default_site=True).pk}/"

    def test_settings_screen_offers_each_mark_in_chinese(self):
        response = self.editor.get(self.url)

        self.assertEqual(response.status_code, 200)
        for label in [
            "备案与标识",
            "网站标识码",
            "公安机关备案号",
            "公安机关备案链接",
            "党政机关标识",
            "联系我们/纠错链接",
        ]:
            self.assertContains(response, label)

    def test_marks_saved_in_the_admin_show_at_once_on_cached_pages(self):
        reader = Client()
        for url in ["/", self.article.url]:
            reader.get(url)
            self.assertEqual(reader.get(url).get("X-Page-Cache"), "hit", url)

        response = self.editor.post(self.url, {**ADMIN_FORM, "contact_url": "/jiucuo/"})

        self.assertEqual(response.status_code, 302)
        for url in ["/", self.article.url]:
            page = reader.get(url).content.decode()
            self.assertIn("网站标识码:1401000012", page, url)
            self.assertIn(f'href="{POLICE_QUERY}"', page.replace("&amp;", "&"), url)
            self.assertIn('<a href="/jiucuo/">联系我们/纠错</a>', page, url)

    def test_contact_link_accepts_a_web_address_a_site_address_or_an_email(self):
        for value in ["https://www.example.cn/contact/", "/jiucuo/", "mailto:jiucuo@example.cn"]:
            with self.subTest(value=value):
                response = self.editor.post(self.url, {**ADMIN_FORM, "contact_url": value})
                self.assertEqual(response.status_code, 302)
                self.assertEqual(site_settings().contact_url, value)

    def test_contact_link_refuses_script_and_says_what_it_takes(self):
        for value in ["javascript:alert(1)", "//evil.example/", "mailto:不是邮箱"]:
            with self.subTest(value=value):
                response = self.editor.post(self.url, {**ADMIN_FORM, "contact_url": value})
                self.assertEqual(response.status_code, 200)
                self.assertNotEqual(site_settings().contact_url, value)
                self.assertTrue(
                    "以 https:// 开头的网址" in response.content.decode()
                    or "有效的邮箱地址" in response.content.decode()
                )


class DemoMarksTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def test_demo_portal_shows_its_identifier_police_record_and_contact_link(self):
        footer = BeautifulSoup(self.client.get("/").content, "html.parser").select_one("footer.site-footer")

        text = " ".join(footer.get_text().split())
        self.assertIn("网站标识码:", text)
        self.assertIn("晋ICP备", text)
        police = footer.select_one("a.police-record")
        self.assertIn("晋公网安备", police.get_text())
        self.assertTrue(police["href"].startswith("https://beian.mps.gov.cn/#/query/webSearch?code=14"))
        self.assertTrue(footer.find("a", string="联系我们/纠错")["href"].startswith("mailto:"))
