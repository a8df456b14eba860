"""统计: the newsroom's figures for chief editors, from two narrow summary tables.

``ArticleStats`` holds one row per published article (channel, reporter, first publication, 字数, images,
原创 or 转载), written on every publication; ``ReviewStat`` one row per review decision (stage, reviewer, how
long the stage took, 审核通过 or 退回修改), written when the decision is taken. The report adds them up with
aggregate queries, so its cost follows the number of groups shown, not the number of articles.

Definitions, as the report states them:

- 记者: the article's owner (who created it; 写稿 makes the reporter the owner).
- 字数: ``articles.wordcount`` on the published title, summary and body (each 汉字 one, a Latin word one).
- 图片: the image blocks of the body with an image chosen, plus the cover image.
- 转载: 来源 names an outlet other than this site (its site name, 本网, 本站, 本报), as the provenance check
  decides; an empty 来源 is 原创.
- 审核用时: from the start of a stage (the submission reaching it) to its decision; median and 90th percentile
  are PostgreSQL's ``percentile_cont`` (linear interpolation), computed the same way in Python elsewhere.
- 退回率: 退回修改 decisions among all decisions.
"""

import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Aggregate, Count, FloatField, Max, Min, Q, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from wagtail.models import Page, TaskState
from wagtail.signals import page_published, task_approved, task_rejected

from articles.models import ArticlePage, ChannelIndexPage
from articles.text import person_name
from articles.wordcount import article_word_count

from .checks.rules.provenance import ALWAYS_OWN
from .models import ArticleStats, ReviewStat
from .review_gate import is_article

DECISIONS = (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)
PERIODS = {"day": "按日", "week": "按周", "month": "按月"}
TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
# Review time distribution: (label, upper bound in seconds; None for the open last bucket).
HOUR = 3600
BUCKETS = (
    ("1小时内", HOUR),
    ("1–2小时", 2 * HOUR),
    ("2–4小时", 4 * HOUR),
    ("4–8小时", 8 * HOUR),
    ("8–24小时", 24 * HOUR),
    ("1–2天", 48 * HOUR),
    ("2–7天", 7 * 24 * HOUR),
    ("7天以上", None),
)
UNKNOWN_PERSON = "未注明"


# Keeping the summary rows up to date.


def own_outlets():
    """来源 names that mean this site itself: the provenance rule's own, and the site's name."""
    from .proofreading import own_outlets as site_outlets

    return {name.strip() for name in (*ALWAYS_OWN, *site_outlets()) if name and name.strip()}


def is_reprint(source_name, own=None):
    source = (source_name or "").strip()
    return bool(source) and source not in (own_outlets() if own is None else own)


def _chosen_image(block):
    value = block.get("value") if block.get("type") == "image" else None
    image = value.get("image") if isinstance(value, dict) else None
    # Wagtail's ImageBlock keeps {"image": id, "alt_text": …}; older content kept the id alone.
    return image.get("image") if isinstance(image, dict) else image


def image_count(page):
    images = sum(1 for block in page.body.raw_data or [] if _chosen_image(block))
    return images + (1 if page.cover_image_id else 0)


def article_facts(page, own=None):
    """The summary row's figures for an article as it is published."""
    return {
        "channel_id": page.channel_id,
        "reporter_id": page.owner_id,
        "word_count": article_word_count(page),
        "image_count": image_count(page),
        "reprint": is_reprint(page.source_name, own),
    }


def record_article(page):
    """Write (or refresh) the article's summary row; its first publication time is kept once set."""
    first = page.first_published_at or page.last_published_at or timezone.now()
    facts = article_facts(page)
    ArticleStats.objects.update_or_create(
        page_id=page.pk, defaults=facts, create_defaults={**facts, "first_published_at": first}
    )


def _review_row(task_state, channel_id, reporter_id):
    started, finished = task_state.started_at, task_state.finished_at
    return ReviewStat(
        task_state_id=task_state.pk,
        page_id=int(task_state.workflow_state.object_id),
        channel_id=channel_id,
        reporter_id=reporter_id,
        reviewer_id=task_state.finished_by_id,
        task_name=task_state.task.name,
        decision=task_state.status,
        started_at=started,
        decided_at=finished,
        duration_seconds=max(0, round((finished - started).total_seconds())),
    )


