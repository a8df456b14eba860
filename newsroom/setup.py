"""The newsroom's roles and review workflows, set up idempotently by `manage.py setup_newsroom`."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from articles.models import ChannelIndexPage

from .deadlines import seed_default_limits
from .models import ResponsibleEditorTask, SeparateApproverGroupTask
from .roles import CHIEF_EDITORS, EDITORS, REPORTERS

PAGE_PERMISSIONS = {
    REPORTERS: ["add"],
    EDITORS: ["add"],
    CHIEF_EDITORS: ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
}
# Chief editors choose which review workflow each channel runs (设置 → 工作流).
WORKFLOW_PERMISSIONS = {CHIEF_EDITORS: ["add_workflow", "change_workflow", "add_task", "change_task"]}
# Chief editors keep the site's word lists for the content checks (审校 → 敏感词, 错别字).
WORD_LIST_PERMISSIONS = {
    CHIEF_EDITORS: [
        f"{action}_{model}"
        for model in ("sensitiveword", "typopair")
        for action in ("add", "change", "delete", "view")
    ]
}
# Chief editors set each review stage's time limit per channel (设置 → 审核期限).
DEADLINE_PERMISSIONS = {CHIEF_EDITORS: [f"{action}_reviewdeadline" for action in ("add", "change", "delete", "view")]}
COLLECTION_PERMISSIONS = {
    REPORTERS: ["add_image", "choose_image", "add_document", "choose_document"],
    EDITORS: ["add_image", "choose_image", "add_document", "choose_document"],
    CHIEF_EDITORS: ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"],
}
REVIEW_TASK_NAME = "责任编辑审核"
FINAL_TASK_NAME = "总编辑终审"
SINGLE_STAGE_WORKFLOW = "责任编辑审核流程"
TWO_STAGE_WORKFLOW = "要闻两级审核流程"
TWO_STAGE_CHANNEL_SLUG = "yaowen"
# The workflow and task Wagtail's migrations create (they are named alike).
STOCK_WORKFLOW = "Moderators approval"


@transaction.atomic
def setup_newsroom(home):
    """Create the three roles, their permissions under `home`, and the review workflows."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in PAGE_PERMISSIONS}
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    root_collection = Collection.get_first_root_node()
    for name, group in groups.items():
        group.permissions.add(access_admin)
        for codename in WORKFLOW_PERMISSIONS.get(name, []):
            group.permissions.add(Permission.objects.get(content_type__app_label="wagtailcore", codename=codename))
        for codename in WORD_LIST_PERMISSIONS.get(name, []) + DEADLINE_PERMISSIONS.get(name, []):
            group.permissions.add(Permission.objects.get(content_type__app_label="newsroom", codename=codename))
        wanted = {
            Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{kind}_page")
            for kind in PAGE_PERMISSIONS[name]
        }
        GroupPagePermission.objects.filter(group=group, page=home).exclude(permission__in=wanted).delete()
        for permission in wanted:
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        for codename in COLLECTION_PERMISSIONS[name]:
            app_label = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )

    review_task = ResponsibleEditorTask.objects.get_or_create(name=REVIEW_TASK_NAME)[0]
    final_task = SeparateApproverGroupTask.objects.get_or_create(name=FINAL_TASK_NAME)[0]
    final_task.groups.set([groups[CHIEF_EDITORS]])

    single = _workflow(SINGLE_STAGE_WORKFLOW, [review_task])
    two_stage = _workflow(TWO_STAGE_WORKFLOW, [review_task, final_task])

    # Wagtail's stock "Moderators approval" workflow sits on the root page; ours replace it. Left on no page, it
    # and its task are switched off, so that no list offers them (审核期限, 设置 → 工作流, the reports).
    WorkflowPage.objects.filter(page__depth=1).delete()
    for workflow in Workflow.objects.filter(name=STOCK_WORKFLOW, active=True, workflow_pages__isnull=True):
        workflow.deactivate()
    for task in Task.objects.filter(name=STOCK_WORKFLOW, active=True).exclude(workflow_tasks__workflow__active=True):
        task.deactivate()
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": single})
    yaowen = ChannelIndexPage.objects.child_of(home).filter(slug=TWO_STAGE_CHANNEL_SLUG).first()
    if yaowen is not None:
        WorkflowPage.objects.update_or_create(page=yaowen, defaults={"workflow": two_stage})
    seed_default_limits([review_task, final_task], fast_channel=yaowen)
    return groups


def _workflow(name, tasks):
    workflow = Workflow.objects.get_or_create(name=name, defaults={"active": True})[0]
    if [task.pk for task in workflow.tasks] != [task.pk for task in tasks]:
        WorkflowTask.objects.filter(workflow=workflow).delete()
        WorkflowTask.objects.bulk_create(
            WorkflowTask(workflow=workflow, task=task, sort_order=order) for order, task in enumerate(tasks)
        )
    return workflow


def default_home():
    from home.models import HomePage

    home = HomePage.objects.first()
    return home if home is not None else Page.get_first_root_node()
