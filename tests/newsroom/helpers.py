"""Shared set-up for workflow tests: the newsroom's people, channels and workflows, and admin form posts."""

import itertools
import threading
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.db import connections
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.models import ArticlePage
from newsroom.setup import CHIEF_EDITORS, EDITORS, REPORTERS, setup_newsroom
from tests import factories

_slugs = itertools.count(1)


def member(username, name, *groups):
    person = factories.user(username, first_name=name, email=f"{username}@example.com")
    person.groups.set(Group.objects.filter(name__in=groups))
    return person


def article_form(title="黄河流域生态保护新进展", editor=None, slug=None, action="action-submit", **fields):
    """What the article editor posts: the fields a reporter fills in, plus the button pressed."""
    data = {
        "title": title,
        "slug": slug or f"article-{next(_slugs)}",  # the editor's script fills this in from the title
        "subtitle": "",
        "date": "",
        "source_name": fields.pop("source_name", ""),
        "source_url": "",
        "original_author": "",
        "byline": "李明",
        "responsible_editor": editor.pk if editor else "",
        "summary": fields.pop("summary", ""),
        "cover_image": "",
        "cover_alt": "",
        "tags": "黄河",
        "body": streamfield([("paragraph", rich_text(fields.pop("text", "<p>黄河流域生态保护取得新进展。</p>")))]),
        "related_links": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": fields.pop("go_live_at", ""),
        "expire_at": "",
    }
    data.update(fields)
    form = nested_form_data(data)
    if action:
        form[action] = "1"
    return form


def form_errors(response):
    """The editor form's errors, to explain a failed post."""
    context = getattr(response, "context", None)
    return context["form"].errors if context and "form" in context else ""


class NewsroomTestCase(WagtailPageTestCase):
    """A newsroom with 要闻 (two-stage review) and 科普 (one stage), and one person in each role."""

    @classmethod
    def setUpTestData(cls):
        cls.home = factories.home_page()
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.kepu = factories.channel("科普", slug="kepu")
        setup_newsroom(cls.home)
        cls.reporter = member("reporter", "李明", REPORTERS)
        cls.other_reporter = member("reporter2", "周洁", REPORTERS)
        cls.editor = member("wangqiang", "王强", EDITORS)
        cls.other_editor = member("zhaoli", "赵丽", EDITORS)
        cls.chief = member("chenhua", "陈华", CHIEF_EDITORS)
        cls.editor_and_chief = member("liujun", "刘军", EDITORS, CHIEF_EDITORS)

    def create_url(self, channel):
        return reverse("wagtailadmin_pages:add", args=("articles", "articlepage", channel.pk))

    def edit_url(self, page):
        return reverse("wagtailadmin_pages:edit", args=(page.pk,))

    def as_user(self, person):
        self.client.force_login(person)
        return self.client

    def create(self, person, channel=None, action="action-submit", **form):
        """The person writes a new article in the channel and presses `action`; returns (response, page)."""
        channel = channel or self.kepu
        before = set(ArticlePage.objects.values_list("pk", flat=True))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.as_user(person).post(self.create_url(channel), article_form(action=action, **form))
        created = ArticlePage.objects.exclude(pk__in=before).first()
        return response, created

    def edit(self, person, page, action="action-submit", **form):
        form.setdefault("slug", page.slug)
        with self.captureOnCommitCallbacks(execute=True):
            return self.as_user(person).post(self.edit_url(page), article_form(action=action, **form))

    def workflow_action(self, person, page, action, comment=""):
        """Approve or reject from the review modal, as the admin's buttons do."""
        page = ArticlePage.objects.get(pk=page.pk)
        task_state = page.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk if task_state else 0))
        with self.captureOnCommitCallbacks(execute=True):
            return self.as_user(person).post(url, {"comment": comment})

    def submitted(self, channel=None, editor=None, title="黄河流域生态保护新进展", **form):
        """An article the reporter has written and submitted for review."""
        response, page = self.create(self.reporter, channel, editor=editor or self.editor, title=title, **form)
        self.assertEqual(response.status_code, 302, form_errors(response))
        return ArticlePage.objects.get(pk=page.pk)

    def task_state(self, page):
        return TaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("-pk").first().specific

    def refreshed(self, page):
        return ArticlePage.objects.get(pk=page.pk)


def newsroom_with_article(action="action-submit"):
    """For TransactionTestCase: the newsroom's people and one article the reporter wrote in 科普 through the admin."""
    home = factories.home_page()
    channel = factories.channel("科普", slug="kepu")
    setup_newsroom(home)
    people = SimpleNamespace(
        reporter=member("reporter", "李明", REPORTERS),
        editor=member("wangqiang", "王强", EDITORS),
        chief=member("chenhua", "陈华", CHIEF_EDITORS),
    )
    client = Client()
    client.force_login(people.reporter)
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", channel.pk))
    response = client.post(url, article_form(editor=people.editor, action=action))
    assert response.status_code == 302, form_errors(response)
    return people, ArticlePage.objects.child_of(channel).get()


def post_at_once(*requests):
    """POST each (person, url, data) from its own thread, all released together; returns the status codes."""
    barrier = threading.Barrier(len(requests))
    statuses = [None] * len(requests)

    def post(index, person, url, data):
        client = Client()
        client.force_login(person)
        barrier.wait()
        try:
            statuses[index] = client.post(url, data).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(index, *request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses
