"""更正: an editor corrects a live article with a 更正说明, which readers see only after the review approves it."""

import csv
import io
import json
import re

from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from articles.models import ArticleCorrection, ArticlePage
from newsroom.withdrawal import withdraw
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase, form_errors

WRONG = "汾河湿地面积达到三千公顷。"
RIGHT = "汾河湿地面积达到三百公顷。"
NOTE = "原文称湿地面积三千公顷,有误,应为三百公顷。"


class CorrectionTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = factories.article(
            cls.kepu,
            "汾河湿地保护成效显著",
            "2022-05-01 09:00",
            slug="fenhe-shidi",
            body=factories.paragraphs(WRONG),
            responsible_editor=cls.editor,
        )

    def correct(self, person, note=NOTE, text=RIGHT, editor=None):
        response = self.edit(
            person,
            self.article,
            title=self.article.title,
            text=f"<p>{text}</p>",
            editor=editor or self.editor,
            correction_note=note,
        )
        self.assertEqual(response.status_code, 302, form_errors(response))

    def approve(self, reviewer=None):
        self.workflow_action(reviewer or self.editor, self.article, "approve")
        article = self.refreshed(self.article)
        self.assertEqual(article.live_revision_id, article.latest_revision_id, "the approval did not publish")

    def reader(self, url):
        return Client().get(url)

    def corrected(self):
        self.correct(self.chief)
        self.approve()
        return self.refreshed(self.article)

    def test_correction_reaches_readers_only_after_review(self):
        self.reader(self.article.url)  # the reader's page is now in the page cache
        self.correct(self.chief)
        response = self.reader(self.article.url)
        self.assertContains(response, WRONG)
        self.assertNotContains(response, NOTE)
        self.assertFalse(ArticleCorrection.objects.filter(page=self.article).exists())

        self.approve()
        response = self.reader(self.article.url)
        self.assertContains(response, RIGHT)
        box = BeautifulSoup(response.content, "html.parser").select_one("section.corrections")
        self.assertIsNotNone(box, "the corrected article shows no 更正说明 box")
        self.assertIn(NOTE, box.get_text())
        self.assertRegex(box.get_text(), r"\d{4}年\d{1,2}月\d{1,2}日")

    def test_saving_the_draft_again_keeps_one_note_and_the_box_shows_it(self):
        """An autosave, 保存草稿 and 提交 each save the box: the note is the draft's one pending note."""
        for action in ("", "", "action-submit"):
            response = self.edit(
                self.chief,
                self.article,
                action=action,
                title=self.article.title,
                text=f"<p>{RIGHT}</p>",
                editor=self.editor,
                correction_note=NOTE,
            )
            self.assertEqual(response.status_code, 302, form_errors(response))
        editor = self.as_user(self.chief).get(self.edit_url(self.article))
        box = BeautifulSoup(editor.content, "html.parser").select_one("textarea[name=correction_note]")
        self.assertEqual(box.get_text(strip=True), NOTE)
        self.approve()
        self.assertEqual(
            list(ArticleCorrection.objects.filter(page=self.article).values_list("note", flat=True)), [NOTE]
        )
        self.assertEqual(self.reader("/corrections/").content.decode().count(NOTE), 1)

    def test_emptying_the_box_drops_the_pending_note(self):
        for action, note in (("", NOTE), ("action-submit", "")):
            form = {"title": self.article.title, "text": f"<p>{RIGHT}</p>", "editor": self.editor}
            response = self.edit(self.chief, self.article, action=action, correction_note=note, **form)
            self.assertEqual(response.status_code, 302, form_errors(response))
        self.approve()
        self.assertContains(self.reader(self.article.url), RIGHT)
        self.assertFalse(ArticleCorrection.objects.filter(page=self.article).exists())

    def test_corrections_stack_newest_first_and_keep_their_dates(self):
        first = self.corrected()
        first_date = ArticleCorrection.objects.get(page=first).published_at
        self.correct(self.chief, note="第二次更正:照片说明中的地名应为“太原”。", text=RIGHT + "补充")
        self.approve()
        notes = list(ArticleCorrection.objects.filter(page=first).values_list("note", "published_at"))
        self.assertEqual([note for note, _ in notes], ["第二次更正:照片说明中的地名应为“太原”。", NOTE])
        self.assertEqual(notes[1][1], first_date)
        self.assertGreater(notes[0][1], first_date)
        text = (
            BeautifulSoup(self.reader(first.url).content, "html.parser").select_one("section.corrections").get_text()
        )
        self.assertLess(text.index("第二次更正"), text.index(NOTE))

    def test_feeds_carry_the_corrected_item_with_its_note(self):
        self.corrected()
        for url in ("/rss/", "/kepu/feed/"):
            with self.subTest(url):
                content = self.reader(url).content.decode()
                self.assertIn(NOTE, content)
                self.assertIn("三百公顷", content)
                self.assertNotIn(WRONG, content)

    def test_sitemap_lastmod_moves_with_the_correction(self):
        def lastmod():
            content = self.reader("/sitemap.xml").content.decode()
            entry = re.search(r"<url><loc>[^<]*/kepu/fenhe-shidi/</loc><lastmod>([^<]+)</lastmod>", content)
            self.assertIsNotNone(entry, content)
            return entry.group(1)

        ArticlePage.objects.filter(pk=self.article.pk).update(last_published_at=factories.when("2022-05-01"))
        before = lastmod()
        self.assertEqual(before, "2022-05-01")
        article = self.corrected()
        self.assertNotEqual(lastmod(), before)
        self.assertEqual(lastmod(), timezone.localtime(article.last_published_at).strftime("%Y-%m-%d"))

    def test_corrections_list_and_its_feed_link_the_corrected_article(self):
        untouched = factories.article(self.kepu, "未更正的文章", "2022-05-02", slug="untouched")
        article = self.corrected()
        response = self.reader(reverse("corrections"))
        self.assertContains(response, NOTE)
        self.assertContains(response, f'href="{article.url}#correction-')
        self.assertNotContains(response, untouched.title)
        self.assertContains(response, reverse("corrections_feed"))
        feed = self.reader(reverse("corrections_feed"))
        self.assertEqual(feed["Content-Type"].split(";")[0], "application/rss+xml")
        self.assertContains(feed, f"更正:{article.title}")
        self.assertContains(feed, NOTE)
        self.assertContains(feed, f"{article.url}#correction-")

    def test_corrections_list_is_newest_first_and_paginated(self):
        articles = [
            factories.article(self.kepu, f"更正列表文章{n}", "2022-04-01", slug=f"list-{n}") for n in range(22)
        ]
        for n, article in enumerate(articles):
            ArticleCorrection.objects.create(
                page=article, note=f"第{n}条更正", published_at=factories.when(f"2022-06-{n + 1:02d}")
            )
        first = self.reader(reverse("corrections")).content.decode()
        self.assertLess(first.index("第21条更正"), first.index("第20条更正"))
        self.assertNotIn("第0条更正", first)
        self.assertIn('rel="next"', first)
        self.assertIn("第0条更正", self.reader(reverse("corrections") + "?page=2").content.decode())

    def test_json_ld_has_the_correction(self):
        article = self.corrected()
        soup = BeautifulSoup(self.reader(article.url).content, "html.parser")
        data = json.loads(soup.find("script", type="application/ld+json").string)
        self.assertEqual(data["correction"][0]["@type"], "CorrectionComment")
        self.assertEqual(data["correction"][0]["text"], NOTE)
        self.assertTrue(data["correction"][0]["datePublished"].startswith(str(article.last_published_at.year)))

    def test_the_publication_records_export_lists_the_note_with_the_corrected_revision(self):
        self.corrected()
        response = self.as_user(self.chief).get(reverse("newsroom_publication_records"), {"export": "csv"})
        content = b"".join(response.streaming_content).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
        notes = [row["更正说明"] for row in rows if row["稿件编号"] == str(self.article.pk)]
        self.assertEqual(notes[0], NOTE, "the newest record is the corrected revision's")
        self.assertEqual(notes[1:], [""] * (len(notes) - 1))

    def test_page_history_records_the_published_note(self):
        self.corrected()
        entry = PageLogEntry.objects.get(page=self.article, action="newsroom.correction_published")
        self.assertEqual(entry.data["note"], NOTE)
        history = self.as_user(self.chief).get(reverse("wagtailadmin_pages:history", args=(self.article.pk,)))
        self.assertContains(history, NOTE)

    def test_responsible_editor_corrects_an_article_of_their_own(self):
        own = factories.article(self.kepu, "编辑自己的已发布稿件", "2022-05-03", slug="own", owner=self.editor)
        response = self.edit(self.editor, own, title=own.title, editor=self.other_editor, correction_note=NOTE)
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.workflow_action(self.other_editor, own, "approve")
        self.assertTrue(ArticleCorrection.objects.filter(page=own, note=NOTE).exclude(published_at=None).exists())

    def test_named_responsible_editor_corrects_the_live_article_through_review(self):
        # 王强 is named on the article but neither wrote it nor has it under review.
        editor_page = self.as_user(self.editor).get(self.edit_url(self.article))
        self.assertEqual(editor_page.status_code, 200)
        self.assertContains(editor_page, 'name="correction_note"')
        self.correct(self.editor, editor=self.other_editor)
        self.assertNotContains(self.reader(self.article.url), NOTE)

        self.approve(self.other_editor)
        self.assertContains(self.reader(self.article.url), NOTE)

    def test_the_channel_list_offers_the_named_responsible_editor_the_live_article_to_edit(self):
        explore = reverse("wagtailadmin_explore", args=(self.kepu.pk,))
        edit = self.edit_url(self.article)
        self.assertContains(self.as_user(self.editor).get(explore), f'href="{edit}"')
        self.assertNotContains(self.as_user(self.other_editor).get(explore), f'href="{edit}"')

    def test_other_responsible_editors_and_reporters_cannot_edit_a_live_article_they_are_not_named_on(self):
        for person in (self.other_editor, self.other_reporter):
            with self.subTest(person=person.username):
                response = self.as_user(person).get(self.edit_url(self.article))
                self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_a_reporter_named_as_responsible_editor_still_cannot_correct(self):
        # An archive import may name anyone; the 更正 right is the editors', not the name's.
        named = factories.article(
            self.kepu, "导入的旧稿件", "2022-05-04", slug="imported", responsible_editor=self.reporter
        )
        response = self.as_user(self.reporter).get(self.edit_url(named))
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_named_responsible_editor_cannot_edit_the_article_once_withdrawn(self):
        withdraw(self.refreshed(self.article), self.chief, "数据有误")
        response = self.as_user(self.editor).get(self.edit_url(self.article))
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_reporter_gets_no_correction_box_and_cannot_add_a_note(self):
        mine = factories.article(self.kepu, "记者自己的已发布稿件", "2022-05-03", slug="mine", owner=self.reporter)
        editor_page = self.as_user(self.reporter).get(self.edit_url(mine))
        self.assertEqual(editor_page.status_code, 200)
        self.assertNotContains(editor_page, 'name="correction_note"')
        self.assertContains(self.as_user(self.chief).get(self.edit_url(mine)), 'name="correction_note"')
        response = self.edit(self.reporter, mine, title=mine.title, editor=self.editor, correction_note=NOTE)
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.workflow_action(self.editor, mine, "approve")
        self.assertFalse(ArticleCorrection.objects.filter(page=mine).exists())

    def test_reporter_edit_of_a_live_article_does_not_reach_readers_without_review(self):
        mine = factories.article(self.kepu, "记者稿件甲", "2022-05-03", slug="mine-a", owner=self.reporter)
        self.edit(self.reporter, mine, title="记者稿件甲改", editor=self.editor)
        self.assertContains(self.reader(mine.url), "记者稿件甲")
        self.assertNotContains(self.reader(mine.url), "记者稿件甲改")

    def test_a_copy_of_a_corrected_article_starts_without_its_corrections(self):
        article = self.corrected()
        url = reverse("wagtailadmin_pages:copy", args=(article.pk,))
        data = {"new_title": "副本:" + article.title, "new_slug": "fenhe-shidi-copy", "new_parent_page": self.kepu.pk}
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.as_user(self.chief).post(url, data).status_code, 302)
        copy = ArticlePage.objects.get(slug="fenhe-shidi-copy")
        self.assertFalse(ArticleCorrection.objects.filter(page=copy).exists())
        self.assertEqual(copy.get_latest_revision().as_object().corrections.count(), 0)
        editor_page = self.as_user(self.chief).get(self.edit_url(copy))
        self.assertNotContains(editor_page, NOTE)
        # The original keeps its note.
        self.assertTrue(ArticleCorrection.objects.filter(page=article, note=NOTE).exists())

    def test_draft_article_offers_no_correction_box(self):
        draft = factories.article(self.kepu, "尚未发布的稿件", publish=False, slug="draft-x")
        self.assertNotContains(self.as_user(self.chief).get(self.edit_url(draft)), 'name="correction_note"')
