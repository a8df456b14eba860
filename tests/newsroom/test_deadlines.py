"""审核期限: each review stage's time limit per channel, the dashboard's urgency marks and the overdue reminders."""

from datetime import timedelta
from io import StringIO
from unittest import mock

from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from newsroom import deadlines
from newsroom.deadlines import Deadline, duration_text, remind_overdue
from newsroom.models import OverdueReminder, ReviewDeadline
from newsroom.setup import setup_newsroom
from tests.newsroom.helpers import NewsroomTestCase

NOW = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))


def panel_rows(response, panel_id):
    section = BeautifulSoup(response.content, "html.parser").find(id=f"{panel_id}-section")
    return [" ".join(row.get_text(" ", strip=True).split()) for row in section.select("tbody tr")] if section else []


def frozen():
    return mock.patch("django.utils.timezone.now", return_value=NOW)


class DeadlineTestCase(NewsroomTestCase):
    def submitted_ago(self, ago, channel=None, **form):
        """An article submitted ``ago`` before NOW; its current stage started then."""
        page = self.submitted(channel, **form)
        TaskState.objects.filter(pk=self.task_state(page).pk).update(started_at=NOW - ago)
        return page

    def dashboard(self, person):
        with frozen():
            return self.as_user(person).get("/admin/")


class LimitTests(DeadlineTestCase):
    def limit_of(self, page):
        state = self.task_state(page)
        return deadlines.with_deadlines(TaskState.objects.filter(pk=state.pk)).get().review_limit

    def test_setup_gives_yaowen_two_hours_and_other_channels_a_day(self):
        self.assertEqual(self.limit_of(self.submitted(self.yaowen, title="要闻稿件")), timedelta(hours=2))
        self.assertEqual(self.limit_of(self.submitted(self.kepu, title="科普稿件")), timedelta(hours=24))

    def test_running_setup_again_keeps_a_limit_the_chief_editor_changed(self):
        ReviewDeadline.objects.filter(channel=self.yaowen).update(limit=timedelta(hours=3))
        setup_newsroom(self.home)
        self.assertEqual(self.limit_of(self.submitted(self.yaowen, title="要闻稿件")), timedelta(hours=3))

    def test_a_stage_without_any_limit_gets_a_day(self):
        ReviewDeadline.objects.all().delete()
        self.assertEqual(self.limit_of(self.submitted(self.yaowen, title="要闻稿件")), timedelta(hours=24))


class WordingTests(NewsroomTestCase):
    def deadline(self, left, limit=timedelta(hours=24)):
        return Deadline(due_at=NOW + left, limit=limit, left=left)

    def test_time_left_and_overdue_read_in_hours_and_minutes(self):
        self.assertEqual(self.deadline(timedelta(hours=1, minutes=20, seconds=30)).text, "剩余 1 小时 20 分")
        self.assertEqual(self.deadline(-timedelta(minutes=35)).text, "已超时 35 分")
        self.assertEqual(self.deadline(-timedelta(days=2, hours=3)).text, "已超时 2 天 3 小时")
        self.assertEqual(duration_text(timedelta(seconds=20)), "不到 1 分")
        self.assertEqual(duration_text(timedelta(hours=2)), "2 小时")

    def test_less_than_a_quarter_of_the_limit_left_is_due_soon(self):
        two_hours = timedelta(hours=2)
        self.assertEqual(self.deadline(timedelta(minutes=31), two_hours).label, "")
        self.assertEqual(self.deadline(timedelta(minutes=29), two_hours).label, "即将超时")
        self.assertEqual(self.deadline(timedelta(hours=5), timedelta(hours=24)).label, "即将超时")
        self.assertEqual(self.deadline(timedelta(0), two_hours).label, "已超时")