def record_review(task_state):
    """Keep a finished stage of an article's review with its duration (once per task state)."""
    if task_state.status not in DECISIONS or task_state.finished_at is None:
        return None
    workflow_state = task_state.workflow_state
    if workflow_state.base_content_type_id != ContentType.objects.get_for_model(Page).pk:
        return None
    channel = ArticlePage.objects.filter(pk=workflow_state.object_id).values_list("channel_id", flat=True)[:1]
    if not channel:
        return None  # a channel or the home page under review: not an article
    row = _review_row(task_state, channel[0], workflow_state.requested_by_id)
    row.save()
    return row


def _published(sender, instance, revision, alias=False, **kwargs):
    if alias or not is_article(instance) or not instance.live:
        return
    record_article(instance.specific_deferred if type(instance) is Page else instance)


def _decided(sender, instance, user=None, **kwargs):
    record_review(instance)


def connect():
    page_published.connect(_published, dispatch_uid="qingshan-article-stats")
    task_approved.connect(_decided, dispatch_uid="qingshan-review-stats-approved")
    task_rejected.connect(_decided, dispatch_uid="qingshan-review-stats-rejected")


def rebuild(batch=1000):
    """Fill both summary tables from the articles and finished reviews already in the database (idempotent).

    Returns (articles, reviews) written.
    """
    own = own_outlets()
    articles = 0
    last = 0
    fields = ["title", "summary", "body", "source_name", "cover_image", "owner", "channel", "first_published_at"]
    while True:
        pages = list(
            ArticlePage.objects.filter(first_published_at__isnull=False, pk__gt=last)
            .order_by("pk")
            .only(*fields)[:batch]
        )
        if not pages:
            break
        rows = [
            ArticleStats(page_id=page.pk, first_published_at=page.first_published_at, **article_facts(page, own))
            for page in pages
        ]
        _upsert(ArticleStats, rows, ["page"])
        articles += len(rows)
        last = pages[-1].pk

    reviews = 0
    last = 0
    page_type = ContentType.objects.get_for_model(Page)
    while True:
        task_states = list(
            TaskState.objects.filter(
                pk__gt=last,
                status__in=DECISIONS,
                finished_at__isnull=False,
                workflow_state__base_content_type=page_type,
            )
            .select_related("workflow_state", "task")
            .order_by("pk")[:batch]
        )
        if not task_states:
            break
        channels = dict(
            ArticlePage.objects.filter(
                pk__in={int(state.workflow_state.object_id) for state in task_states}
            ).values_list("pk", "channel_id")
        )
        rows = [
            _review_row(state, channels[int(state.workflow_state.object_id)], state.workflow_state.requested_by_id)
            for state in task_states
            if int(state.workflow_state.object_id) in channels
        ]
        _upsert(ReviewStat, rows, ["task_state_id"])
        reviews += len(rows)
        last = task_states[-1].pk
    return articles, reviews


