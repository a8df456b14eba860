"""统计 report speed on PostgreSQL: 100,000 published articles and 300,000 review decisions.

    pg_ctlcluster 15 main start
    python bench/stats.py [--articles 100000] [--repeat 5] [--keep] [--explain]
        [--postgres postgres://qingshan:qingshan@127.0.0.1:5432/qingshan_bench_stats]

What it builds, and what it leaves out: the report reads only its two summary tables (``ArticleStats``, one
row per published article; ``ReviewStat``, one row per review decision), plus the channel titles and the
people's names it labels them with. So the script migrates a throw-away database, creates the four channel
pages (through Wagtail, valid tree) and 40 newsroom accounts, and fills the summary tables directly with two
``INSERT … SELECT … FROM generate_series`` statements, as publication and review would have written them:
three years of publishing over four channels (要闻 takes 55%), 30 reporters, three review decisions per
article (a fifth of the first two send the piece back; 要闻's last one is 总编辑终审), log-normal review times.
It creates no article pages and no revisions: the report never reads them, and the figures would be the same.
A 100,000-article database builds in well under a minute.

Then, for each filter (none, a channel, a person, a month), it times the report's queries (``build_report``)
and the whole view (the admin's GET, as a chief editor, in-process: server time, no network), median of
--repeat after one warm-up, and counts the SQL queries per request. ``--explain`` also prints ``EXPLAIN
(ANALYZE, BUFFERS)`` of the slowest report queries. The database is dropped at the end unless --keep; with
--keep, a database that already holds the summary rows is migrated and reused instead of rebuilt.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://qingshan:qingshan@127.0.0.1:5432/qingshan_bench_stats"
# Summary rows of articles that have no page here: ids well above any real page.
FIRST_PAGE_ID = 1_000_000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", "-n", type=int, default=100_000)
    parser.add_argument("--revisions-per-article", type=int, default=3, help="review decisions per article")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", default=DEFAULT_URL, help="a throw-away database: dropped and created")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards, reuse it next time")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) the slowest queries")
    return parser.parse_args()


def _server(url):
    import psycopg

    return psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def database_exists(url):
    with _server(url) as connection:
        name = url.rsplit("/", 1)[1]
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def recreate_database(url):
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with _server(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url):
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    name = url.rsplit("/", 1)[1]
    with _server(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def people():
    """The newsroom's accounts (reporters, editors, chief editors), created once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from home.models import HomePage
    from newsroom.setup import setup_newsroom

    User = get_user_model()
    made = {"reporters": [], "editors": [], "chiefs": []}
    if not User.objects.filter(username="reporters0").exists():
        setup_newsroom(HomePage.objects.get())
    families = "王李张刘陈杨赵黄周吴"
    for role, group, count in (("reporters", "记者", 30), ("editors", "责任编辑", 8), ("chiefs", "总编辑", 2)):
        for number in range(count):
            user, created = User.objects.get_or_create(
                username=f"{role}{number}",
                defaults={"last_name": families[number % 10], "first_name": f"{role[0]}{number}"},
            )
            if created:
                user.set_password("bench-pass-123")
                user.save()
                user.groups.set([Group.objects.get(name=group)])
            made[role].append(user)
    return made


ARTICLES_SQL = """
INSERT INTO newsroom_articlestats
    (page_id, channel_id, reporter_id, first_published_at, word_count, image_count, reprint, updated_at)
SELECT %(first_page)s + n,
       CASE WHEN n %% 20 < 11 THEN (%(channels)s::bigint[])[1] ELSE (%(channels)s::bigint[])[2 + n %% 3] END,
       (%(reporters)s::bigint[])[1 + n %% cardinality(%(reporters)s::bigint[])],
       %(start)s::timestamptz + %(span)s::interval * (n::float8 / %(total)s),
       300 + floor(random() * 2701)::int,
       floor(random() * 7)::int,
       random() < 0.3,
       now()
FROM generate_series(0, %(total)s - 1) AS n
"""

# One decision per (article, step); the last step of a 要闻 article is 总编辑终审. Review time: log-normal
# (mu 8.5, sigma 1.2 in seconds, about 80 minutes' median) by Box–Muller.
REVIEWS_SQL = """
INSERT INTO newsroom_reviewstat
    (task_state_id, page_id, channel_id, reporter_id, reviewer_id, task_name, decision,
     started_at, decided_at, duration_seconds)
SELECT id, page_id, channel_id, reporter_id,
       CASE WHEN final THEN (%(chiefs)s::bigint[])[1 + id %% cardinality(%(chiefs)s::bigint[])]
            ELSE (%(editors)s::bigint[])[1 + id %% cardinality(%(editors)s::bigint[])] END,
       CASE WHEN final THEN '总编辑终审' ELSE '责任编辑审核' END,
       CASE WHEN step < %(steps)s - 1 AND random() < 0.2 THEN 'rejected' ELSE 'approved' END,
       decided - make_interval(secs => seconds), decided, seconds
FROM (
    SELECT (a.page_id - %(first_page)s) * %(steps)s + s.step + 1 AS id, a.page_id, a.channel_id, a.reporter_id,
           s.step, s.step = %(steps)s - 1 AND a.channel_id = (%(channels)s::bigint[])[1] AS final,
           a.first_published_at - make_interval(mins => 30 * %(steps)s - 20 * (s.step + 1)) AS decided,
           floor(exp(8.5 + 1.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::int AS seconds
    FROM newsroom_articlestats a CROSS JOIN generate_series(0, %(steps)s - 1) AS s(step)
    WHERE a.page_id >= %(first_page)s
) AS decisions
"""


