"""`make bench-churn`: the page cache under a long tail of readers, with and without a publish every 10 s.

    python bench/churn.py [--articles 2000] [--duration 60] [--interval 10] [--urls 2000] [--postgres URL]

Uses the `make bench` database of N generated articles (bench/run.py builds it when missing; on SQLite a
copy, bench/out/churn-N.sqlite3, is published into so the reader benchmark's database stays as generated),
starts gunicorn as `make bench` does (2 sync workers, production settings), and lets wrk readers
(`bench/zipf.lua`) ask for the newest URLS live articles with a Zipf distribution (s = 1.0: the newest is
the most popular). The readers first run for WARM seconds, not counted, so that the page caches of the
gunicorn workers (per process, locmem) hold what the readers ask for most. Then two runs of the same
duration against the same gunicorn:

* **no churn**: readers only;
* **churn**: a separate Django process edits one random article of the list (its 副标题) and publishes it
  through the trusted path (``publication_without_review``) at the start and every INTERVAL seconds, so
  the normal signals invalidate the page cache as an approval in the newsroom does.

For each run: req/s, the page-cache hit ratio (hit / (hit + miss) of the ``X-Page-Cache`` header),
p50/p99 latency, statuses; then churn/no-churn req/s. Targets, reported as met or not (never asserted):
hit ratio ≥ 95 % and churn req/s ≥ 80 % of no churn. Results: stdout and bench/out/churn-N-{db}.json.

Needs wrk (Debian: ``apt-get install -y wrk``).
"""

