"""发稿单: every published revision of an article keeps who wrote, checked and approved exactly which text."""

import csv
import hashlib
import io
import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset

from articles.models import ArticlePage
from newsroom import records
from newsroom.models import PublicationRecord, ReviewDecision
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase

WARNED_TEXT = "<p>黄河流域生态保护再接再励，取得新进展。</p>"


class TwoStageRecordTests(NewsroomTestCase):
    """A 要闻 article through both stages: 王强 (责任编辑审核) then 陈华 (总编辑终审)."""

    def approve(self, person, page, comment):
        page = ArticlePage.objects.get(pk=page.pk)
        task_state = page.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
        with self.captureOnCommitCallbacks(execute=True):
            return self.as_user(person).post(url, {"comment": comment, "acknowledged": "on"})

    def published_yaowen_article(self):
        page = self.submitted(
            self.yaowen, editor=self.editor, title="汾河湿地候鸟数量创新高", text=WARNED_TEXT, slug="fenhe-houniao"
        )
        self.workflow_action(self.editor, page, "reject", comment="请补充监测数据来源。")
        self.edit(self.reporter, page, title="汾河湿地候鸟数量创新高", editor=self.editor, text=WARNED_TEXT)
        self.approve(self.editor, page, "数据已核实。")
        self.approve(self.chief, page, "同意发布。")
        page = self.refreshed(page)
        self.assertTrue(page.live)
        return page

    def test_the_record_names_the_drafter_every_stage_and_what_each_reviewer_decided(self):
        page = self.published_yaowen_article()
        record = PublicationRecord.objects.get(page_id=page.pk)

        self.assertEqual(record.revision_id, page.live_revision_id)
        self.assertEqual(record.page_title, "汾河湿地候鸟数量创新高")
        self.assertEqual(record.channel_title, "要闻")
        self.assertEqual(record.drafter_name, "李明")
        self.assertEqual(record.workflow_name, "要闻两级审核流程")
        self.assertEqual(
            [(stage["task"], stage["reviewer"], stage["decision_label"], stage["comment"]) for stage in record.stages],
            [
                ("责任编辑审核", "王强", "退回修改", "请补充监测数据来源。"),
                ("责任编辑审核", "王强", "审核通过", "数据已核实。"),
                ("总编辑终审", "陈华", "审核通过", "同意发布。"),
            ],
        )
        self.assertTrue(all(stage["decided_at"] for stage in record.stages))

    def test_the_record_keeps_the_content_checks_and_who_ticked_checked(self):
        page = self.published_yaowen_article()
        record = PublicationRecord.objects.get(page_id=page.pk)

        by_stage = {check["stage"]: check for check in record.checks}
        self.assertEqual(set(by_stage), {"责任编辑审核", "总编辑终审"})
        self.assertEqual(by_stage["责任编辑审核"]["acknowledged_by"], "王强")
        self.assertEqual(by_stage["总编辑终审"]["acknowledged_by"], "陈华")
        self.assertEqual([finding["text"] for finding in by_stage["总编辑终审"]["findings"]], ["再接再励"])

    def test_each_approval_keeps_the_text_the_reviewer_approved(self):
        page = self.published_yaowen_article()
        record = PublicationRecord.objects.get(page_id=page.pk)

        approvals = [stage for stage in record.stages if stage["decision"] == "approved"]
        for stage in approvals:
            self.assertEqual(stage["revision_id"], page.live_revision_id)
            # A first publication: the whole text shows as added.
            self.assertIn("〔+汾河湿地候鸟数量创新高+〕", stage["changes"])
            self.assertIn("再接再励", stage["changes"])

    def test_what_was_approved_names_the_responsible_editor_by_name_not_username(self):
        page = self.published_yaowen_article()
        changes = PublicationRecord.objects.get(page_id=page.pk).stages[-1]["changes"]
        self.assertIn("〔+王强+〕", changes)
        self.assertNotIn("wangqiang", changes)

    def test_the_record_hashes_the_published_revision(self):
        page = self.published_yaowen_article()
        record = PublicationRecord.objects.get(page_id=page.pk)

        content = page.live_revision.content
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        self.assertEqual(record.content_hash, hashlib.sha256(canonical.encode()).hexdigest())

    def test_every_decision_is_kept_as_it_was_taken(self):
        page = self.published_yaowen_article()
        decisions = ReviewDecision.objects.filter(page_id=page.pk).order_by("decided_at", "pk")
        self.assertEqual(
            [(decision.decided_by_name, decision.decision) for decision in decisions],
            [("王强", "rejected"), ("王强", "approved"), ("陈华", "approved")],
        )

    def test_a_correction_is_compared_with_the_version_readers_saw(self):
        page = self.published_yaowen_article()
        self.edit(self.reporter, page, title="汾河湿地候鸟数量再创新高", editor=self.editor, text=WARNED_TEXT)
        self.approve(self.editor, page, "")
        self.approve(self.chief, page, "")
        records = PublicationRecord.objects.filter(page_id=page.pk).order_by("pk")
        self.assertEqual(records.count(), 2)
        changes = records.last().stages[-1]["changes"]
        self.assertIn("〔-汾河湿地候鸟数量创新高-〕〔+汾河湿地候鸟数量再创新高+〕", changes)

    def test_related_news_chosen_by_the_reporter_is_part_of_what_was_approved(self):
        related = factories.article(self.kepu, title="科普:湿地是地球之肾", slug="shidi")
        page = self.submitted(
            self.kepu,
            editor=self.editor,
            title="汾河湿地迎来越冬候鸟",
            related_links=inline_formset([{"related_page": related.pk}]),
        )
        self.approve(self.editor, page, "")
        self.assertTrue(self.refreshed(page).live)
        changes = PublicationRecord.objects.get(page_id=page.pk).stages[-1]["changes"]
        self.assertIn("【相关新闻】\n〔+科普:湿地是地球之肾+〕", changes)


