"""The review tasks moved from the articles app to the newsroom app with their tables and rows.

A database migrated before the move, with a review in progress, is migrated forward; the review carries on.
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone
from wagtail.models import Page, Task, TaskState, WorkflowState

from newsroom.models import ResponsibleEditorTask, ResponsibleEditorTaskState, SeparateApproverGroupTask

BEFORE_THE_MOVE = ("articles", "0005_channel_column")


class ReviewTasksMoveTests(TransactionTestCase):
    serialized_rollback = True

    def migrate(self, before_the_move=False):
        """Migrate to just before the move (every other app at its latest) or to the latest; the models then."""
        executor = MigrationExecutor(connection)
        leaves = executor.loader.graph.leaf_nodes()
        if before_the_move:
            leaves = [node for node in leaves if node[0] not in ("articles", "newsroom")] + [BEFORE_THE_MOVE]
            executor.migrate([*leaves, ("newsroom", None)])
        else:
            executor.migrate(leaves)
        return executor.loader.project_state(leaves).apps

    def review_in_progress(self, apps):
        """What the articles app stored before the move: a two-stage workflow, the first stage in progress."""
        content_type = apps.get_model("contenttypes", "ContentType")
        user = apps.get_model("auth", "User").objects.create(username="wangqiang", first_name="王强")
        group = apps.get_model("auth", "Group").objects.create(name="总编辑")
        page_type = content_type.objects.get(app_label="wagtailcore", model="page")
        root = apps.get_model("wagtailcore", "Page").objects.get(depth=1)

        def task_of(model):
            return apps.get_model("articles", model).objects.create(
                name=model,
                content_type=content_type.objects.get_or_create(app_label="articles", model=model.lower())[0],
            )

        reviewer_task, final_task = task_of("ResponsibleEditorTask"), task_of("SeparateApproverGroupTask")
        final_task.groups.add(group)
        workflow = apps.get_model("wagtailcore", "Workflow").objects.create(name="要闻审核")
        revision = apps.get_model("wagtailcore", "Revision").objects.create(
            content_type=page_type,
            base_content_type=page_type,
            object_id=str(root.pk),
            content={},
            created_at=timezone.now(),
        )
        state = apps.get_model("wagtailcore", "WorkflowState").objects.create(
            content_type=page_type,
            base_content_type=page_type,
            object_id=str(root.pk),
            workflow=workflow,
            status="in_progress",
            requested_by=user,
            created_at=timezone.now(),
        )
        task_state = apps.get_model("articles", "ResponsibleEditorTaskState").objects.create(
            workflow_state=state,
            revision=revision,
            task=reviewer_task,
            status="in_progress",
            started_at=timezone.now(),
            content_type=content_type.objects.get_or_create(app_label="articles", model="responsibleeditortaskstate")[
                0
            ],
            reviewer=user,
        )
        state.current_task_state = task_state
        state.save()
        return state.pk, reviewer_task.pk, final_task.pk, user.pk

    def test_a_review_in_progress_carries_on_after_the_move(self):
        state_id, reviewer_task_id, final_task_id, reviewer_id = self.review_in_progress(
            self.migrate(before_the_move=True)
        )

        self.migrate()

        state = WorkflowState.objects.get(pk=state_id)
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        task_state = state.current_task_state.specific
        self.assertIsInstance(task_state, ResponsibleEditorTaskState)
        self.assertEqual(task_state.reviewer_id, reviewer_id)
        self.assertIsInstance(task_state.task.specific, ResponsibleEditorTask)
        final = Task.objects.get(pk=final_task_id).specific
        self.assertIsInstance(final, SeparateApproverGroupTask)
        self.assertEqual([group.name for group in final.groups.all()], ["总编辑"])
        self.assertEqual(TaskState.objects.filter(task_id=reviewer_task_id).count(), 1)
        self.assertTrue(Page.objects.filter(depth=1).exists())