import argparse
import json
import os
import platform
import random
import select
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench.run` importable
    sys.path.insert(0, str(ROOT))

from bench.run import OUT, PYTHON, build, environment, run, start_server, stop_server  # noqa: E402
from deploy.chain import free_port  # noqa: E402

LUA = ROOT / "bench" / "zipf.lua"
HIT_RATIO_TARGET = 0.95
THROUGHPUT_TARGET = 0.80
PUBLISH_REASON = "基准测试:模拟发稿"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", "-n", type=int, default=int(os.environ.get("N", "2000")))
    parser.add_argument("--urls", type=int, default=2000, help="article URLs the readers ask for")
    parser.add_argument("--zipf", type=float, default=1.0, help="Zipf exponent s")
    parser.add_argument("--duration", type=int, default=60, help="seconds of wrk per run")
    parser.add_argument("--interval", type=int, default=10, help="seconds between publishes in the churn run")
    # Long enough for both workers' per-process caches to hold the long tail, so that neither run starts
    # warmer than the other (with 30 s the no-churn run was still warming up).
    parser.add_argument("--warm", type=int, default=120, help="seconds of the same readers before the runs")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--seed", type=int, default=20261202, help="which articles get published")
    parser.add_argument("--rebuild", action="store_true", help="generate the database again even if it exists")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="benchmark on PostgreSQL (the `make bench` database named in URL; the churn run publishes into it)",
    )
    return parser.parse_args()


# --- the publisher: a separate Django process -----------------------------------------------------------


def publisher():
    """Publish the article whose id arrives on each stdin line; answer ``published <id> <ms>``.

    Runs under ``manage.py shell -c``, started before the churn run so Django's start-up is not counted.
    ``publish()`` sends ``page_published`` as an approval does, and the page cache is invalidated by it.
    """
    from django.utils import timezone

    from articles.models import ArticlePage
    from articles.publishing import publication_without_review

    print("ready", flush=True)
    for line in sys.stdin:
        started = time.perf_counter()
        article = ArticlePage.objects.get(pk=int(line))
        article.subtitle = f"{timezone.localtime():%H:%M:%S} 更新"
        with publication_without_review(PUBLISH_REASON):
            article.save_revision().publish()
        print(f"published {article.pk} {1000 * (time.perf_counter() - started):.0f}", flush=True)


def start_publisher(env):
    command = [PYTHON, "manage.py", "shell", "-v0", "-c", "from bench.churn import publisher; publisher()"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    for line in process.stdout:
        if line.strip() == "ready":
            return process
    process.wait()
    raise SystemExit("the publisher did not start")


def publish_every(process, ids, interval, duration, log):
    """From now on, ask ``process`` to publish one of ``ids`` every ``interval`` s within ``duration`` s."""
    start = time.monotonic()
    for number, page_id in enumerate(ids):
        at = number * interval
        if at >= duration:
            break
        time.sleep(max(0.0, start + at - time.monotonic()))
        sent = time.monotonic() - start
        process.stdin.write(f"{page_id}\n")
        process.stdin.flush()
        _, page, ms = process.stdout.readline().split()
        log.append({"at_s": round(sent, 1), "page": int(page), "ms": int(ms)})
        print(f"    published article {page} at {log[-1]['at_s']:.0f} s ({ms} ms)", file=sys.stderr)


# --- database and URLs --------------------------------------------------------------------------------


def churn_environment(args, env, label):
    """The environment of the churn server and publisher: a copy of the SQLite database, its own generation."""
    env = {**env, "DJANGO_PAGE_CACHE_GENERATION_FILE": str(OUT / f"churn-generation-{args.articles}-{label}")}
    if label == "sqlite":
        source = OUT / f"perf-{args.articles}.sqlite3"
        copy = OUT / f"churn-{args.articles}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        # The backup API copies a consistent database, WAL included.
        with sqlite3.connect(source) as original, sqlite3.connect(copy) as target:
            original.backup(target)
        target.close()
        original.close()
        env["DATABASE_URL"] = f"sqlite:///{copy}"
    return env


def article_urls(env, count):
    """(public paths of the newest ``count`` live, public articles, newest first; their page ids)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections
    from wagtail.models import Site

    from articles.models import ArticlePage

    root = Site.objects.get(is_default_site=True).root_page.url_path
    rows = list(
        ArticlePage.objects.live()
        .public()
        .filter(url_path__startswith=root)
        .order_by("-date", "-pk")
        .values_list("pk", "url_path")[:count]
    )
    connections.close_all()  # hold no database connection while gunicorn and the publisher work
    return ["/" + path[len(root) :] for _, path in rows], [pk for pk, _ in rows]


# --- wrk ----------------------------------------------------------------------------------------------


def start_wrk(base, urls_file, args, duration):
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base,
        "--",
        str(urls_file),
        str(args.zipf),
        str(args.interval),
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_result(process):
    output, errors = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"wrk failed: {errors or output}")
    line = next((line for line in output.splitlines() if line.startswith("ZIPF-RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{output}\n{errors}")
    raw = json.loads(line.removeprefix("ZIPF-RESULT "))
    answered = raw["hit"] + raw["miss"]
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "requests": raw["requests"],
        "hit": raw["hit"],
        "miss": raw["miss"],
        "other": raw["other"],
        "hit_ratio": raw["hit"] / answered if answered else 0.0,
        # [hits, misses] per INTERVAL seconds of the run: the churn run's are the intervals between publishes.
        "windows": raw["windows"],
        "statuses": raw["statuses"],
        "socket_errors": raw["errors"],
        "p50_ms": raw["latency_us"]["p50"] / 1000,
        "p90_ms": raw["latency_us"]["p90"] / 1000,
        "p99_ms": raw["latency_us"]["p99"] / 1000,
        "max_ms": raw["latency_us"]["max"] / 1000,
    }


class LoadSampler:
    """The 1-minute load average every few seconds during a run (other work on the machine skews it)."""

    def __init__(self, every=5):
        self.every, self.samples, self._stop = every, [], threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while True:
            self.samples.append(round(os.getloadavg()[0], 2))
            if self._stop.wait(self.every):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self):
        samples = self.samples
        return {"min": min(samples), "max": max(samples), "mean": round(sum(samples) / len(samples), 2)}


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    marker, env, label = environment(args)
    build(marker, env, args)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    env = churn_environment(args, env, label)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)

    paths, ids = article_urls(env, args.urls)
    urls_file = OUT / f"churn-urls-{args.articles}-{label}.txt"
    urls_file.write_text("\n".join(paths) + "\n")
    to_publish = random.Random(args.seed).sample(ids, min(len(ids), args.duration // args.interval + 1))
    print(f"{len(paths)} article URLs, Zipf s={args.zipf}, most popular {paths[0]}", file=sys.stderr)

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    process = start_server(env, port)
    publisher_process = None
    try:
        print(f"  warm-up: wrk {args.warm} s, not counted ...", file=sys.stderr)
        warm_up = wrk_result(start_wrk(base, urls_file, args, args.warm)) if args.warm else None

        print(f"  no churn: wrk {args.duration} s ...", file=sys.stderr)
        with LoadSampler() as quiet_load:
            quiet = wrk_result(start_wrk(base, urls_file, args, args.duration))

        publisher_process = start_publisher(env)
        print(f"  churn: wrk {args.duration} s, a publish every {args.interval} s ...", file=sys.stderr)
        publishes = []
        with LoadSampler() as churn_load:
            reader = start_wrk(base, urls_file, args, args.duration)
            publish_every(publisher_process, to_publish, args.interval, args.duration, publishes)
            churn = wrk_result(reader)
    finally:
        if publisher_process is not None:
            publisher_process.stdin.close()
            if select.select([publisher_process.stdout], [], [], 30)[0]:
                publisher_process.stdout.read()
            publisher_process.wait(timeout=30)
        stop_server(process)

    quiet["load_average"], churn["load_average"] = quiet_load.summary(), churn_load.summary()
    churn["publishes"] = publishes
    throughput = churn["rps"] / quiet["rps"] if quiet["rps"] else 0.0
    report = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.node()}: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {'PostgreSQL' if args.postgres else 'SQLite'}, "
        f"gunicorn 2 sync workers, wrk -t{args.threads} -c{args.connections} -d{args.duration}s -s bench/zipf.lua",
        "articles": args.articles,
        "urls": len(paths),
        "zipf_s": args.zipf,
        "interval_s": args.interval,
        "load_average_before": [round(value, 2) for value in load_before],
        "warm_up": {"seconds": args.warm, **(warm_up or {})},
        "runs": {"no churn": quiet, "churn": churn},
        "churn_over_no_churn_rps": throughput,
        "targets": {
            "hit ratio >= 95 % (churn)": churn["hit_ratio"] >= HIT_RATIO_TARGET,
            "req/s >= 80 % of no churn": throughput >= THROUGHPUT_TARGET,
        },
    }
    (OUT / f"churn-{args.articles}-{label}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print_report(report)


def print_report(report):
    print(f"\nChurn: {report['articles']:,} articles, {report['urls']:,} URLs read with Zipf s={report['zipf_s']}")
    print(f"{report['date']} — {report['machine']}\n")
    print("| run | req/s | hit ratio | hits | misses | other | p50 ms | p99 ms | statuses | load average |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for name, figures in report["runs"].items():
        if name == "churn":
            name = f"churn (a publish every {report['interval_s']} s)"
        load = figures["load_average"]
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(figures["statuses"].items()))
        print(
            f"| {name} | {figures['rps']:.0f} | {100 * figures['hit_ratio']:.1f} % | {figures['hit']} | "
            f"{figures['miss']} | {figures['other']} | {figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} | "
            f"{statuses} | {load['min']:.1f}–{load['max']:.1f} |"
        )
    print(f"\nhit ratio per {report['interval_s']} s (requests answered):")
    for name, figures in report["runs"].items():
        shares = [f"{100 * hit / max(hit + miss, 1):.0f} % ({hit + miss})" for hit, miss in figures["windows"]]
        print(f"  {name:<9} {' | '.join(shares)}")
    warm_up = report["warm_up"]
    if "rps" in warm_up:
        print(
            f"warm-up ({warm_up['seconds']} s, not counted): {warm_up['rps']:.0f} req/s, "
            f"hit ratio {100 * warm_up['hit_ratio']:.1f} %"
        )
    publishes = report["runs"]["churn"]["publishes"]
    if publishes:
        times = ", ".join(f"{entry['ms']}" for entry in publishes)
        print(f"publishes: {len(publishes)}, each took (ms): {times}")
    print(f"churn / no churn req/s: {report['churn_over_no_churn_rps']:.2f}")
    for target, met in report["targets"].items():
        print(f"target {target}: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
