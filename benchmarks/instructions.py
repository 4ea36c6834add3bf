"""Benchmark: the cost of deciding in machine instructions, as ratios of the floor.

Not a test: it prints figures. ``bench.py`` measures time, which on a shared 2-core
machine moves by half from one run to the next; the number of instructions the
interpreter executes does not. This script runs the same work as ``bench.py`` (the same
generated dossiers: floor, whole job, evaluation) under Valgrind's callgrind, which counts
every instruction, and reports per dossier the instructions of each stage and the ratios
whole/floor and evaluation/floor.

Each figure is the difference between a run over ``--count`` dossiers and a run over
none, so start-up, imports and the first use of every path (generated hooks compiled on
first use) cancel out. The hash seed is fixed, so a run gives the same figures on any
machine with the same Python and libraries.

Usage: ``.venv/bin/python benchmarks/instructions.py [--count N] [--only ID]``
(needs ``valgrind``; about a minute per certification).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import callgrind

STAGES = ("floor", "whole", "evaluation")
SAMPLE = 50
"""Distinct dossiers per certification; the work cycles over them."""


def work(certification_id: str, stage: str, count: int, seed: int) -> None:
    """Do ``count`` items of ``stage`` (in this process), after one warm-up pass of each."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench import AS_OF, FLOOR, Generator  # noqa: PLC0415 - the child process only

    import rulekit  # noqa: PLC0415
    from rulekit.dossier_io import load_dossier  # noqa: PLC0415
    from rulekit.engine.evaluate import evaluate_dossier  # noqa: PLC0415
    from rulekit.registry import default_registry  # noqa: PLC0415

    registry = default_registry()
    compiled = registry.certification(certification_id, AS_OF)  # as bench.py takes it
    generator = Generator(compiled.declaration, random.Random(f"{seed}:{certification_id}"))
    as_of = generator.as_of
    texts = [json.dumps(generator.dossier(i)).encode() for i in range(SAMPLE)]
    dossiers = [load_dossier(text) for text in texts]

    def whole(text: bytes) -> object:
        return rulekit.decision_to_json(rulekit.evaluate(text, as_of=as_of, registry=registry))

    runs: dict[str, Callable[[int], object]] = {
        "floor": lambda i: FLOOR.decode(texts[i % SAMPLE]),
        "whole": lambda i: whole(texts[i % SAMPLE]),
        "evaluation": lambda i: evaluate_dossier(compiled, dossiers[i % SAMPLE], as_of),
    }
    for i in range(SAMPLE):  # every path once: first-use costs are not per dossier
        for run in runs.values():
            run(i)
    run = runs[stage]
    for i in range(count):
        run(i)


def instructions(certification_id: str, stage: str, count: int, seed: int) -> int:
    """Instructions callgrind counts for the whole process doing ``count`` items."""
    arguments = [__file__, "--work", certification_id, stage, str(count), "--seed", str(seed)]
    return callgrind.count(arguments, f"{certification_id} {stage}")


def main() -> None:
    """Count, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--only", action="append", help="certification id (repeatable)")
    parser.add_argument("--work", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.work:
        certification_id, stage, count = args.work
        work(certification_id, stage, int(count), args.seed)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    from rulekit.registry import default_registry  # noqa: PLC0415

    ids = args.only or default_registry().ids()
    header = ["certification", "floor", "whole", "evaluation", "whole/floor", "eval/floor"]
    rows = []
    for certification_id in ids:
        per_item = {}
        for stage in STAGES:
            base = instructions(certification_id, stage, 0, args.seed)
            loaded = instructions(certification_id, stage, args.count, args.seed)
            per_item[stage] = (loaded - base) / args.count
        floor = per_item["floor"]
        rows.append(
            [
                certification_id,
                *(f"{per_item[stage]:,.0f}" for stage in STAGES),
                f"{per_item['whole'] / floor:.1f}x",
                f"{per_item['evaluation'] / floor:.1f}x",
            ]
        )
    print(f"instructions per dossier ({args.count} dossiers, callgrind)")
    widths = [max(len(row[i]) for row in [header, *rows]) + 2 for i in range(len(header))]
    for row in [header, *rows]:
        print("".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