class DashboardTests(DeadlineTestCase):
    def test_awaiting_my_review_lists_the_most_urgent_first_with_marks_and_time_left(self):
        self.submitted_ago(timedelta(hours=4, minutes=40), self.kepu, title="刚送审的科普稿")
        self.submitted_ago(timedelta(hours=2, minutes=35), self.yaowen, title="超时的要闻稿")
        self.submitted_ago(timedelta(hours=23), self.kepu, title="快到期的科普稿")

        rows = panel_rows(self.dashboard(self.editor), "awaiting-review")

        self.assertEqual(len(rows), 3)
        self.assertIn("超时的要闻稿", rows[0])
        self.assertIn("已超时 35 分", rows[0])
        self.assertIn("快到期的科普稿", rows[1])
        self.assertIn("即将超时 剩余 1 小时", rows[1])
        self.assertIn("刚送审的科普稿", rows[2])
        self.assertIn("剩余 19 小时 20 分", rows[2])
        self.assertNotIn("即将超时", rows[2])

    def test_chief_editors_reviews_in_progress_sorts_by_time_left(self):
        self.submitted_ago(timedelta(hours=10), self.kepu, title="科普稿件")
        self.submitted_ago(timedelta(hours=1, minutes=45), self.yaowen, title="要闻稿件")

        rows = panel_rows(self.dashboard(self.chief), "reviews-in-progress")

        self.assertIn("要闻稿件", rows[0])
        self.assertIn("即将超时 剩余 15 分", rows[0])
        self.assertIn("科普稿件", rows[1])
        self.assertIn("剩余 14 小时", rows[1])

    def test_a_changed_limit_shows_at_once(self):
        self.submitted_ago(timedelta(hours=1), self.yaowen, title="要闻稿件")
        ReviewDeadline.objects.filter(channel=self.yaowen).update(limit=timedelta(minutes=30))
        rows = panel_rows(self.dashboard(self.editor), "awaiting-review")
        self.assertIn("已超时 30 分", rows[0])

    def test_more_reviews_add_no_dashboard_queries(self):
        def queries(person):
            self.dashboard(person)
            with CaptureQueriesContext(connection) as captured:
                self.dashboard(person)
            return len(captured)

        self.submitted_ago(timedelta(hours=1), self.yaowen, title="第一篇")
        one = {person: queries(person) for person in (self.editor, self.chief)}
        for number in range(3):
            self.submitted_ago(timedelta(hours=number), self.kepu, title=f"第{number + 2}篇")
        for person in (self.editor, self.chief):
            with self.subTest(person.username):
                self.assertEqual(queries(person), one[person])


