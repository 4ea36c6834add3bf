"""Benchmark: what ``dates=True`` costs, as ratios of the same whole job without it.

Not a test: it prints figures. The dossiers are those of ``benchmarks/bench.py`` (seeded,
about half eligible). For each installed certification, per dossier (best of
``--repeat``): the floor of bench.py (plain msgspec decoding of the same JSON text), the
whole job without dates (``decision_to_json(rulekit.evaluate(text, ...))``) and the same
with ``dates=True``; then how many dossiers got an ``eligible_from`` or ``eligible_until``,
and the ratios with/without and with/floor.

Usage: ``.venv/bin/python benchmarks/bench_dates.py [--count N] [--repeat R] [--seed S]``.
"""

from __future__ import annotations

import argparse
import json
import random

from bench import AS_OF, FLOOR, Generator, per_item

import rulekit
from rulekit.registry import Registry, default_registry


def measure(registry: Registry, certification_id: str, args: argparse.Namespace) -> list[str]:
    """Generate, time and return the row of one certification."""
    compiled = registry.certification(certification_id, AS_OF)
    generator = Generator(compiled.declaration, random.Random(f"{args.seed}:{certification_id}"))
    as_of = generator.as_of
    texts = [json.dumps(generator.dossier(i)).encode() for i in range(args.count)]

    def floor() -> None:
        for text in texts:
            FLOOR.decode(text)

    def whole(dates: bool) -> list[bytes]:
        return [
            rulekit.decision_to_json(
                rulekit.evaluate(text, as_of=as_of, registry=registry, dates=dates)
            ).encode()
            for text in texts
        ]

    dated = [json.loads(out) for out in whole(True)]
    found = sum("eligible_from" in d or "eligible_until" in d for d in dated)
    floor_s = per_item(floor, args.count, args.repeat)
    plain_s = per_item(lambda: whole(False), args.count, args.repeat)
    dates_s = per_item(lambda: whole(True), args.count, args.repeat)
    return [
        certification_id,
        f"{args.count}",
        f"{found / args.count:.0%}",
        f"{plain_s * 1e6:.1f}",
        f"{dates_s * 1e6:.1f}",
        f"{dates_s / plain_s:.1f}x",
        f"{plain_s / floor_s:.1f}x",
        f"{dates_s / floor_s:.1f}x",
    ]


HEADER = ["certification", "dossiers", "dated", "whole µs", "with dates µs", "dates/whole"]
HEADER += ["whole/floor", "dates/floor"]


def main() -> None:
    """Generate, time and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    registry = default_registry()
    rows = [measure(registry, certification_id, args) for certification_id in registry.ids()]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) + 2 for i in range(len(HEADER))]
    for row in [HEADER, *rows]:
        print("".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
