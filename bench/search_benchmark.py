"""Benchmark (not a test): import a generated corpus, then time the search page for 20 queries.

    .venv/bin/python bench/search_benchmark.py [--articles 10000] [--repeat 5]

Uses a fresh SQLite file in bench/out/ unless DATABASE_URL is set (point it at a scratch PostgreSQL
database: the benchmark migrates it and adds articles). Prints the import rate and p50/p95 latency of
GET /search/?q=… (segmenting, both database queries, rendering). Figures are recorded in docs/search.md.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
QUERIES = [
    "黄河", "党建联盟", "氢能", "大气污染防治", "污染防治", "黄河流域", "双碳", "河长制", "林草局", "自然资源",
    "臭氧污染", "甲烷排放", "生态保护 修复", "垃圾分类", "国土绿化", "碳达峰 碳中和", "汾河", "生物多样性",
    "COP27", "太原市 秋冬季 大气",
]  # fmt: skip


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if "DATABASE_URL" not in os.environ:
        OUT.mkdir(parents=True, exist_ok=True)
        database = OUT / "bench.sqlite3"
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()


def corpus(count, seed=7):
    """`count` JSON lines built from the demo articles' sentences, shuffled, with the demo's tags."""
    data = json.loads((ROOT / "home" / "demo" / "content.json").read_text(encoding="utf-8"))
    sentences = [s + "。" for article in data["articles"] for p in article["body"] for s in p.split("。") if s]
    titles = [article["title"] for article in data["articles"]]
    tags = sorted({tag for article in data["articles"] for tag in article.get("tags", [])})
    channels = [channel["slug"] for channel in data["channels"]]
    rng = random.Random(seed)
    for number in range(count):
        paragraphs = ["".join(rng.sample(sentences, 3)) for _ in range(rng.randint(3, 8))]
        yield json.dumps(
            {
                "id": f"bench-{number}",
                "channel": rng.choice(channels),
                "title": f"{rng.choice(titles)[:20]}{rng.choice(tags)}(第{number}期)",
                "date": f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 09:00",
                "source": rng.choice(["", "山西日报", "中国环境报"]),
                "author": "记者甲",
                "summary": "",
                "body": "\n\n".join(paragraphs),
                "tags": rng.sample(tags, 2),
            },
            ensure_ascii=False,
        )


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query (after one warm-up)")
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from articles.importing import ArticleImporter
    from articles.models import ArticlePage

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    lines = list(corpus(args.articles))
    chars = sum(len(line) for line in lines)
    print(f"database: {connection.vendor}; corpus: {len(lines)} articles, {chars / 1e6:.1f} M characters of JSON")

    if lines:  # --articles 0 with DATABASE_URL re-times the queries on an earlier corpus
        start = time.perf_counter()
        report = ArticleImporter().import_lines(lines)
        elapsed = time.perf_counter() - start
        print(
            f"import: {report.created} created, {report.updated} updated, {len(report.rejected)} rejected "
            f"in {elapsed:.1f} s = {report.created / elapsed:.1f} articles/s"
        )
    print(f"live articles: {ArticlePage.objects.live().count()}")

    setup_test_environment()  # so responses carry their template context (the hit count)
    client = Client()
    timings = []
    print(f"{'query':<16} {'hits':>6} {'median ms':>10}")
    for query in QUERIES:
        client.get("/search/", {"q": query})  # warm-up
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            runs.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        hits = response.context["page_obj"].paginator.count
        timings.extend(runs)
        print(f"{query:<16} {hits:>6} {statistics.median(runs):>10.1f}")
    print(
        f"search page latency over {len(timings)} requests: "
        f"p50 {percentile(timings, 0.50):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms"
    )


if __name__ == "__main__":
    main()
