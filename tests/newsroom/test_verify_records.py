"""`verify_records`: the chain of 发稿单 and review decisions holds, and an edit made in the database is found."""

import threading
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import TransactionTestCase
from django.utils import timezone
from wagtail.models import Revision

from newsroom import records
from newsroom.models import ChainEntry, ChainHead, PublicationRecord, ReviewDecision
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase


def verify_records():
    out = StringIO()
    call_command("verify_records", stdout=out)
    return out.getvalue()


def execute(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class VerifyRecordsTests(NewsroomTestCase):
    def setUp(self):
        factories.article(self.kepu, title="旧稿:太原植树节", slug="taiyuan-zhishujie")
        page = self.submitted(self.kepu, editor=self.editor, title="汾河湿地候鸟数量创新高", slug="fenhe-houniao")
        self.workflow_action(self.editor, page, "approve", comment="数据已核实。")
        self.page = self.refreshed(page)
        self.record = PublicationRecord.objects.get(page_id=self.page.pk)
        self.decision = ReviewDecision.objects.get(page_id=self.page.pk)
        factories.article(self.kepu, title="旧稿:晋祠古树", slug="jinci-gushu")

    def entry_of(self, record):
        return ChainEntry.objects.get(kind=record.chain_kind, object_id=record.pk)

    def assert_broken_at(self, entry, *words):
        with self.assertRaises(CommandError) as caught:
            verify_records()
        message = str(caught.exception)
        self.assertIn(f"条目 #{entry.pk}", message)
        for word in words:
            self.assertIn(word, message)
        return message

    def test_an_untouched_chain_passes_with_its_count(self):
        output = verify_records()
        self.assertIn("留痕链完好:4 条记录", output)  # three records and one decision
        self.assertIn(ChainHead.objects.get().entry_hash, output)

    def test_a_record_edited_in_the_database_is_caught_with_the_field_that_changed(self):
        table = PublicationRecord._meta.db_table
        execute(f"UPDATE {table} SET drafter_name = %s WHERE id = %s", "张三", self.record.pk)
        self.assert_broken_at(self.entry_of(self.record), "撰稿人(drafter_name)", "汾河湿地候鸟数量创新高")

    def test_a_correction_note_added_to_a_record_in_the_database_is_caught(self):
        forged = [{"key": "00000000-0000-0000-0000-000000000000", "note": "事后补写的更正", "published_at": ""}]
        PublicationRecord.objects.filter(pk=self.record.pk).update(corrections=forged)
        self.assert_broken_at(self.entry_of(self.record), "更正说明(corrections)")

    def test_a_decision_edited_in_the_database_is_caught(self):
        table = ReviewDecision._meta.db_table
        execute(f"UPDATE {table} SET comment = %s WHERE id = %s", "同意。", self.decision.pk)
        self.assert_broken_at(self.entry_of(self.decision), "审核意见(comment)")

    def test_a_record_rehashed_to_match_its_edit_breaks_the_next_link(self):
        table = PublicationRecord._meta.db_table
        execute(f"UPDATE {table} SET drafter_name = %s WHERE id = %s", "张三", self.record.pk)
        entry = self.entry_of(self.record)
        digests = records.field_digests(PublicationRecord.objects.get(pk=self.record.pk))
        content_hash = records.sha256(records.canonical_json(digests))
        ChainEntry.objects.filter(pk=entry.pk).update(
            digests=digests,
            content_hash=content_hash,
            entry_hash=records.link_hash(entry.previous_hash, entry.kind, entry.object_id, content_hash),
        )
        following = ChainEntry.objects.filter(pk__gt=entry.pk).order_by("pk").first()
        self.assert_broken_at(following, "前一条的哈希")

    def test_a_deleted_record_is_caught(self):
        PublicationRecord.objects.filter(pk=self.record.pk).delete()
        self.assert_broken_at(self.entry_of(self.record), "已从数据库中删除")

    def test_links_cut_off_the_end_are_caught(self):
        ChainEntry.objects.order_by("-pk").first().delete()
        with self.assertRaisesMessage(CommandError, "链头记有 4 条,链上实有 3 条"):
            verify_records()

    def test_a_record_written_around_the_chain_is_caught(self):
        forged = PublicationRecord.objects.create(
            page_id=self.page.pk,
            page_title="伪造的发稿单",
            revision_id=self.page.live_revision_id,
            content_hash="0" * 64,
            published_at=timezone.now(),
        )
        with self.assertRaisesMessage(CommandError, f"发稿单 #{forged.pk}"):
            verify_records()

    def test_a_published_revision_edited_afterwards_is_caught(self):
        revision = Revision.objects.get(pk=self.record.revision_id)
        content = dict(revision.content, title="汾河湿地候鸟数量大减")
        Revision.objects.filter(pk=revision.pk).update(content=content)
        self.assert_broken_at(self.entry_of(self.record), f"修订版本 {revision.pk}")


class ConcurrentAppendTests(TransactionTestCase):
    """Records written at the same moment queue up on the chain's head: one chain, no fork."""

    serialized_rollback = True

    def test_simultaneous_records_join_one_chain(self):
        decisions = [
            ReviewDecision.objects.create(
                task_state_id=number,
                workflow_state_id=1,
                page_id=1,
                page_title=f"稿件{number}",
                task_name="责任编辑审核",
                decision=ReviewDecision.Decision.APPROVED,
                decided_at=timezone.now(),
            )
            for number in range(1, 5)
        ]
        barrier = threading.Barrier(len(decisions))
        errors = []

        def append(decision):
            try:
                barrier.wait()
                records.append(decision)
            except Exception as error:  # reported below, with the thread's own error
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=append, args=(decision,)) for decision in decisions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        self.assertEqual(errors, [])
        entries = list(ChainEntry.objects.order_by("pk"))
        self.assertEqual(len({entry.previous_hash for entry in entries}), 4)
        self.assertIn("留痕链完好:4 条记录", verify_records())
