"""Benchmark of the 审校 content checks: a 20,000-character article against a 50,000-word list.

Prints the time to compile the word list (once per process and list version) and the time to check
one article (median of 20 runs); the goal is at most 20 ms an article. Numbers, not a test:

    .venv/bin/python bench/proofread.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from newsroom.checks import WordList, body_text, check_fields, shipped_typos  # noqa: E402

# Common characters of news text, so that generated words share prefixes with the article like real ones.
ALPHABET = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
    "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特"
    "件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队"
    "南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风"
    "切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许"
)


def generated_article(rng, length=20_000):
    """Paragraphs of random common characters with punctuation, numbers and a few real problems."""
    parts, size = [], 0
    while size < length:
        sentence = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(12, 40)))
        sentence += rng.choice(["\uff0c", "。", "、", "\uff1b"])
        if rng.random() < 0.02:
            sentence += rng.choice(["再接再励", "电话13812345678", "最好的产品", "你好,世界", "“引文"])
        parts.append(sentence)
        size += len(sentence)
        if rng.random() < 0.08:
            parts.append("\n")
    return "".join(parts)[:length]


def generated_word_list(rng, count=50_000):
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(ALPHABET) for _ in range(rng.randint(2, 6))))
    return [(word, rng.choice(["block", "warn"]), "") for word in sorted(words)]


def main():
    rng = random.Random(20240601)
    article = generated_article(rng)
    entries = generated_word_list(rng)

    started = time.perf_counter()
    words = WordList(entries)
    compile_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    shipped_typos()
    typos_ms = (time.perf_counter() - started) * 1000

    fields = {"title": article[:30], "summary": article[30:200], "body": article}
    timings, findings = [], []
    for _ in range(20):
        started = time.perf_counter()
        findings = check_fields(fields, source_name="人民日报", word_list=words)
        timings.append((time.perf_counter() - started) * 1000)

    raw = [{"type": "paragraph", "value": "".join(f"<p>{line}</p>" for line in article.split("\n"))}]
    body_timings = []
    for _ in range(20):
        started = time.perf_counter()
        body_text(raw)
        body_timings.append((time.perf_counter() - started) * 1000)

    median = statistics.median(timings)
    print(f"article: {len(article):,} characters (+ title and summary); word list: {len(words):,} entries")
    print(
        f"compile word list: {compile_ms:.0f} ms; shipped typo list ({len(shipped_typos())} pairs): {typos_ms:.1f} ms"
    )
    print(f"check_fields per article: median {median:.1f} ms, min {min(timings):.1f} ms, max {max(timings):.1f} ms")
    print(f"body_text of the same article as rich text: median {statistics.median(body_timings):.1f} ms")
    verdict = "met" if median <= 20 else "NOT met"
    print(f"findings per article: {len(findings):,}; goal ≤ 20 ms: {verdict} (≤ 10 ms idle leaves a margin)")


if __name__ == "__main__":
    main()