class CorrectionRecordTests(NewsroomTestCase):
    """A 更正 of a live 科普 article: its 发稿单 carries the 更正说明 that went live with it."""

    NOTE = "原文称湿地面积三千公顷,有误,应为三百公顷。"

    def setUp(self):
        self.page = factories.article(
            self.kepu, "汾河湿地保护成效显著", "2022-05-01 09:00", slug="fenhe-shidi", responsible_editor=self.editor
        )

    def correct(self, note, text):
        response = self.edit(
            self.chief, self.page, title=self.page.title, editor=self.editor, text=text, correction_note=note
        )
        self.assertEqual(response.status_code, 302)
        self.workflow_action(self.editor, self.page, "approve")
        page = self.refreshed(self.page)
        self.assertEqual(page.live_revision_id, page.latest_revision_id, "the approval did not publish")
        return PublicationRecord.objects.get(revision_id=page.live_revision_id)

    def test_the_record_of_a_correction_carries_its_note_and_date(self):
        record = self.correct(self.NOTE, "<p>汾河湿地面积达到三百公顷。</p>")
        self.assertEqual([item["note"] for item in record.corrections], [self.NOTE])
        self.assertEqual(
            record.corrections[0]["published_at"], records._iso(self.refreshed(self.page).last_published_at)
        )
        self.assertEqual(PublicationRecord.objects.filter(page_id=self.page.pk).order_by("pk").first().corrections, [])

    def test_a_later_record_carries_only_the_note_that_went_live_with_it(self):
        self.correct(self.NOTE, "<p>汾河湿地面积达到三百公顷。</p>")
        record = self.correct("第二次更正:照片说明中的地名应为“太原”。", "<p>汾河湿地面积达到三百公顷。太原</p>")
        self.assertEqual([item["note"] for item in record.corrections], ["第二次更正:照片说明中的地名应为“太原”。"])
        # An edit without a note carries none.
        self.assertEqual(self.correct("", "<p>汾河湿地面积达到三百公顷。另有补充。</p>").corrections, [])

    def test_the_printable_record_shows_the_note(self):
        record = self.correct(self.NOTE, "<p>汾河湿地面积达到三百公顷。</p>")
        response = self.as_user(self.chief).get(reverse("newsroom_publication_record", args=(record.pk,)))
        self.assertContains(response, "更正说明")
        self.assertContains(response, self.NOTE)
        first = PublicationRecord.objects.filter(page_id=self.page.pk).order_by("pk").first()
        self.assertNotContains(
            self.as_user(self.chief).get(reverse("newsroom_publication_record", args=(first.pk,))), "<h2>更正说明</h2>"
        )


class UnreviewedRecordTests(NewsroomTestCase):
    def test_an_imported_article_gets_a_record_naming_why_it_skipped_review(self):
        page = factories.article(self.kepu, title="旧稿:太原植树节", slug="taiyuan-zhishujie")
        record = PublicationRecord.objects.get(page_id=page.pk)
        self.assertEqual(record.stages, [])
        self.assertEqual(record.unreviewed_reason, "测试数据")
        self.assertEqual(record.channel_title, "科普")