def fill(total, per_article, users, channels):
    """The summary rows, in two set-based statements (seconds, not minutes)."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    span = timedelta(days=3 * 365)  # three years of publishing
    params = {
        "first_page": FIRST_PAGE_ID,
        "channels": [channel.pk for channel in channels],
        "reporters": [user.pk for user in users["reporters"]],
        "editors": [user.pk for user in users["editors"]],
        "chiefs": [user.pk for user in users["chiefs"]],
        "start": now - span,
        "span": span,
        "total": total,
        "steps": per_article,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.20221109)")
        started = time.monotonic()
        cursor.execute(ARTICLES_SQL, params)
        print(f"ArticleStats: {cursor.rowcount:,} rows in {time.monotonic() - started:.1f}s", file=sys.stderr)
        started = time.monotonic()
        cursor.execute(REVIEWS_SQL, params)
        print(f"ReviewStat: {cursor.rowcount:,} rows in {time.monotonic() - started:.1f}s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE newsroom_articlestats")
        cursor.execute("VACUUM ANALYZE newsroom_reviewstat")


def explain_slowest(stats_filter, count=4):
    """EXPLAIN (ANALYZE, BUFFERS) every query of the report for ``stats_filter``; print the slowest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsroom.stats import build_report, report_session

    with CaptureQueriesContext(connection) as captured:
        build_report(stats_filter)
    plans = []
    with report_session(), connection.cursor() as cursor:  # the settings the report runs with
        for query in captured.captured_queries:
            if not query["sql"].startswith("SELECT"):
                continue  # the report's own transaction and settings
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            text = "\n".join(row[0] for row in cursor.fetchall())
            plans.append((plan["Execution Time"], query["sql"], text))
    plans.sort(reverse=True)
    print(f"\nslowest of {len(plans)} queries, {stats_filter}:")
    for elapsed, sql, text in plans[:count]:
        print(f"\n-- {elapsed:.0f} ms\n{sql}\n{text}")


def time_report(args, channels, users):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from newsroom.models import ArticleStats, ReviewStat
    from newsroom.stats import StatsFilter, build_report

    last = ArticleStats.objects.order_by("-first_published_at").values_list("first_published_at", flat=True).first()
    month_start = timezone.localtime(last).date().replace(day=1) - timedelta(days=31)
    month_start = month_start.replace(day=1)
    month_end = (month_start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    person = users["reporters"][0]
    cases = [
        ("no filter", {}, {}),
        (f"channel {channels[0].title}", {"channel_id": channels[0].pk}, {"channel": channels[0].pk}),
        (f"person {person.username}", {"person_id": person.pk}, {"person": person.pk}),
        (
            f"month {month_start:%Y-%m}",
            {"date_from": month_start, "date_to": month_end},
            {"date_from": month_start.isoformat(), "date_to": month_end.isoformat()},
        ),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(users["chiefs"][0])
    print(f"articles {ArticleStats.objects.count():,}, review decisions {ReviewStat.objects.count():,}")
    print(f"PostgreSQL {connection.pg_version}, Python {sys.version.split()[0]}, load {os.getloadavg()}")
    print()
    print("| filter | queries (build_report) | median ms | max ms | view GET median ms | view queries |")
    print("|---|---|---|---|---|---|")
    for label, filters, query in cases:
        build_report(StatsFilter(**filters))  # warm-up
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            build_report(StatsFilter(**filters))
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as captured:
            build_report(StatsFilter(**filters))
        report_queries = len(captured)
        client.get("/admin/reports/newsroom-stats/", query)
        view_times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get("/admin/reports/newsroom-stats/", query)
            view_times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as captured:
            client.get("/admin/reports/newsroom-stats/", query)
        print(
            f"| {label} | {report_queries} | {statistics.median(times):.0f} | {max(times):.0f} | "
            f"{statistics.median(view_times):.0f} | {len(captured)} |",
            flush=True,
        )
    print(f"load afterwards {os.getloadavg()}")
    if args.explain:
        for _label, filters, _query in cases:
            explain_slowest(StatsFilter(**filters))


def main():
    args = parse_args()
    reuse = args.keep and database_exists(args.postgres)
    if not reuse:
        recreate_database(args.postgres)
    setup_django(args.postgres)
    from django.core.management import call_command

    from bench.generate import make_channels
    from home.models import HomePage
    from newsroom.models import ArticleStats

    try:
        started = time.monotonic()
        call_command("migrate", "--noinput", verbosity=0)
        users = people()
        channels = make_channels(HomePage.objects.get())
        if reuse and ArticleStats.objects.filter(page_id__gte=FIRST_PAGE_ID).count() == args.articles:
            print("reusing the kept database", file=sys.stderr)
        else:
            ArticleStats.objects.all().delete()
            from newsroom.models import ReviewStat

            ReviewStat.objects.all().delete()
            fill(args.articles, args.revisions_per_article, users, channels)
            print(f"built in {time.monotonic() - started:.0f}s", file=sys.stderr)
        time_report(args, channels, users)
    finally:
        if not args.keep:
            drop_database(args.postgres)


if __name__ == "__main__":
    main()
