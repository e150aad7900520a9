"""How long the side-by-side comparison takes for full-length sections (prints figures).

Run: PYTHONPATH=. python bench/plans_diff.py
Every section at the maximum length (20,000 characters) with changes spread through it.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import django

django.setup()

from plans.rendering import diff_texts  # noqa: E402
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
            start = time.perf_counter()
            for _ in range(15):  # fifteen sections
                diff_texts(old, new)
            elapsed = time.perf_counter() - start
            print(
                f"{label}: 15 sections x {MAX_SECTION_LENGTH} chars, "
                f"{change_rate:.0%} of words changed: {elapsed:.2f} s"
            )


if __name__ == "__main__":
    main()
