"""Import an archive from the newsroom's old system: one JSON object a line, created or updated by its old id.

Each line becomes a published article (it was already public in the old system) under its channel, with
its original date. A line that cannot be imported is reported with its number and reason; the others go on.
The import is the one route besides review by which articles go live: it publishes explicitly, as the old
system's archive (``publication_without_review``), so the review gate lets exactly this through.
"""

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import escape
from django.utils.text import slugify
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.rich_text import RichText

from .blocks import PARAGRAPH_FEATURES
from .models import ArticlePage, ChannelIndexPage
from .publishing import publication_without_review

ARCHIVE_IMPORT = "旧系统存档导入"  # why these articles go live without review in this system
BATCH_SIZE = 100  # lines per transaction; each line still has its own savepoint
TEXT_LIMITS = {
    "id": 64,
    "title": 255,
    "subtitle": 255,
    "source": 100,
    "original_title": 255,
    "author": 100,
    "editor": 100,
}
LOOKS_LIKE_HTML = re.compile(r"<(p|br|div|h[1-6]|ul|ol|li|b|strong|i|em|a|blockquote|table)\b", re.IGNORECASE)


def read_lines(path):
    """The lines of a UTF-8 (or UTF-8 with BOM) JSON Lines file, or CommandError saying why it cannot be read."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.readlines()
    except OSError as error:
        raise CommandError(f"无法读取 {path}:{error.strerror}") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} 不是 UTF-8 编码的文本") from error


@contextmanager
def deferred_indexing():
    """Collect the ids of articles saved inside the block instead of indexing each save as it happens.

    Creating and publishing an article saves it three times, and every index update of the database
    backends recomputes an average over the whole index: per save, that makes a large import quadratic.
    The caller indexes the collected articles once, in bulk. Signals are process-wide, which is why
    this is for the import command, not for request handling.
    """
    saved = set()

    def collect(instance, raw=False, **kwargs):
        if not raw:
            saved.add(instance.pk)

    post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    post_save.connect(collect, sender=ArticlePage, weak=False)
    try:
        yield saved
    finally:
        post_save.disconnect(collect, sender=ArticlePage)
        post_save.connect(post_save_signal_handler, sender=ArticlePage)


def index_articles(ids):
    """Add or update these articles in every auto-updated search backend, in one batch."""
    articles = list(ArticlePage.objects.filter(pk__in=ids).prefetch_related("tags"))
    if not articles:
        return
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(ArticlePage, articles)


class RowError(ValueError):
    """A line that cannot be imported; the message says why, in the editors' language."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list = field(default_factory=list)  # (line number, reason)

    @property
    def total(self):
        return self.created + self.updated + len(self.rejected)


