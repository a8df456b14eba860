"""A small newsroom editing at once on a threaded server: no server error, and no save goes missing.

Reporters autosave, 保存草稿 and 提交审核 their own articles while responsible editors approve others, all at
the same moment, through the admin's own URLs with real sessions against pytest-django's threaded live
server. On SQLite (what `make run` gives a newsroom) this needs the database settings in
config/settings/base.py; the same test holds on PostgreSQL.
"""

import threading

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState

from articles.models import ArticlePage
from newsroom.setup import EDITORS, REPORTERS, setup_newsroom
from tests import factories
from tests.newsroom.helpers import article_form, form_errors, member

# serialized_rollback: the home page made by migrations is back for the tests after this one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPORTERS_AT_ONCE = 3
ROUNDS = 4
CSRF_TOKEN = "k" * 32


class Desk:
    """One person's browser: their signed-in session and the admin's CSRF token, as the admin's forms send it."""

    def __init__(self, base_url, person):
        session = SessionStore()
        session[SESSION_KEY] = str(person.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = person.get_session_auth_hash()
        session.create()
        self.base_url = base_url
        self.http = requests.Session()
        self.http.cookies.set("sessionid", session.session_key)
        self.http.cookies.set("csrftoken", CSRF_TOKEN)
        self.statuses = []

    def post(self, path, data, autosave=False):
        headers = {"X-CSRFToken": CSRF_TOKEN, "Referer": self.base_url + path}
        headers["Accept"] = "application/json" if autosave else "text/html,application/xhtml+xml"
        fields = [(name, value) for name, value in data.items() if name != "csrfmiddlewaretoken"]
        fields.append(("csrfmiddlewaretoken", CSRF_TOKEN))
        response = self.http.post(
            self.base_url + path, data=fields, headers=headers, allow_redirects=False, timeout=120
        )
        self.statuses.append((path, response.status_code))
        return response


def reporter_works(desk, page, editor, saved_titles, autosaved):
    """Type, autosave twice (the second overwriting the first), 保存草稿; then 提交审核 at the end."""
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    for round_number in range(ROUNDS):
        overwrite = None
        for keystroke in range(2):
            title = f"{page.pk}号稿 第{round_number}轮 自动保存{keystroke}"
            form = article_form(action=None, title=title, slug=page.slug, editor=editor)
            if overwrite:
                form["overwrite_revision_id"] = overwrite
            answer = desk.post(url, form, autosave=True)
            if answer.status_code == 200 and answer.json().get("success"):
                overwrite = str(answer.json()["revision_id"])
                autosaved[overwrite] = title
        title = f"{page.pk}号稿 第{round_number}轮 保存草稿"
        if desk.post(url, article_form(action=None, title=title, slug=page.slug, editor=editor)).status_code == 302:
            saved_titles.append(title)
    title = f"{page.pk}号稿 提交审核"
    if desk.post(url, article_form(title=title, slug=page.slug, editor=editor)).status_code == 302:
        saved_titles.append(title)


def editor_approves(desk, page):
    task_state = page.current_workflow_task_state
    desk.post(reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)), {"comment": ""})


def test_newsroom_saving_autosaving_submitting_and_approving_at_once_loses_nothing(live_server):
    home = factories.home_page()
    channel = factories.channel("科普", slug="kepu")
    setup_newsroom(home)
    editor = member("wangqiang", "王强", EDITORS)
    reporters = [member(f"reporter{number}", f"记者{number}", REPORTERS) for number in range(REPORTERS_AT_ONCE)]

    def written(person, action):
        client = Client()
        client.force_login(person)
        add = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", channel.pk))
        response = client.post(add, article_form(editor=editor, action=action))
        assert response.status_code == 302, form_errors(response)
        return ArticlePage.objects.child_of(channel).order_by("-pk").first()

    drafts = [written(person, None) for person in reporters]
    awaiting_review = [written(person, "action-submit") for person in reporters]

    saved_titles = {draft.pk: [] for draft in drafts}
    autosaved = {draft.pk: {} for draft in drafts}
    desks = [Desk(live_server.url, person) for person in reporters]
    editor_desk = Desk(live_server.url, editor)
    start = threading.Barrier(len(drafts) + 1)

    def at_once(work, *args):
        def run():
            try:
                start.wait()
                work(*args)
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    threads = [
        at_once(reporter_works, desk, draft, editor, saved_titles[draft.pk], autosaved[draft.pk])
        for desk, draft in zip(desks, drafts, strict=True)
    ]
    threads.append(at_once(lambda: [editor_approves(editor_desk, page) for page in awaiting_review]))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = [status for desk in [*desks, editor_desk] for status in desk.statuses]
    assert [entry for entry in statuses if entry[1] >= 500] == []
    assert all(status in {200, 302} for _, status in statuses), statuses

    for draft in drafts:
        revisions = {str(revision.pk): revision.content["title"] for revision in draft.revisions.all()}
        # Every 保存草稿 and the submission are in the history, in the order they were made.
        assert len(saved_titles[draft.pk]) == ROUNDS + 1
        history = [revision.content["title"] for revision in draft.revisions.order_by("created_at", "pk")]
        assert [title for title in history if title in saved_titles[draft.pk]] == saved_titles[draft.pk]
        # Every autosave the server confirmed is kept, with what it last saved.
        for revision_id, title in autosaved[draft.pk].items():
            assert revisions[revision_id] == title
        assert ArticlePage.objects.get(pk=draft.pk).current_workflow_task is not None

    for page in awaiting_review:
        assert TaskState.objects.filter(workflow_state__object_id=str(page.pk), status="approved").exists()
