"""How long the side-by-side comparison takes for full-length sections (prints figures).

Run: PYTHONPATH=. python bench/plans_diff.py
Every section at the maximum length (20,000 characters) with changes spread through it, and
the hostile case of the probe: two sections of 10,000 short lines (few distinct lines, which
made difflib's matcher do work in the product of the lengths: 16.5 s a section before the
work budget). Prints the time, the work units spent (of WORK_BUDGET) and whether the section
fell back to marking whole lines.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import django

django.setup()

from plans.rendering import WORK_BUDGET, compare_texts  # noqa: E402
from plans.services import MAX_SECTION_LENGTH  # noqa: E402

SEED = Path("/work/shared/seed/000_6916684600f8f089.txt")


def paragraphs(rng: random.Random, length: int, words: list[str]) -> str:
    """Dutch-looking text: lines of 10-30 words, a blank line now and then."""
    lines, size = [], 0
    while size < length:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(10, 30)))
        lines.append(line)
        size += len(line) + 1
        if rng.random() < 0.2:
            lines.append("")
    return "\n".join(lines)[:length]


def main() -> None:
    rng = random.Random(1)
    source = SEED.read_text(encoding="utf-8") if SEED.exists() else "regio krapte krimp zorg"
    vocabulary = sorted(set(source.split()))
    print(f"vocabulary: {len(vocabulary)} words")
    cases = [
        ("realistic text", vocabulary, True),
        ("one 20,000-character line, 15 words", vocabulary[:15], False),
    ]
    for label, words, with_lines in cases:
        for change_rate in (0.01, 0.1, 0.5):
            if with_lines:
                old = paragraphs(rng, MAX_SECTION_LENGTH, words)
            else:
                old = " ".join(rng.choice(words) for _ in range(4000))[:MAX_SECTION_LENGTH]
            new = " ".join(
                rng.choice(words) if rng.random() < change_rate else w for w in old.split(" ")
            )
            report(f"{label}, {change_rate:.0%} of words changed", old, new)
    # The probe's case: 10,000 lines of one or two characters a side.
    hostile = [
        ("10,000 lines alternating a/b, shifted by one", "a\nb\n" * 5000, "b\na\n" * 5000),
        (
            "10,000 random lines of a/b a side",
            "".join(rng.choice("ab") + "\n" for _ in range(10_000)),
            "".join(rng.choice("ab") + "\n" for _ in range(10_000)),
        ),
        (
            "1,000 random lines of a/b a side (under the line cap)",
            "".join(rng.choice("ab") + "\n" for _ in range(1_000)),
            "".join(rng.choice("ab") + "\n" for _ in range(1_000)),
        ),
        (
            "60 lines of 300 words of a/b (word level)",
            "\n".join(" ".join(rng.choice("ab") for _ in range(300)) for _ in range(60)),
            "\n".join(" ".join(rng.choice("ab") for _ in range(300)) for _ in range(60)),
        ),
    ]
    for label, old, new in hostile:
        report(f"hostile: {label}", old, new)


def report(label: str, old: str, new: str) -> None:
    start = time.perf_counter()
    works, coarse = [], 0
    for _ in range(15):  # fifteen sections
        comparison = compare_texts(old, new)
        works.append(comparison.work)
        coarse += comparison.coarse
    elapsed = time.perf_counter() - start
    print(
        f"{label}: 15 sections x {len(old):,} chars: {elapsed:.2f} s, "
        f"work {max(works):,} of {WORK_BUDGET:,} units a section, "
        f"{coarse} of 15 marked by whole lines"
    )


if __name__ == "__main__":
    main()
