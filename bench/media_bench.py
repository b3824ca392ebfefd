"""Classification speed of the online-information watch (issue 22 "Speed"): items classified against 1,000 topics and
5,000 watch-list names in one Aho–Corasick pass (`ioc.media_watch.matching`), beside a per-topic regex loop over
the same items in the same run (each topic's terms as one compiled alternation over the folded text, every
name likewise). Target: ≥ 100,000 items an hour on the 2-core machine. No database: pure classification.

    .venv/bin/python bench/media_bench.py [--items 2000] [--topics 1000] [--names 5000] [--seed 22]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()


def _vocabulary() -> list[str]:
    from ioc.media_watch.corpus import THEMES
    from ioc.media_watch.text import syllables

    words: set[str] = set()
    for parts in THEMES.values():
        for text in parts["title"] + parts["body"]:
            words.update(w for w in syllables(text.replace("{place}", "")) if not w.isdigit())
    return sorted(words)


def _queries(rng: random.Random, words: list[str], count: int) -> list[str]:
    queries = []
    for _ in range(count):
        a, b, c, d = rng.sample(words, 4)
        shape = rng.randrange(4)
        queries.append(
            [f'"{a} {b}" OR {c}', f"{a} AND ({b} OR {c})", f'{a} NEAR/3 {b} NOT "{c} {d}"', f"{a} {b} OR {c} {d}"][
                shape
            ]
        )
    return queries


def _names(rng: random.Random, count: int) -> list[str]:
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
    middle = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Hoài", "Gia"]
    given = [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Giang",
        "Hà",
        "Hải",
        "Khánh",
        "Lan",
        "Long",
        "Mai",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Tâm",
        "Thảo",
        "Trung",
        "Tuấn",
        "Vy",
        "Xuân",
        "Yến",
        "Hòa",
        "Thủy",
        "Khoa",
        "Loan",
        "Nhi",
        "Tú",
    ]
    names = set()
    while len(names) < count:
        if rng.random() < 0.3:
            names.add(f"Công ty {rng.choice(given)} {rng.choice(given)} {rng.choice(middle)} {rng.randint(1, 99)}")
        else:
            names.add(f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)} {rng.choice(given)}")
    return sorted(names)


def _regex_loop(queries: list[str], names: list[str]):  # type: ignore[no-untyped-def]
    from ioc.media_watch.query import keys, parse

    patterns = []
    for query in queries + [f'"{n}"' for n in names]:
        terms = sorted(key.folded for key in keys(parse(query)))
        patterns.append(re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)"))
    return patterns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--topics", type=int, default=1000)
    parser.add_argument("--names", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()
    _setup()
    from ioc.media_watch.corpus import THEMES, compose
    from ioc.media_watch.matching import build
    from ioc.media_watch.query import parse
    from ioc.media_watch.selectors.rules import entity_tree
    from ioc.media_watch.text import fold_aligned, normalise

    rng = random.Random(args.seed)
    words = _vocabulary()
    queries, names = _queries(rng, words, args.topics), _names(rng, args.names)
    started = time.perf_counter()
    rules = [(("topic", i), parse(q)) for i, q in enumerate(queries)]
    rules += [(("entity", i), entity_tree([n])) for i, n in enumerate(names)]
    matcher = build([(label, tree) for label, tree in rules if tree is not None])
    build_s = time.perf_counter() - started
    texts = []
    for _ in range(args.items):
        item = compose(rng, theme=rng.choice(list(THEMES)), place=rng.choice(["Lộc Ninh", "Hòa Bình", "Tân Phú"]))
        mention = rng.choice(names) if rng.random() < 0.2 else ""
        texts.append(f"{item.title}. {item.body} {mention}")

    started = time.perf_counter()
    matched = 0
    for text in texts:
        matched += len(matcher.match(text))
    one_pass_s = time.perf_counter() - started

    patterns = _regex_loop(queries, names)
    started = time.perf_counter()
    hits = 0
    for text in texts:
        folded = fold_aligned(normalise(text))
        hits += sum(1 for pattern in patterns if pattern.search(folded))
    regex_s = time.perf_counter() - started

    per_hour = args.items / one_pass_s * 3600
    print(f"items={args.items} topics={args.topics} names={args.names} build_s={build_s:.2f}")
    print(
        f"one pass (normalise + automaton + evaluate): {one_pass_s:.2f} s, {per_hour:,.0f} items/hour, {matched} labels"
    )
    print(
        f"per-topic regex loop (terms only, no boolean evaluation): {regex_s:.2f} s, "
        f"{args.items / regex_s * 3600:,.0f} items/hour, {hits} patterns hit"
    )


if __name__ == "__main__":
    main()
