"""`make bench`: reader pages under gunicorn as in production, measured with wrk against a floor view.

    python bench/run.py [--articles 2000] [--duration 10] [--rebuild] [--postgres URL]

Builds (or reuses) a throw-away SQLite database bench/out/perf-N.sqlite3 (or, with --postgres, the
PostgreSQL database named in URL, which is dropped and created again) with N generated Chinese
articles (bench/generate.py), starts gunicorn with 2 workers and DEBUG off (bench/settings.py: the
production settings plus /bench-floor/), and runs wrk for each page: home, a channel, deep channel pages,
an article with 10 related items, search for a common word, the RSS feed and the admin dashboard logged
in as an editor. Each public page is measured three times: served from the page cache ("cached"); with
the page cache storing nothing ("uncached": every request runs the view, whose fragments and data kept
per content generation are warm, as for a URL the page cache has not seen); and with fragments off too
("cold": every request renders everything, as the first reader after a publish does).
The floor is a view that returns a fixed HTML string of the article's size through the same middleware;
ratios to it are what carry from one machine to another. SQL queries per view are counted in-process on
a cold render, and those of a new worker's first article in a process of its own. Results: a Markdown
table on stdout and bench/out/perf-N-{sqlite,postgres}.json.

Needs wrk (Debian: ``apt-get install -y wrk``).
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.chain import gunicorn_command  # noqa: E402

OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
# (name, extra environment of the server): the page cache on; off with fragments warm; everything off.
MODES = (
    ("cached", {}),
    ("uncached", {"DJANGO_PAGE_CACHE_TIMEOUT": "0"}),
    ("cold", {"DJANGO_PAGE_CACHE_TIMEOUT": "0", "DJANGO_FRAGMENT_CACHE_TIMEOUT": "0"}),
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", "-n", type=int, default=int(os.environ.get("N", "2000")))
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--rebuild", action="store_true", help="generate the database again even if it exists")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="benchmark on PostgreSQL, e.g. postgres://qingshan:qingshan@127.0.0.1:5432/qingshan_perf "
        "(a throw-away database: it is dropped and created; the role needs CREATEDB)",
    )
    return parser.parse_args()


def environment(args):
    """(marker of a finished build, environment of every command, name of this database for the report)."""
    env = dict(os.environ)
    if args.postgres:
        marker = OUT / f"perf-{args.articles}-postgres.built"
        env["DATABASE_URL"], label = args.postgres, "postgres"
    else:
        marker = OUT / f"perf-{args.articles}-sqlite.built"
        env["DATABASE_URL"], label = f"sqlite:///{OUT / f'perf-{args.articles}.sqlite3'}", "sqlite"
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_PAGE_CACHE_GENERATION_FILE=str(OUT / f"generation-{args.articles}-{label}"),
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    return marker, env, label


def recreate_postgres_database(url):
    """Drop and create the throw-away benchmark database named in ``url``."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run(command, env):
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def build(marker, env, args):
    if marker.exists() and not args.rebuild:
        print(f"Reusing the {args.articles}-article database (--rebuild to generate again)", file=sys.stderr)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        return
    # The marker is written once the archive is complete: a build that failed half-way is not reused.
    marker.unlink(missing_ok=True)
    if args.postgres:
        recreate_postgres_database(args.postgres)
    else:
        for suffix in ("", "-journal", "-wal", "-shm"):
            (OUT / f"perf-{args.articles}.sqlite3{suffix}").unlink(missing_ok=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "shell", "-c", f"from bench.generate import generate; generate({args.articles})"], env)
    marker.write_text(env["DATABASE_URL"])


def wrk(url, args, cookie=None):
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name):
        match = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50": percentile(50), "p99": percentile(99), "non_2xx": int(errors.group(1)) if errors else 0}


def start_server(env, port, extra_env=None):
    server_env = {**env, **(extra_env or {})}
    log = open(OUT / "gunicorn.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(gunicorn_command(port), cwd=ROOT, env=server_env, stderr=log, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench-floor/", timeout=1)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn did not start")


