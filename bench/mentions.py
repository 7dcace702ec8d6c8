"""Mention detection at newsroom scale: 100, 1,000 and 20,000 known names.

Run on demand (not part of the test suite):

    DJANGO_DEBUG=1 .venv/bin/python bench/mentions.py

For each size it builds a matcher from generated people (name plus a surname
alias), organisations (name plus an acronym) and the real ISO countries, then
times detection on a generated 2,000-word story in HTML that names some of them.
Prints the build time, the median and 95th percentile detection time, and how
they compare with the targets at 20,000 names (median < 10 ms, build < 2 s).
No database: the matcher is fed the same (key, name) pairs the database gives.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django_countries import countries  # noqa: E402

from people.mentions import Matcher, detect_mentions, visible_text  # noqa: E402

SIZES = [100, 1_000, 20_000]
RUNS = 200
STORY_WORDS = 2_000
TARGET_MEDIAN_MS = 10.0
TARGET_BUILD_S = 2.0

SYLLABLES = "ka lo mi ra ben tor sa vel dun ar is op el qua zi no har mes ut ly".split()
FILLER = (
    "the minister said on tuesday that talks would continue next week while officials "
    "in the capital declined to comment on reports of a new agreement covering training "
    "exercises intelligence sharing and maritime security across the region"
).split()


def word(rng, parts):
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def generated_names(count, rng):
    """(key, name) pairs: three in four people, one in four organisations."""
    pairs, display = [], []
    for pk in range(1, count + 1):
        if pk % 4:
            first, last = word(rng, 2), word(rng, 3)
            pairs += [(("person", pk), f"{first} {last}"), (("person", pk), last)]
            display.append(f"{first} {last}")
        else:
            words = [word(rng, 2) for _ in range(3)]
            acronym = "".join(w[0] for w in words).upper()
            pairs += [
                (("organisation", pk), " ".join(words) + " Agency"),
                (("organisation", pk), acronym),
            ]
            display.append(" ".join(words) + " Agency")
    for pk, (_code, name) in enumerate(countries, start=1):
        pairs.append((("country", pk), str(name)))
    return pairs, display


def generated_story(display_names, rng):
    """About 2,000 words of HTML paragraphs naming 40 entities, some twice."""
    named = rng.sample(display_names, min(40, len(display_names)))
    words, paragraphs = 0, []
    while words < STORY_WORDS:
        sentence = rng.sample(FILLER, 12)
        if rng.random() < 0.5:
            sentence.insert(rng.randrange(12), rng.choice(named) + "’s")
        text = " ".join(sentence)
        paragraph = f"<p>{text.capitalize()}. In Morocco and the US, {text}.</p>"
        paragraphs.append(paragraph)
        words += len(visible_text(paragraph).split())
    return "".join(paragraphs)


def main():
    rng = random.Random(2020)
    results = {}
    print(f"{'names':>7} {'build s':>9} {'median ms':>10} {'p95 ms':>8} {'found':>6}")
    for size in SIZES:
        pairs, display = generated_names(size, rng)
        story = generated_story(display, rng)
        started = time.perf_counter()
        matcher = Matcher(pairs)
        build = time.perf_counter() - started
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            found = detect_mentions("A headline", "A standfirst", html=story, matcher=matcher)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        median = statistics.median(timings)
        results[size] = (build, median)
        print(
            f"{size:>7,} {build:>9.3f} {median:>10.2f} "
            f"{timings[int(RUNS * 0.95)]:>8.2f} {len(found):>6}"
        )
    build, median = results[SIZES[-1]]
    print(f"story: {len(visible_text(story).split()):,} words of HTML, {RUNS} runs per size")
    print(
        f"at {SIZES[-1]:,} names: median {median:.2f} ms = "
        f"{median / TARGET_MEDIAN_MS:.0%} of the {TARGET_MEDIAN_MS:.0f} ms target; "
        f"build {build:.2f} s = {build / TARGET_BUILD_S:.0%} of the {TARGET_BUILD_S:.0f} s target"
    )
    print(
        f"median at {SIZES[-1]:,} names / median at {SIZES[0]:,}: "
        f"{median / results[SIZES[0]][1]:.2f}x"
    )
    ok = median < TARGET_MEDIAN_MS and build < TARGET_BUILD_S
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