class RecordScreensTests(NewsroomTestCase):
    """The printable record, its PDF, the chief editors' list with CSV, and who may see them."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kepu_article = factories.article(
            cls.kepu, title="科普:湿地是地球之肾", date="2023-05-01 09:00", slug="shidi"
        )

    def setUp(self):
        page = self.submitted(self.yaowen, editor=self.editor, title="汾河湿地候鸟数量创新高", slug="fenhe-houniao")
        self.workflow_action(self.editor, page, "approve", comment="数据已核实。")
        self.workflow_action(self.chief, page, "approve", comment="同意发布。")
        self.page = self.refreshed(page)
        self.record = PublicationRecord.objects.get(page_id=self.page.pk)

    def record_url(self, name="newsroom_publication_record", record=None):
        return reverse(name, args=((record or self.record).pk,))

    def test_the_printable_record_shows_everyone_involved_and_prints_without_the_toolbar(self):
        response = self.as_user(self.chief).get(self.record_url())
        self.assertEqual(response.status_code, 200)
        for text in ("发稿单", "汾河湿地候鸟数量创新高", "李明", "王强", "陈华", "数据已核实。", "同意发布。"):
            self.assertContains(response, text)
        self.assertContains(response, self.record.content_hash)
        self.assertContains(response, "@media print")

    def test_the_pdf_export_opens_and_names_the_people_and_the_article(self):
        response = self.as_user(self.editor).get(self.record_url("newsroom_publication_record_pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        for name in ("李明", "王强", "陈华", "汾河湿地候鸟数量创新高", self.record.content_hash[:16]):
            self.assertIn(name, text.replace("\n", ""))
        self.assertNotIn("下载 PDF", text)  # the screen's toolbar is not printed

    def test_the_csv_export_opens_in_excel_with_the_names(self):
        response = self.as_user(self.chief).get(reverse("newsroom_publication_records"), {"export": "csv"})
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content).decode("utf-8")
        self.assertTrue(content.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
        self.assertEqual(rows[0][:4], ["发稿单编号", "发布时间", "栏目", "标题"])
        row = next(row for row in rows if row[3] == "汾河湿地候鸟数量创新高")
        self.assertEqual(row[7], "李明")
        self.assertIn("王强 审核通过", row[9])
        self.assertIn("陈华 审核通过", row[9])
        self.assertIn("同意发布。", row[9])
        self.assertEqual(row[6], self.record.content_hash)
        self.assertIn("科普:湿地是地球之肾", content)

    def test_the_list_filters_by_channel_and_date(self):
        url = reverse("newsroom_publication_records")
        by_channel = self.as_user(self.chief).get(url, {"channel": self.kepu.pk, "export": "csv"})
        content = b"".join(by_channel.streaming_content).decode("utf-8")
        self.assertIn("科普:湿地是地球之肾", content)
        self.assertNotIn("汾河湿地候鸟数量创新高", content)

        yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
        before = self.as_user(self.chief).get(url, {"date_to": yesterday})
        self.assertContains(before, "没有符合条件的发稿单")
        today = self.as_user(self.chief).get(url, {"date_from": timezone.localdate().isoformat()})
        self.assertContains(today, "汾河湿地候鸟数量创新高")

    def test_the_people_on_the_record_may_read_it_and_other_reporters_may_not(self):
        for person in (self.reporter, self.editor, self.chief):
            self.assertEqual(self.as_user(person).get(self.record_url()).status_code, 200, person)
        for person in (self.other_reporter, self.other_editor):
            # The admin's refusal: back to the dashboard with a message.
            for url in (self.record_url(), self.record_url("newsroom_publication_record_pdf")):
                response = self.as_user(person).get(url)
                self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)

    def test_only_chief_editors_have_the_list(self):
        url = reverse("newsroom_publication_records")
        home = reverse("wagtailadmin_home")
        self.assertRedirects(self.as_user(self.editor).get(url), home, fetch_redirect_response=False)
        csv_export = self.as_user(self.reporter).get(url, {"export": "csv"})
        self.assertRedirects(csv_export, home, fetch_redirect_response=False)
        # The menu item (the admin's sidebar is drawn from JSON that carries its address).
        self.assertContains(self.as_user(self.chief).get(home), f'"url": "{url}"')
        self.assertNotContains(self.as_user(self.editor).get(home), f'"url": "{url}"')

    def test_the_article_editor_lists_the_records_with_their_links(self):
        response = self.as_user(self.chief).get(self.edit_url(self.page))
        self.assertContains(response, "data-publication-records-panel")
        self.assertContains(response, self.record_url())
        self.assertContains(response, self.record_url("newsroom_publication_record_pdf"))
