"""setup_newsroom creates the roles and workflows once, however often it runs."""

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Task, Workflow, WorkflowPage

from newsroom.setup import CHIEF_EDITORS, EDITORS, REPORTERS
from tests import factories

from .helpers import member


class SetupNewsroomTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = factories.home_page()
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.kepu = factories.channel("科普", slug="kepu")

    def test_running_twice_leaves_one_copy_of_roles_and_workflows(self):
        call_command("setup_newsroom", verbosity=0)
        call_command("setup_newsroom", verbosity=0)
        for name in (REPORTERS, EDITORS, CHIEF_EDITORS):
            group = Group.objects.get(name=name)
            self.assertTrue(group.permissions.filter(codename="access_admin").exists())
        self.assertEqual(Workflow.objects.filter(name="要闻两级审核流程").count(), 1)
        self.assertEqual(
            [task.name for task in Workflow.objects.get(name="要闻两级审核流程").tasks], ["责任编辑审核", "总编辑终审"]
        )

    def test_yaowen_runs_two_stages_other_channels_one_and_wagtails_default_is_detached(self):
        call_command("setup_newsroom", verbosity=0)
        self.assertFalse(WorkflowPage.objects.filter(page__depth=1).exists())
        self.assertEqual(self.yaowen.get_workflow().name, "要闻两级审核流程")
        self.assertEqual(self.kepu.get_workflow().name, "责任编辑审核流程")

    def test_wagtails_stock_workflow_and_task_are_switched_off_and_not_offered_for_deadlines(self):
        call_command("setup_newsroom", verbosity=0)
        self.assertFalse(Workflow.objects.get(name="Moderators approval").active)
        self.assertFalse(Task.objects.get(name="Moderators approval").active)
        chief = member("c", "陈华", CHIEF_EDITORS)
        self.client.force_login(chief)
        form = self.client.get(reverse("review_deadlines:add")).content.decode()
        options = BeautifulSoup(form, "html.parser").select("select[name=task] option")
        self.assertEqual(
            sorted(option.get_text() for option in options if option["value"]), ["总编辑终审", "责任编辑审核"]
        )

    def test_only_chief_editors_may_publish(self):
        call_command("setup_newsroom", verbosity=0)
        reporter = member("r", "李明", REPORTERS)
        chief = member("c", "陈华", CHIEF_EDITORS)
        self.assertFalse(self.kepu.permissions_for_user(reporter).can_publish_subpage())
        self.assertTrue(self.kepu.permissions_for_user(chief).can_publish_subpage())

    def test_chief_editors_manage_workflows_and_reporters_do_not(self):
        call_command("setup_newsroom", verbosity=0)
        reporter = member("r", "李明", REPORTERS)
        chief = member("c", "陈华", CHIEF_EDITORS)
        self.client.force_login(chief)
        self.assertEqual(self.client.get("/admin/workflows/list/").status_code, 200)
        self.assertEqual(self.client.get("/admin/workflows/add/").status_code, 200)
        self.client.force_login(reporter)
        self.assertRedirects(self.client.get("/admin/workflows/list/"), "/admin/", fetch_redirect_response=False)