def stop_server(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def measure_in_process(pages):
    """SQL queries per view (a cold render: page cache and fragments off, data caches warm) and HTML bytes."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from articles.models import ArticlePage
    from articles.models import ArticleRelatedPage as Related

    client = Client(HTTP_HOST="127.0.0.1")
    article = ArticlePage.objects.get(pk=Related.objects.values_list("page_id", flat=True).first())
    user = (
        __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model().objects.get(username="bianji")
    )
    editor = Client(HTTP_HOST="127.0.0.1")
    editor.force_login(user)
    urls = pages(article.url)
    results = {}
    with override_settings(PAGE_CACHE={**settings.PAGE_CACHE, "TIMEOUT": 0, "FRAGMENT_TIMEOUT": 0}):
        for name, url in urls.items():
            if url is None:
                continue
            who = editor if name == "admin dashboard" else client
            for _ in range(2):
                who.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = who.get(url)
            assert response.status_code == 200, (name, url, response.status_code)
            results[name] = {"url": url, "queries": len(queries), "bytes": len(response.content)}
    cookie = f"{settings.SESSION_COOKIE_NAME}={editor.cookies[settings.SESSION_COOKIE_NAME].value}"
    return results, cookie


# Run in a process of its own: the first article a new worker serves, every cache empty (argv: URL, "warm"/"cold").
FIRST_ARTICLE = """
import sys
import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from config import gunicorn
if sys.argv[2] == "warm":
    gunicorn.warm_up(WSGIHandler())
with CaptureQueriesContext(connection) as queries:
    assert Client(HTTP_HOST="127.0.0.1").get(sys.argv[1]).status_code == 200
print(len(queries))
"""


def first_article_queries(env, url):
    """SQL queries of a new process's first article: after the gunicorn worker's warm-up, and without it."""
    counts = {}
    for mode in ("warm", "cold"):
        command = [PYTHON, "-c", FIRST_ARTICLE, url, mode]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        counts[mode] = int(result.stdout.split()[-1])
    return counts


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    marker, env, label = environment(args)
    build(marker, env, args)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    os.environ.update(env)

    deep = 500 if args.articles >= 50_000 else None

    def pages(article_url):
        return {
            "home": "/",
            "channel": "/yaowen/",
            "channel page 50": "/yaowen/?page=50",
            "channel page 500": f"/yaowen/?page={deep}" if deep else None,
            "article (10 related)": article_url,
            "search 生态": "/search/?q=%E7%94%9F%E6%80%81",
            "RSS feed": "/rss/",
            "admin dashboard": "/admin/",
        }

    info, cookie = measure_in_process(pages)
    first_article = first_article_queries(env, info["article (10 related)"]["url"])
    article_bytes = info["article (10 related)"]["bytes"]
    floor_url = f"/bench-floor/?bytes={article_bytes}"
    info["floor"] = {"url": floor_url, "queries": 0, "bytes": article_bytes}

    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{args.port}"
    results = {}
    for mode, extra in MODES:
        process = start_server(env, args.port, extra)
        try:
            for name in ["floor", *[n for n in info if n != "floor"]]:
                if name == "admin dashboard" and mode != "cold":
                    continue  # never cached: measured once, in the cold run
                url = base + info[name]["url"]
                for _ in range(3):
                    urllib.request.urlopen(
                        urllib.request.Request(url, headers={"Cookie": cookie} if name == "admin dashboard" else {})
                    ).read()  # noqa: S310
                print(f"  {mode:<8} {name} ...", file=sys.stderr)
                results.setdefault(name, {})[mode] = wrk(
                    url, args, cookie=cookie if name == "admin dashboard" else None
                )
        finally:
            stop_server(process)

    report = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.node()}: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {'PostgreSQL' if args.postgres else 'SQLite'}, "
        f"gunicorn 2 sync workers, wrk -t2 -c{args.connections} -d{args.duration}s",
        "articles": args.articles,
        "first_article_queries": first_article,
        "pages": {name: {**info[name], **results.get(name, {})} for name in ["floor", *info] if name != "floor"}
        | {"floor": {**info["floor"], **results["floor"]}},
    }
    (OUT / f"perf-{args.articles}-{label}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print_table(report)


def print_table(report):
    pages = report["pages"]
    floors = {mode: pages["floor"][mode]["rps"] for mode, _ in MODES}
    print(f"\n{report['articles']:,} articles — {report['date']} — {report['machine']}\n")
    header = " | ".join(f"{mode} req/s | × floor | p50 ms | p99 ms" for mode, _ in MODES)
    print(f"| page | {header} | SQL/view (cold) | HTML bytes |")
    print("|---|" + "---:|" * (4 * len(MODES) + 2))
    for name in ["floor", *[n for n in pages if n != "floor"]]:
        row = pages[name]
        cells = [name]
        for mode, _ in MODES:
            if mode in row:
                figures = row[mode]
                cells += [
                    f"{figures['rps']:.0f}",
                    f"{figures['rps'] / floors[mode]:.2f}",
                    f"{figures['p50']:.1f}",
                    f"{figures['p99']:.1f}",
                ]
            else:
                cells += ["—"] * 4
        cells += [str(row["queries"]), f"{row['bytes']:,}"]
        print("| " + " | ".join(cells) + " |")
    first = report.get("first_article_queries")
    if first:
        print(
            f"\nA new worker's first article, every cache empty: {first['warm']} SQL queries after its warm-up "
            f"(config/gunicorn.py), {first['cold']} without it."
        )


if __name__ == "__main__":
    main()
