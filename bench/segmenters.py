"""Compare jieba and rjieba on the demo corpus: dictionary load, throughput, and whether they agree.

Run: .venv/bin/python bench/segmenters.py
Not a test; the figures are recorded in docs/search.md.
"""

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "demo" / "content.json"
REPEAT = 20


def demo_texts():
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    texts = []
    for article in data["articles"]:
        texts.append(article["title"])
        texts.extend(article["body"])
        texts.extend(article.get("tags", []))
    return texts


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def throughput(cut, texts):
    chars = sum(len(text) for text in texts) * REPEAT
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(REPEAT):
            for text in texts:
                cut(text)
        runs.append(time.perf_counter() - start)
    return chars / statistics.median(runs)


def main():
    texts = demo_texts()
    chars = sum(len(text) for text in texts)
    print(f"demo corpus: {len(texts)} texts, {chars} characters, each cut {REPEAT} times, median of 3 runs")

    import jieba

    jieba.setLogLevel(60)
    _, jieba_load = timed(jieba.initialize)
    import rjieba

    _, rjieba_load = timed(rjieba.Jieba)

    rows = [
        ("jieba", jieba_load, jieba.lcut, jieba.lcut_for_search),
        ("rjieba", rjieba_load, rjieba.cut, rjieba.cut_for_search),
    ]
    print(f"{'segmenter':<10} {'load s':>8} {'cut chars/s':>14} {'search-mode chars/s':>20}")
    for name, load, cut, cut_for_search in rows:
        print(f"{name:<10} {load:>8.3f} {throughput(cut, texts):>14,.0f} {throughput(cut_for_search, texts):>20,.0f}")

    same_cut = sum(jieba.lcut(text) == rjieba.cut(text) for text in texts)
    same_search = sum(jieba.lcut_for_search(text) == rjieba.cut_for_search(text) for text in texts)
    print(f"identical tokens: precise mode {same_cut}/{len(texts)}, search mode {same_search}/{len(texts)}")
    for text in texts:
        if jieba.lcut(text) != rjieba.cut(text):
            print("  first difference:", text[:40], file=sys.stderr)
            break


if __name__ == "__main__":
    main()