def _upsert(model, rows, unique_fields):
    update = [f.name for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    model.objects.bulk_create(rows, update_conflicts=True, unique_fields=unique_fields, update_fields=update)


# The report's queries.


@dataclass
class StatsFilter:
    """What the report covers: a date range (local dates, both ends included), a channel, a person, a period."""

    date_from: date | None = None
    date_to: date | None = None
    channel_id: int | None = None
    person_id: int | None = None
    period: str = ""

    def bounds(self):
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.date_from, time.min, zone) if self.date_from else None
        end = datetime.combine(self.date_to + timedelta(days=1), time.min, zone) if self.date_to else None
        return start, end

    def articles(self):
        """The articles first published in range, in the channel, written by the person."""
        rows = ArticleStats.objects.all()
        if self.date_from:
            rows = rows.filter(published_on__gte=self.date_from)
        if self.date_to:
            rows = rows.filter(published_on__lte=self.date_to)
        if self.channel_id:
            rows = rows.filter(channel_id=self.channel_id)
        if self.person_id:
            rows = rows.filter(reporter_id=self.person_id)
        return rows

    def reviews(self):
        """The review decisions taken in range, on articles of the channel, by the person."""
        rows = ReviewStat.objects.all()
        start, end = self.bounds()
        if start:
            rows = rows.filter(decided_at__gte=start)
        if end:
            rows = rows.filter(decided_at__lt=end)
        if self.channel_id:
            rows = rows.filter(channel_id=self.channel_id)
        if self.person_id:
            rows = rows.filter(reviewer_id=self.person_id)
        return rows


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``.

    PostgreSQL sorts once for all the fractions of the same expression and filter, so asking for the median and
    the 90th percentile costs one sort per group.
    """

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile_cont(values, fraction):
    """``percentile_cont`` of sorted ``values``: linear interpolation between the closest ranks, None if empty."""
    if not values:
        return None
    position = fraction * (len(values) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return values[lower] + (values[upper] - values[lower]) * (position - lower)


REVIEW_FIGURES = {
    "decisions": Count("pk"),
    "rejected": Count("pk", filter=Q(decision=TaskState.STATUS_REJECTED)),
}


def _bucket_figures():
    figures, lower = {}, 0
    for index, (_label, upper) in enumerate(BUCKETS):
        condition = Q(duration_seconds__gte=lower)
        if upper is not None:
            condition &= Q(duration_seconds__lt=upper)
        figures[f"b{index}"] = Count("pk", filter=condition)
        lower = upper
    return figures


BUCKET_FIGURES = _bucket_figures()
FRACTIONS = {"median": 0.5, "p90": 0.9}
# Sorting every duration of three years in memory takes ~30 MB; PostgreSQL's default (4 MB) spills to disk.
REPORT_WORK_MEM = "64MB"


@contextmanager
def report_session():
    """The report's queries, on PostgreSQL, in one transaction with room to sort in memory and no JIT.

    Past the planner's JIT threshold (a few hundred thousand rows) compiling the expressions only adds its
    own time to queries that spend theirs sorting and hashing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
        cursor.execute("SET LOCAL jit = off")
        yield


def review_figures(reviews):
    """The review decisions' figures: (totals, {task_name: row}, {reviewer_id: row}, distribution).

    A row holds decisions, rejected, rate, median and p90 seconds. Two queries whatever the number of rows:
    counts and the time distribution per stage × reviewer pair (hashed, no sort), added up here; then every
    group's percentiles (``review_percentiles``).
    """
    pairs = list(reviews.values("task_name", "reviewer_id").annotate(**REVIEW_FIGURES, **BUCKET_FIGURES).order_by())
    totals = _total(pairs, REVIEW_FIGURES)
    by_stage = _sum_by(pairs, "task_name", REVIEW_FIGURES)
    by_reviewer = _sum_by(pairs, "reviewer_id", REVIEW_FIGURES)
    percentiles = review_percentiles(reviews, by_stage, by_reviewer)
    for key, rows in ((None, {None: totals}), ("task_name", by_stage), ("reviewer_id", by_reviewer)):
        for value, row in rows.items():
            row.pop(key, None)
            row["median"], row["p90"] = percentiles.get((key, value), (None, None))
            row["rate"] = row["rejected"] / row["decisions"] if row["decisions"] else None
    distribution = [(label, sum(pair[f"b{index}"] for pair in pairs)) for index, (label, _upper) in enumerate(BUCKETS)]
    return totals, by_stage, by_reviewer, distribution


def review_percentiles(reviews, stages, reviewers):
    """{(key, value): (median, p90)} for the whole range (key None), each stage and each reviewer.

    On PostgreSQL one aggregate with a filtered ``percentile_cont`` per group: every row goes to the three sorts
    it belongs to, with no GROUP BY to sort the rows by first. Elsewhere (the embedded database of development
    and tests is small) from the durations, sorted here.
    """
    groups = [(None, None), *(("task_name", name) for name in stages), *(("reviewer_id", pk) for pk in reviewers)]
    if connection.vendor != "postgresql":
        durations = {}
        for task_name, reviewer_id, seconds in reviews.values_list("task_name", "reviewer_id", "duration_seconds"):
            for group in ((None, None), ("task_name", task_name), ("reviewer_id", reviewer_id)):
                durations.setdefault(group, []).append(seconds)
        result = {}
        for group in groups:
            values = sorted(durations.get(group, []))
            result[group] = tuple(percentile_cont(values, fraction) for fraction in FRACTIONS.values())
        return result
    aggregates = {}
    for index, (key, value) in enumerate(groups):
        condition = None if key is None else Q(**({f"{key}__isnull": True} if value is None else {key: value}))
        for name, fraction in FRACTIONS.items():
            aggregates[f"g{index}_{name}"] = PercentileCont("duration_seconds", fraction, filter=condition)
    values = reviews.aggregate(**aggregates)
    return {group: tuple(values[f"g{index}_{name}"] for name in FRACTIONS) for index, group in enumerate(groups)}


