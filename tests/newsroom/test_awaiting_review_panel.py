"""待我审核 offers each reviewer what Wagtail's own panel offered, read in a fixed number of queries."""

from django.test import RequestFactory
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

from newsroom.panels import awaiting_review_rows
from tests.newsroom.helpers import NewsroomTestCase


def wagtails_rows(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return WorkflowObjectsToModeratePanel().get_context_data({"request": request, "csrf_token": ""})["states"]


def summary(rows):
    """What a reviewer sees of each row: the article, its actions, and each stage with its status."""
    return [
        (
            row["obj"].pk,
            row["task_state"].pk,
            row["revision"].pk,
            [tuple(action) for action in row["actions"]],
            [(task.name, task.status, str(task.status_display)) for task in row["workflow_tasks"]],
            row["workflow_preview_url_name"],
        )
        for row in rows
    ]


class AwaitingReviewPanelTests(NewsroomTestCase):
    def test_reviewers_are_offered_the_same_reviews_actions_and_stages_as_in_wagtails_panel(self):
        first_stage = self.submitted(self.yaowen, title="等王强初审的要闻")
        second_stage = self.submitted(self.yaowen, title="等总编辑终审的要闻")
        self.workflow_action(self.editor, second_stage, "approve")
        resubmitted = self.submitted(self.kepu, title="退回后重新提交的科普稿件")
        self.workflow_action(self.editor, resubmitted, "reject", comment="请补充数据来源。")
        self.edit(self.reporter, resubmitted, title=resubmitted.title, editor=self.editor)
        self.submitted(self.kepu, editor=self.other_editor, title="给赵丽审核的稿件")

        for person in (self.editor, self.other_editor, self.chief, self.editor_and_chief, self.reporter):
            with self.subTest(person.username):
                self.assertEqual(summary(awaiting_review_rows(person)), summary(wagtails_rows(person)))
        self.assertEqual(
            {row["obj"].pk for row in awaiting_review_rows(self.editor)}, {first_stage.pk, resubmitted.pk}
        )
        self.assertEqual({row["obj"].pk for row in awaiting_review_rows(self.chief)}, {second_stage.pk})

    def test_responsible_editor_gets_edit_and_compare_links_for_a_review_sent_back_before(self):
        page = self.submitted(self.kepu, title="退回后再次送审的稿件")
        self.workflow_action(self.editor, page, "reject", comment="标题太长。")
        self.edit(self.reporter, page, title="退回后再次送审的稿件(改)", editor=self.editor)

        response = self.as_user(self.editor).get("/admin/")
        self.assertContains(response, f'href="/admin/pages/{page.pk}/edit/"')
        self.assertContains(response, "审核通过")
        self.assertContains(response, "退回修改")
        self.assertContains(response, "查看改动")
        self.assertContains(response, "与退回时的版本比较")