class ArticleImporter:
    """Creates or updates articles from decoded JSON lines; see ``import_lines`` for whole files."""

    def __init__(self, channels=None):
        channels = list(channels if channels is not None else ChannelIndexPage.objects.all())
        self.channels_by_slug = {channel.slug: channel for channel in channels}
        self.channels_by_title = {channel.title: channel for channel in channels}
        self.converter = EditorHTMLConverter(features=PARAGRAPH_FEATURES)
        self.users_by_name = None

    # Reading fields

    def text(self, row, name, required=False):
        value = row.get(name)
        if value is None or value == "":
            if required:
                raise RowError(f"缺少必填字段 {name}")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "id":
            value = str(value)
        if not isinstance(value, str):
            raise RowError(f"字段 {name} 应为文本")
        value = value.strip()
        if required and not value:
            raise RowError(f"缺少必填字段 {name}")
        limit = TEXT_LIMITS.get(name)
        if limit and len(value) > limit:
            raise RowError(f"字段 {name} 超过 {limit} 个字符")
        return value

    def channel(self, row):
        name = self.text(row, "channel", required=True)
        channel = self.channels_by_slug.get(name) or self.channels_by_title.get(name)
        if channel is None:
            raise RowError(f"找不到栏目“{name}”")
        return channel

    def date(self, row):
        raw = self.text(row, "date", required=True)
        value = raw.replace("/", "-")
        try:
            parsed = parse_datetime(value)
            if parsed is None:
                day = parse_date(value)
                parsed = datetime.combine(day, time()) if day else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise RowError(f"无法识别的日期“{raw}”,应为 2021-11-10 或 2021-11-10 09:30")
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)  # the old system's dates are Beijing time
        return parsed

    def source_url(self, row):
        url = self.text(row, "source_url")
        if url:
            try:
                URLValidator()(url)
            except ValidationError as error:
                raise RowError(f"来源网址无效:{url}") from error
        return url

    def tags(self, row):
        value = row.get("tags") or []
        if isinstance(value, str):
            value = re.split(r"[,,、;;]", value)
        if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
            raise RowError("字段 tags 应为文本列表")
        tags = []
        for tag in (tag.strip() for tag in value):
            if len(tag) > 100:
                raise RowError("标签超过 100 个字符")
            if tag and tag not in tags:
                tags.append(tag)
        return tags

    def body(self, row):
        value = row.get("body") or ""
        if not isinstance(value, str):
            raise RowError("字段 body 应为文本")
        if LOOKS_LIKE_HTML.search(value):
            html = self.converter.to_database_format(value)
            return [("paragraph", RichText(html))] if html.strip() else []
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", value.replace("\r\n", "\n")) if part.strip()]
        return [
            ("paragraph", RichText("<p>" + "<br/>".join(escape(line) for line in part.split("\n")) + "</p>"))
            for part in paragraphs
        ]

    def editor(self, row):
        """(user, name): the user with that username or display name, else no user and the name kept as text."""
        name = self.text(row, "editor")
        if not name:
            return None, ""
        if self.users_by_name is None:
            self.users_by_name = {}
            for user in get_user_model().objects.filter(is_active=True):
                for key in {user.get_full_name().strip(), user.first_name.strip()} - {""}:
                    # A display name shared by two people matches neither: better kept as text than guessed.
                    self.users_by_name[key] = None if key in self.users_by_name else user
            self.users_by_name.update(
                {user.get_username(): user for user in get_user_model().objects.filter(is_active=True)}
            )
        user = self.users_by_name.get(name)
        return user, "" if user else name

    # Writing

    def import_row(self, row):
        """Create or update one article; returns "created" or "updated", raises RowError for a bad row."""
        if not isinstance(row, dict):
            raise RowError("每行应为一个 JSON 对象")
        legacy_id = self.text(row, "id", required=True)
        channel = self.channel(row)
        date = self.date(row)
        editor, editor_name = self.editor(row)
        source = self.text(row, "source")
        author = self.text(row, "author")
        summary = row.get("summary") or ""
        if not isinstance(summary, str):
            raise RowError("字段 summary 应为文本")
        values = {
            "title": self.text(row, "title", required=True),
            "subtitle": self.text(row, "subtitle"),
            "date": date,
            "source_name": source,
            "source_url": self.source_url(row),
            # A reprint names its original title and author; the site's own story names its reporter.
            "original_title": self.text(row, "original_title") if source else "",
            "original_author": author if source else "",
            "byline": "" if source else author,
            "responsible_editor": editor,
            "editor_name": editor_name,
            "summary": summary.strip(),
            "body": self.body(row),
        }
        tags = self.tags(row)

        article = ArticlePage.objects.filter(legacy_id=legacy_id).first()
        created = article is None
        if not created and article.current_workflow_state is not None:
            # The archive never publishes over work in progress in this system: that goes through review.
            raise RowError(f"稿件《{article.title}》正在本系统审核中,未覆盖;审核结束后再导入此行")
        if not created and article.get_parent().pk != channel.pk:
            article.move(channel, pos="last-child")
            article = ArticlePage.objects.get(pk=article.pk)  # the tree fields changed under the old instance
        if created:
            article = ArticlePage(legacy_id=legacy_id, slug=self.slug_for(legacy_id, channel))
        for name, value in values.items():
            setattr(article, name, value)
        article.first_published_at = date
        article.tags.set(tags)
        try:
            if created:
                channel.add_child(instance=article)
            else:
                article.save()
        except ValidationError as error:
            raise RowError(validation_message(error)) from error
        revision = article.save_revision(log_action=False)
        revision.publish(log_action=False)
        return "created" if created else "updated"

    def slug_for(self, legacy_id, channel):
        slug = slugify(f"article-{legacy_id}", allow_unicode=True) or "article"
        taken = set(ArticlePage.objects.child_of(channel).filter(slug__startswith=slug).values_list("slug", flat=True))
        candidate, number = slug, 2
        while candidate in taken:
            candidate, number = f"{slug}-{number}", number + 1
        return candidate

    def import_lines(self, lines, progress=None):
        """Import numbered lines of text; returns an ImportReport. `progress(count)` is called after each line."""
        report = ImportReport()
        batch = []
        for number, line in enumerate(lines, start=1):
            batch.append((number, line))
            if len(batch) >= BATCH_SIZE:
                self._import_batch(batch, report, progress)
                batch = []
        self._import_batch(batch, report, progress)
        return report

    def _import_batch(self, batch, report, progress):
        with transaction.atomic(), deferred_indexing() as saved, publication_without_review(ARCHIVE_IMPORT):
            for number, line in batch:
                if line.strip():
                    self._import_line(number, line, report)
                if progress is not None:
                    progress(number)
            index_articles(saved)

    def _import_line(self, number, line, report):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            report.rejected.append((number, f"不是有效的 JSON({error.msg},第 {error.colno} 列)"))
            return
        try:
            with transaction.atomic():
                outcome = self.import_row(row)
        except RowError as error:
            report.rejected.append((number, str(error)))
            return
        if outcome == "created":
            report.created += 1
        else:
            report.updated += 1


def validation_message(error):
    if hasattr(error, "message_dict"):
        return ";".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)
