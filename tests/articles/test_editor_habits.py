"""The article editor follows the newsroom's habits: 写稿 from the dashboard, the byline and the responsible
editor offered as a newsroom expects, back to the article after submitting, pinyin addresses and 字数."""

from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import SimpleTestCase
from wagtail.models import GroupPagePermission, Page

from articles.models import ArticlePage
from articles.wordcount import WORD_PATTERN, article_word_count, count_words
from newsroom.slugs import SLUG_MAX_LENGTH, pinyin_slug
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase, article_form, form_errors, member

WRITE_URL = "/admin/newsroom/write/"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def tab_text(html, label):
    """The text of the editor tab with this label (设置, 推荐…)."""
    tab = next(tab for tab in html.find_all(attrs={"role": "tab"}) if label in tab.get_text())
    return html.find(id=tab["href"].removeprefix("#")).get_text(" ", strip=True)


def option_labels(response, name):
    select = soup(response).find("select", attrs={"name": name})
    return [option.get_text(strip=True) for option in select.find_all("option") if option.get("value")]


class WordCountRuleTests(SimpleTestCase):
    def test_each_chinese_character_counts_one(self):
        self.assertEqual(count_words("汾河湿地"), 4)

    def test_a_run_of_latin_letters_or_digits_counts_one_word(self):
        self.assertEqual(count_words("PM2.5 浓度下降 COP27 大会 3000 只"), 1 + 4 + 1 + 2 + 1 + 1)

    def test_punctuation_and_spaces_are_not_counted(self):
        self.assertEqual(count_words("“湿地”,保护! ——  。"), 4)

    def test_full_width_letters_and_digits_count_like_half_width_ones(self):
        self.assertEqual(count_words("２０２２年ＰＭ"), count_words("2022年 PM"))

    def test_rare_characters_outside_the_basic_block_count(self):
        self.assertEqual(count_words("𠀀〇㐀"), 3)

    def test_the_pattern_the_browser_gets_has_no_python_only_syntax(self):
        # The editor's script builds a JavaScript RegExp from this pattern.
        self.assertNotRegex(WORD_PATTERN, r"\(\?P<|\(\?[aiLmsux]|\\[AZ]")


class PinyinSlugTests(SimpleTestCase):
    def test_chinese_title_becomes_pinyin_words_like_the_demo_addresses(self):
        self.assertEqual(pinyin_slug("汾河流域湿地保护取得新成效"), "fenhe-liuyu-shidi-baohu-qude-xin-chengxiao")

    def test_u_umlaut_is_written_v_as_in_the_demo(self):
        self.assertIn("lvshui", pinyin_slug("守护绿水青山"))

    def test_latin_words_and_digits_are_kept_in_lower_case(self):
        self.assertEqual(pinyin_slug("COP27中国角"), "cop27-zhongguo-jiao")

    def test_punctuation_and_full_width_forms_leave_only_ascii(self):
        slug = pinyin_slug("“掘金”垃圾堆:ＰＭ２.５治理!")
        self.assertRegex(slug, r"^[a-z0-9]+(-[a-z0-9]+)*$")
        self.assertIn("juejin", slug)

    def test_a_long_title_is_cut_at_a_word_boundary(self):
        title = "山西省自然资源厅省水利厅省林业和草原局签署共建协议守护绿水青山党建联盟正式成立"
        slug = pinyin_slug(title)
        self.assertLessEqual(len(slug), SLUG_MAX_LENGTH)
        self.assertTrue(pinyin_slug(title, max_length=500).startswith(slug + "-"))


class EditorHabitsTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.nameless = member("nameless", "", "记者")

    def create_form(self, person, channel=None):
        return self.as_user(person).get(self.create_url(channel or self.kepu))

    # 写稿 from the dashboard.

    def test_dashboard_has_a_write_button_that_asks_for_the_channel(self):
        dashboard = soup(self.as_user(self.reporter).get("/admin/"))
        button = next((a for a in dashboard.find_all("a") if a.get_text(strip=True) == "写稿"), None)
        self.assertIsNotNone(button, "no 写稿 button on the dashboard")
        self.assertEqual(button["href"], WRITE_URL)

        page = self.as_user(self.reporter).get(WRITE_URL)
        self.assertContains(page, "选择栏目")
        links = {a.get_text(strip=True): a["href"] for a in soup(page).select("main a.button")}
        self.assertEqual(links["要闻"], self.create_url(self.yaowen))
        self.assertEqual(links["科普"], self.create_url(self.kepu))
        self.assertContains(page, "要闻两级审核流程")

    def test_write_goes_straight_to_the_form_when_only_one_channel_is_open_to_the_writer(self):
        group = Group.objects.create(name="科普通讯员")
        group.permissions.add(*Group.objects.get(name="记者").permissions.all())
        add_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="add_page")
        GroupPagePermission.objects.create(group=group, page=self.kepu, permission=add_page)
        correspondent = member("tongxunyuan", "孙悦")
        correspondent.groups.add(group)
        response = self.as_user(correspondent).get(WRITE_URL)
        self.assertRedirects(response, self.create_url(self.kepu), fetch_redirect_response=False)

    def test_someone_who_may_write_nowhere_gets_no_write_button(self):
        visitor = member("visitor", "访客")
        visitor.user_permissions.add(*Group.objects.get(name="记者").permissions.all())
        self.assertNotContains(self.as_user(visitor).get("/admin/"), WRITE_URL)
        self.assertRedirects(self.as_user(visitor).get(WRITE_URL), "/admin/", fetch_redirect_response=False)

    # 记者 and 责任编辑 as the newsroom fills them in.

    def test_new_article_is_signed_with_the_writers_name(self):
        form = self.create_form(self.reporter).context["form"]
        self.assertEqual(form["byline"].value(), "李明")

    def test_byline_stays_editable_and_a_typed_one_is_kept(self):
        response, page = self.create(self.reporter, editor=self.editor, byline="李明 周洁")
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertEqual(page.byline, "李明 周洁")

    def test_byline_is_left_empty_for_someone_without_a_name(self):
        self.assertFalse(self.create_form(self.nameless).context["form"]["byline"].value())

    def test_editing_an_article_keeps_its_own_byline(self):
        page = self.submitted(byline="周洁")
        response = self.as_user(self.chief).get(self.edit_url(page))
        self.assertEqual(response.context["form"]["byline"].value(), "周洁")

    def test_only_responsible_editors_are_offered_not_chief_editors(self):
        labels = option_labels(self.create_form(self.reporter), "responsible_editor")
        self.assertIn("王强(wangqiang)", labels)
        self.assertIn("赵丽(zhaoli)", labels)
        self.assertIn("刘军(liujun)", labels)  # a chief editor who is also a responsible editor
        self.assertNotIn("陈华(chenhua)", labels)
        self.assertNotIn("李明(reporter)", labels)

    def test_an_editor_writing_is_not_offered_as_their_own_responsible_editor(self):
        labels = option_labels(self.create_form(self.editor), "responsible_editor")
        self.assertNotIn("王强(wangqiang)", labels)
        self.assertIn("赵丽(zhaoli)", labels)

    def test_a_past_choice_stays_offered_after_that_person_changed_role(self):
        page = self.submitted(editor=self.other_editor)
        self.other_editor.groups.clear()
        labels = option_labels(self.as_user(self.reporter).get(self.edit_url(page)), "responsible_editor")
        self.assertIn("赵丽(zhaoli)", labels)

    # The legacy 责任编辑(姓名) field.

    def imported(self, editor_name="张三"):
        return factories.article(self.kepu, title="旧系统导入的稿件", editor_name=editor_name, legacy_id="old-7")

    def test_reporters_and_editors_do_not_get_the_legacy_editor_name_field(self):
        for person in (self.reporter, self.editor):
            with self.subTest(person.username):
                self.assertNotIn("editor_name", self.create_form(person).context["form"].fields)

    def test_chief_editor_can_correct_an_imported_editor_name(self):
        page = self.imported()
        response = self.as_user(self.chief).get(self.edit_url(page))
        self.assertEqual(response.context["form"]["editor_name"].value(), "张三")
        self.assertEqual(len(soup(response).find_all(attrs={"name": "editor_name"})), 1)

    def test_an_imported_editor_name_is_shown_read_only_to_others_and_a_post_cannot_change_it(self):
        page = self.imported()
        page.owner = self.reporter
        page.save(update_fields=["owner"])
        html = soup(self.as_user(self.reporter).get(self.edit_url(page)))
        self.assertIsNone(html.find(attrs={"name": "editor_name"}))
        settings_tab = tab_text(html, "设置")
        self.assertIn("责任编辑(姓名)", settings_tab)
        self.assertIn("张三", settings_tab)
        self.edit(self.reporter, page, action=None, editor=self.editor, editor_name="李四")
        self.assertEqual(self.refreshed(page).get_latest_revision_as_object().editor_name, "张三")

    def test_no_read_only_editor_name_line_without_an_imported_name(self):
        response = self.create_form(self.reporter)
        self.assertNotContains(response, "责任编辑(姓名)")

    # Back to the article after submitting.

    def test_submitting_a_new_article_lands_on_its_editor_with_the_confirmation(self):
        response, page = self.create(self.reporter, editor=self.editor)
        self.assertRedirects(response, self.edit_url(page), fetch_redirect_response=False)
        messages = [str(message) for message in response.wsgi_request._messages]
        self.assertTrue(any("提交" in message for message in messages), messages)

    def test_resubmitting_after_changes_lands_back_on_the_article(self):
        page = self.submitted()
        self.workflow_action(self.editor, page, "reject", comment="请补充数据。")
        response = self.edit(self.reporter, page, editor=self.editor, text="<p>补充了监测数据。</p>")
        self.assertRedirects(response, self.edit_url(page), fetch_redirect_response=False)
        self.assertEqual(self.task_state(page).status, "in_progress")

    def test_submitting_keeps_a_next_address_for_the_way_back(self):
        url = self.create_url(self.kepu) + "?next=/admin/"
        before = set(ArticlePage.objects.values_list("pk", flat=True))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.as_user(self.reporter).post(url, article_form(editor=self.editor))
        page = ArticlePage.objects.exclude(pk__in=before).get()
        self.assertEqual(urlsplit(response["Location"]).path, self.edit_url(page))
        self.assertIn("next=%2Fadmin%2F", response["Location"])

    def test_saving_a_draft_still_stays_on_the_article(self):
        response, page = self.create(self.reporter, action=None, editor=self.editor)
        self.assertRedirects(response, self.edit_url(page), fetch_redirect_response=False)

    # Readable addresses.

    def test_the_chinese_slug_the_editor_script_fills_in_becomes_pinyin(self):
        title = "汾河流域湿地保护取得新成效"
        response, page = self.create(self.reporter, editor=self.editor, title=title, slug=title)
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertEqual(page.slug, "fenhe-liuyu-shidi-baohu-qude-xin-chengxiao")
        self.assertEqual(page.url_path, f"{self.kepu.url_path}{page.slug}/")

    def test_an_empty_slug_is_made_from_the_title(self):
        data = article_form(title="守护绿水青山", editor=self.editor)
        data["slug"] = ""
        with self.captureOnCommitCallbacks(execute=True):
            response = self.as_user(self.reporter).post(self.create_url(self.kepu), data)
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertEqual(ArticlePage.objects.get(title="守护绿水青山").slug, "shouhu-lvshuiqingshan")

    def test_a_slug_the_reporter_typed_is_kept(self):
        _, page = self.create(self.reporter, editor=self.editor, title="守护绿水青山", slug="lvshui-qingshan")
        self.assertEqual(page.slug, "lvshui-qingshan")

    def test_same_title_twice_in_one_channel_gets_a_numbered_address(self):
        _, first = self.create(self.reporter, editor=self.editor, title="湿地保护", slug="湿地保护")
        _, second = self.create(self.reporter, editor=self.editor, title="湿地保护", slug="湿地保护")
        _, elsewhere = self.create(self.reporter, self.yaowen, editor=self.editor, title="湿地保护", slug="湿地保护")
        self.assertEqual([first.slug, second.slug, elsewhere.slug], ["shidi-baohu", "shidi-baohu-2", "shidi-baohu"])

    def test_an_existing_chinese_address_is_left_alone_when_the_article_is_edited(self):
        page = factories.article(self.kepu, title="旧稿件", slug="旧稿件", publish=False, owner=self.reporter)
        self.edit(self.reporter, page, action=None, editor=self.editor, title="旧稿件")
        self.assertEqual(Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object().slug, "旧稿件")

    # 字数.

    def test_editor_shows_the_word_count_of_title_summary_and_body(self):
        page = factories.article(
            self.kepu,
            title="湿地保护",
            summary="候鸟增加",
            body=factories.body(
                {"type": "paragraph", "value": "<p>监测到PM2.5下降。</p><p>COP27<br/>大会</p>"},
                {"type": "heading", "value": {"text": "湿地面积", "size": "h2"}},
                {"type": "quote", "value": {"text": "绿水青山", "attribution": "不计出处"}},
            ),
            publish=False,
            owner=self.reporter,
        )
        expected = 4 + 4 + (3 + 1 + 2) + (1 + 2) + 4 + 4
        self.assertEqual(article_word_count(page), expected)
        response = self.as_user(self.reporter).get(self.edit_url(page))
        counter = soup(response).find(attrs={"data-word-count": True})
        self.assertEqual(counter.find(attrs={"data-word-count-value": True}).get_text(), str(expected))
        self.assertIn("汉字每字计1", counter.get_text())
        self.assertIn("articles/word_count.js", response.content.decode())

    def test_new_article_starts_at_zero_words(self):
        counter = soup(self.create_form(self.reporter)).find(attrs={"data-word-count-value": True})
        self.assertEqual(counter.get_text(), "0")