class ReminderTests(DeadlineTestCase):
    def setUp(self):
        mail.outbox.clear()

    def messages_to(self, address):
        return [message for message in mail.outbox if address in message.to]

    def test_an_overdue_review_emails_the_reviewer_once_and_each_chief_editor_once(self):
        self.submitted_ago(timedelta(hours=2, minutes=35), self.yaowen, title="超时的要闻稿")
        mail.outbox.clear()

        remind_overdue(now=NOW)
        remind_overdue(now=NOW + timedelta(minutes=1))

        reviewer_mail = self.messages_to("wangqiang@example.com")
        self.assertEqual(len(reviewer_mail), 1)
        self.assertEqual(reviewer_mail[0].subject, "【审核超时】《超时的要闻稿》责任编辑审核已超时 35 分")
        body = reviewer_mail[0].body
        for text in ("栏目:要闻", "审核环节:责任编辑审核(时限 2 小时)", "http://", "/edit/", "生态山西"):
            self.assertIn(text, body)
        for chief in ("chenhua@example.com", "liujun@example.com"):
            chief_mail = self.messages_to(chief)
            self.assertEqual(len(chief_mail), 1, chief)
            self.assertIn("审核人:王强", chief_mail[0].body)
        self.assertEqual(len(mail.outbox), 3)

    def test_a_review_within_its_limit_sends_nothing(self):
        self.submitted_ago(timedelta(hours=23), self.kepu, title="未超时的稿件")
        mail.outbox.clear()
        remind_overdue(now=NOW)
        self.assertEqual(mail.outbox, [])

    def test_an_overdue_group_stage_tells_each_chief_editor_once(self):
        page = self.submitted(self.yaowen, title="等待终审的要闻")
        self.workflow_action(self.editor, page, "approve")
        TaskState.objects.filter(pk=self.task_state(page).pk).update(started_at=NOW - timedelta(hours=3))
        mail.outbox.clear()

        remind_overdue(now=NOW)
        remind_overdue(now=NOW)

        self.assertEqual(
            sorted(address for message in mail.outbox for address in message.to),
            ["chenhua@example.com", "liujun@example.com"],
        )
        self.assertIn("总编辑终审", mail.outbox[0].subject)

    def test_a_run_overlapping_another_sends_nothing_twice(self):
        self.submitted_ago(timedelta(hours=3), self.yaowen, title="超时的要闻稿")
        mail.outbox.clear()
        # A second run read the overdue list before the first run claimed anything, and claims afterwards.
        stale = deadlines.overdue_task_states(NOW)
        send = deadlines.send_reminders
        nested = []

        def send_while_another_run_starts(kind, people, context):
            if not nested:
                nested.append(kind)
                remind_overdue(now=NOW)  # starts while the first run is sending its first reminder
            return send(kind, people, context)

        with mock.patch.object(deadlines, "send_reminders", side_effect=send_while_another_run_starts):
            remind_overdue(now=NOW)
        with mock.patch.object(deadlines, "overdue_task_states", return_value=stale):
            remind_overdue(now=NOW)

        self.assertEqual(len(self.messages_to("wangqiang@example.com")), 1)
        self.assertEqual(len(self.messages_to("chenhua@example.com")), 1)
        self.assertEqual(OverdueReminder.objects.count(), 2)

    def test_a_reminder_the_mail_server_refused_goes_out_on_the_next_run(self):
        self.submitted_ago(timedelta(hours=3), self.yaowen, title="超时的要闻稿")
        mail.outbox.clear()
        with mock.patch("newsroom.deadlines.send_mail", side_effect=OSError("mail server down")):
            remind_overdue(now=NOW)
        self.assertEqual(mail.outbox, [])
        remind_overdue(now=NOW)
        self.assertEqual(len(self.messages_to("wangqiang@example.com")), 1)

    def test_the_command_reports_what_it_sent(self):
        self.submitted_ago(timedelta(hours=3), self.yaowen, title="超时的要闻稿")
        mail.outbox.clear()
        out = StringIO()
        with frozen():
            call_command("remind_overdue", stdout=out)
            call_command("remind_overdue", stdout=out)
        self.assertEqual(out.getvalue(), "已发送 3 封审核超时提醒。\n")


class AdminTests(NewsroomTestCase):
    index = reverse("review_deadlines:index")

    def test_only_chief_editors_see_and_open_the_deadlines(self):
        response = self.as_user(self.chief).get(self.index)
        self.assertContains(response, "审核期限")
        self.assertContains(response, "所有其他栏目")
        self.assertContains(response, "2 小时")
        self.assertContains(self.as_user(self.chief).get("/admin/"), self.index)
        for person in (self.reporter, self.editor):
            with self.subTest(person.username):
                self.assertNotContains(self.as_user(person).get("/admin/"), reverse("review_deadlines:index"))
                self.assertRedirects(self.as_user(person).get(self.index), "/admin/")

    def test_chief_editor_changes_the_yaowen_limit_in_hours(self):
        deadline = ReviewDeadline.objects.get(channel=self.yaowen, task__name="责任编辑审核")
        edit = reverse("review_deadlines:edit", args=(deadline.pk,))
        self.assertContains(self.as_user(self.chief).get(edit), 'value="2"')
        response = self.as_user(self.chief).post(
            edit, {"channel": self.yaowen.pk, "task": deadline.task_id, "hours": "1.5"}
        )
        self.assertRedirects(response, self.index)
        deadline.refresh_from_db()
        self.assertEqual(deadline.limit, timedelta(hours=1, minutes=30))

    def test_a_second_limit_for_the_same_channel_and_stage_is_refused_in_chinese(self):
        deadline = ReviewDeadline.objects.get(channel=self.yaowen, task__name="责任编辑审核")
        response = self.as_user(self.chief).post(
            reverse("review_deadlines:add"), {"channel": self.yaowen.pk, "task": deadline.task_id, "hours": "4"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "该栏目的这个审核环节已经设置了期限。")