ARTICLE_FIGURES = {
    "articles": Count("pk"),
    "words": Sum("word_count"),
    "images": Sum("image_count"),
    "reprints": Count("pk", filter=Q(reprint=True)),
}


def _article_row(row):
    row["words"] = row["words"] or 0
    row["images"] = row["images"] or 0
    row["originals"] = row["articles"] - row["reprints"]
    return row


def choose_period(stats_filter, first, last):
    """The period asked for, or by the span shown: days up to two months, weeks up to a year, then months."""
    if stats_filter.period in PERIODS:
        return stats_filter.period
    start = stats_filter.date_from or first
    end = stats_filter.date_to or last
    if start is None or end is None:
        return "day"
    span = (end - start).days
    return "day" if span <= 62 else "week" if span <= 366 else "month"


def _period_start(value, period):
    day = timezone.localtime(value).date() if isinstance(value, datetime) else value
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _next_period(day, period):
    if period == "day":
        return day + timedelta(days=1)
    if period == "week":
        return day + timedelta(days=7)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_label(day, period):
    if period == "month":
        return f"{day:%Y-%m}"
    if period == "week":
        return f"{day:%Y-%m-%d}起"
    return f"{day:%Y-%m-%d}"


def period_sequence(first, last, period):
    """Every period from ``first`` to ``last`` (dates), so that a quiet day still shows as zero."""
    days, day = [], _period_start(first, period)
    end = _period_start(last, period)
    while day <= end:
        days.append(day)
        day = _next_period(day, period)
    return days


def volumes(articles, period):
    """Articles per period, per channel and per reporter: two tables {period start: {id: count}}.

    One grouped query (period × channel × reporter) on the stored local date feeds both; its rows are at most
    periods × channel–reporter pairs.
    """
    trunc = TRUNC[period]("published_on")
    by_channel, by_reporter = {}, {}
    rows = articles.annotate(period=trunc).values_list("period", "channel_id", "reporter_id").annotate(n=Count("pk"))
    for when, channel_id, reporter_id, count in rows.order_by():
        day = _period_start(when, period)
        channels = by_channel.setdefault(day, {})
        channels[channel_id] = channels.get(channel_id, 0) + count
        reporters = by_reporter.setdefault(day, {})
        reporters[reporter_id] = reporters.get(reporter_id, 0) + count
    return by_channel, by_reporter


def _total(groups, figures):
    """The ``figures`` added up over all the ``groups`` (rows of a grouped query)."""
    totals = dict.fromkeys(figures, 0)
    for group in groups:
        for name in figures:
            totals[name] += group[name] or 0
    return totals


def _sum_by(groups, key, figures):
    """The ``figures`` per value of ``key``, added up from finer ``groups``: {value: row}."""
    rows = {}
    for group in groups:
        row = rows.setdefault(group[key], {key: group[key], **dict.fromkeys(figures, 0)})
        for name in figures:
            row[name] += group[name] or 0
    return rows


def _articles_by(groups, key):
    """Article figures per channel or reporter: most articles first, ties by number, a missing one last."""
    rows = sorted(
        _sum_by(groups, key, ARTICLE_FIGURES).values(),
        key=lambda row: (-row["articles"], row[key] is None, row[key] or 0),
    )
    return [_article_row(row) for row in rows]


@dataclass
class Report:
    """Every figure of the report, with the names it labels them by."""

    filter: StatsFilter
    period: str
    totals: dict
    periods: list = field(default_factory=list)  # [(date, label)]
    channels: list = field(default_factory=list)  # [(id, title)] of the channels in the figures
    volume_by_channel: dict = field(default_factory=dict)
    volume_by_reporter: dict = field(default_factory=dict)
    by_channel: list = field(default_factory=list)
    by_reporter: list = field(default_factory=list)
    review_totals: dict = field(default_factory=dict)
    by_stage: list = field(default_factory=list)
    by_reviewer: list = field(default_factory=list)
    distribution: list = field(default_factory=list)
    reporters: list = field(default_factory=list)  # [(id, name)] in the figures


