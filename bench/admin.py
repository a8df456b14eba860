"""Admin speed: SQL queries and server time per admin view, as each newsroom role, at N articles.

    python bench/admin.py [--articles 2000] [--repeat 7] [--rebuild] [--postgres URL]

Builds (or reuses) a throw-away database bench/out/admin-N.sqlite3 (or, with --postgres, the PostgreSQL
database named in URL, dropped and created again) with N generated articles (bench/generate.py, without
the reader search index, which no view measured here reads), puts one article under review with the
responsible editor, and requests each view in-process with Django's test client under the benchmark's
production settings (bench/settings.py, DEBUG off): the dashboard as 记者, 责任编辑 and 总编辑, the
explorer of 要闻 (55 % of the archive), the editor of the article under review, and the approve dialog
of its review. For each view: SQL queries on one request, and the median and maximum of --repeat timed
requests after one warm-up (server time: from the request entering Django to the response, no network).
Results: a Markdown table on stdout and bench/out/admin-N-{sqlite,postgres}.json.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
ROLES = (("jizhe", "记者"), ("bianji", "责任编辑"), ("zongbian", "总编辑"))
# The chooser's search (页面选择器 搜索) reads the search index; run with --chooser-search once that index is
# built for the benchmark database (bench/generate.py's build_search_index) to add its row.
CHOOSER_SEARCH = ("chooser search 生态 (责任编辑)", "bianji", "/admin/choose-page/search/?q=%E7%94%9F%E6%80%81")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", "-n", type=int, default=int(os.environ.get("N", "2000")))
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per view (median reported)")
    parser.add_argument("--rebuild", action="store_true", help="generate the database again even if it exists")
    parser.add_argument("--chooser-search", action="store_true", help="also time the page chooser's search")
    parser.add_argument("--postgres", metavar="URL", help="a throw-away PostgreSQL database (dropped and created)")
    return parser.parse_args()


def environment(args):
    env = dict(os.environ)
    if args.postgres:
        marker, label = OUT / f"admin-{args.articles}-postgres.built", "postgres"
        env["DATABASE_URL"] = args.postgres
    else:
        marker, label = OUT / f"admin-{args.articles}.sqlite3", "sqlite"
        env["DATABASE_URL"] = f"sqlite:///{marker}"
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_PAGE_CACHE_GENERATION_FILE=str(OUT / f"admin-generation-{args.articles}-{label}"),
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    return marker, env, label


def build(marker, env, args):
    def run(command):
        subprocess.run(command, cwd=ROOT, env=env, check=True)

    if marker.exists() and not args.rebuild:
        print(f"Reusing the {args.articles}-article database (--rebuild to generate again)", file=sys.stderr)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"])
        return
    if args.postgres:
        from bench.run import recreate_postgres_database

        marker.unlink(missing_ok=True)
        recreate_postgres_database(args.postgres)
    else:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{marker}{suffix}").unlink(missing_ok=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"])
    index = "" if args.chooser_search else "generate.build_search_index = lambda: None; "
    run([PYTHON, "manage.py", "shell", "-c", f"from bench import generate; {index}generate.generate({args.articles})"])
    if args.postgres:
        marker.write_text(args.postgres)


def article_under_review():
    """The reporter's newest 要闻 article, submitted for review with the responsible editor (once per database)."""
    from django.contrib.auth import get_user_model

    from articles.models import ArticlePage, ChannelIndexPage

    reporter = get_user_model().objects.get(username="jizhe")
    yaowen = ChannelIndexPage.objects.get(slug="yaowen")
    page = ArticlePage.objects.child_of(yaowen).filter(owner=reporter).order_by("-date", "-pk").first()
    if page.current_workflow_task_state is None:
        page.title = f"{page.title}(送审)"
        page.save_revision(user=reporter)
        page.get_workflow().start(page, reporter)
    return ArticlePage.objects.get(pk=page.pk), yaowen


def views(args):
    from django.urls import reverse

    page, yaowen = article_under_review()
    task_state = page.current_workflow_task_state
    rows = [(f"dashboard ({role})", username, "/admin/") for username, role in ROLES]
    rows += [
        ("explorer 要闻 (总编辑)", "zongbian", reverse("wagtailadmin_explore", args=(yaowen.pk,))),
        ("explorer 要闻 page 2 (总编辑)", "zongbian", reverse("wagtailadmin_explore", args=(yaowen.pk,)) + "?p=2"),
        ("edit view, under review (责任编辑)", "bianji", reverse("wagtailadmin_pages:edit", args=(page.pk,))),
        (
            "workflow action: approve dialog (责任编辑)",
            "bianji",
            reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        ),
    ]
    if args.chooser_search:
        rows.append(CHOOSER_SEARCH)
    return rows, yaowen


def measure(args):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import ArticlePage

    rows, yaowen = views(args)
    clients = {}
    results = []
    for name, username, url in rows:
        if username not in clients:
            clients[username] = Client(HTTP_HOST="127.0.0.1")
            clients[username].force_login(get_user_model().objects.get(username=username))
        client = clients[username]
        response = client.get(url)  # warm-up: per-process caches, templates
        assert response.status_code == 200, (name, url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)  # now: every request's start empties Django's query log
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        results.append(
            {
                "view": name,
                "url": url,
                "queries": queries,
                "median_ms": statistics.median(timings),
                "max_ms": max(timings),
                "bytes": len(response.content),
            }
        )
        print(f"  {name}: {queries} queries, {statistics.median(timings):.0f} ms", file=sys.stderr)
    return results, ArticlePage.objects.child_of(yaowen).count()


def main():
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    marker, env, label = environment(args)
    build(marker, env, args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    results, channel_size = measure(args)
    report = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}, Django test client in-process, median of {args.repeat}",
        "articles": args.articles,
        "channel_articles": channel_size,
        "views": results,
    }
    (OUT / f"admin-{args.articles}-{label}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"\n{args.articles:,} articles ({channel_size:,} in 要闻) — {report['date']} — {report['machine']}\n")
    print("| view | SQL queries | median ms | max ms | HTML bytes |")
    print("|---|---:|---:|---:|---:|")
    for row in results:
        print(
            f"| {row['view']} | {row['queries']} | {row['median_ms']:.0f} | {row['max_ms']:.0f} | {row['bytes']:,} |"
        )


if __name__ == "__main__":
    main()