def person_names(ids):
    """Names of users by id, family name first; a missing user keeps their number."""
    users = get_user_model().objects.in_bulk([pk for pk in ids if pk is not None])
    return {
        pk: (person_name(users[pk]) if pk in users else (f"已删除用户 #{pk}" if pk is not None else UNKNOWN_PERSON))
        for pk in ids
    }


def channel_titles(ids):
    titles = dict(ChannelIndexPage.objects.filter(pk__in=[pk for pk in ids if pk]).values_list("pk", "title"))
    return {pk: titles.get(pk, f"已删除栏目 #{pk}" if pk else "未分栏目") for pk in ids}


def build_report(stats_filter):
    """All the report's figures for ``stats_filter``: six queries whatever the number of rows.

    Four read the summary tables (articles by channel × reporter, and by period × channel × reporter; review
    decisions by stage × reviewer, and their percentiles), two fetch the names shown.
    """
    with report_session():
        return _build_report(stats_filter)


def _build_report(stats_filter):
    articles = stats_filter.articles()
    reviews = stats_filter.reviews()

    # The article figures: one grouped query (channel × reporter: at most a few hundred rows) gives the totals,
    # the channels, the reporters and the first and last publication.
    groups = list(
        articles.values("channel_id", "reporter_id")
        .annotate(**ARTICLE_FIGURES, first=Min("published_on"), last=Max("published_on"))
        .order_by()
    )
    totals = _article_row(_total(groups, ARTICLE_FIGURES))
    totals["words_per_article"] = totals["words"] / totals["articles"] if totals["articles"] else None
    first = min(group["first"] for group in groups) if groups else None
    last = max(group["last"] for group in groups) if groups else None
    period = choose_period(stats_filter, first, last)

    by_channel = _articles_by(groups, "channel_id")
    by_reporter = _articles_by(groups, "reporter_id")
    volume_by_channel, volume_by_reporter = volumes(articles, period) if totals["articles"] else ({}, {})

    review_totals, stages, reviewers, distribution = review_figures(reviews)
    by_stage = [dict(row, task_name=name) for name, row in stages.items()]
    by_stage.sort(key=lambda row: (-row["decisions"], row["task_name"]))
    by_reviewer = [dict(row, reviewer_id=pk) for pk, row in reviewers.items()]
    by_reviewer.sort(key=lambda row: (-row["decisions"], row["reviewer_id"] or 0))

    channel_ids = [row["channel_id"] for row in by_channel]
    titles = channel_titles(channel_ids)
    people = person_names({row["reporter_id"] for row in by_reporter} | {row["reviewer_id"] for row in by_reviewer})
    for row in by_channel:
        row["name"] = titles[row["channel_id"]]
    for row in by_reporter:
        row["name"] = people[row["reporter_id"]]
    for row in by_reviewer:
        row["name"] = people[row["reviewer_id"]]

    start = stats_filter.date_from or first
    end = stats_filter.date_to or last
    periods = period_sequence(start, end, period) if start and end and totals["articles"] else []
    return Report(
        filter=stats_filter,
        period=period,
        totals=totals,
        periods=[(day, period_label(day, period)) for day in periods],
        channels=[(pk, titles[pk]) for pk in channel_ids],
        volume_by_channel=volume_by_channel,
        volume_by_reporter=volume_by_reporter,
        by_channel=by_channel,
        by_reporter=by_reporter,
        review_totals=review_totals,
        by_stage=by_stage,
        by_reviewer=by_reviewer,
        distribution=distribution,
        reporters=[(row["reporter_id"], row["name"]) for row in by_reporter],
    )


def hours(seconds):
    """Seconds as hours with two decimals, for the exports; None stays empty."""
    return None if seconds is None else round(seconds / HOUR, 2)


def duration_text(seconds):
    """A review time for people: 分钟 under an hour, 小时 under two days, then 天."""
    if seconds is None:
        return "—"
    if seconds < HOUR:
        return f"{round(seconds / 60)}分钟"
    if seconds < 48 * HOUR:
        return f"{seconds / HOUR:.1f}小时"
    return f"{seconds / (24 * HOUR):.1f}天"


def percent(rate):
    return "—" if rate is None else f"{rate * 100:.1f}%"
