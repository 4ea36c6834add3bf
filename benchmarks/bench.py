"""Benchmark: dossiers per second for each installed certification.

Not a test: it prints figures. For each certification it generates N dossiers from the
declaration (seeded, so runs compare), then times

- parse: ``json.loads`` + validation + cattrs structuring (the cost of reading input);
- evaluate: the same plus evaluation and decision JSON (the whole job).

Usage: ``.venv/bin/python benchmarks/bench.py [--count N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import date, timedelta
from typing import Any

from rulekit.codec import decision_to_json
from rulekit.declaration import Certification
from rulekit.dossier_io import load_dossier
from rulekit.engine.evaluate import evaluate_dossier
from rulekit.registry import load_registry

AS_OF = date(2024, 6, 30)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def as_of_for(certification: Certification) -> date:
    """The decision date: 2024-06-30, or the last day of the registration window if earlier."""
    if certification.registration is None:
        return AS_OF
    return min(AS_OF, certification.registration.registered_until)


def generate(certification: Certification, rng: random.Random, index: int) -> dict[str, Any]:
    """Return a plausible dossier for ``certification`` (fictitious learner)."""
    as_of = as_of_for(certification)
    codes = sorted(
        {u.code for t in certification.tracks for u in t.mandatory}
        | {u.code for t in certification.tracks for g in t.choices for u in g.units}
        | set(certification.experience.attested_by if certification.experience else ())
    )
    units = [
        {
            "code": code,
            "result": rng.choice(["passed", "passed", "passed", "failed", "in_progress"]),
            "date": _day(rng, date(2008, 1, 1), date(2024, 12, 31)).isoformat(),
            "grade": round(rng.uniform(6, 18), 1),
        }
        for code in codes
        if rng.random() < 0.9
    ]
    blocks = [
        {
            "code": bloc.code,
            "result": "passed",
            "date": _day(rng, as_of - timedelta(days=6 * 365), as_of).isoformat(),
        }
        for bloc in certification.blocs
        if rng.random() < 0.9
    ]
    experience = []
    for _ in range(rng.randrange(4)):
        start = _day(rng, date(2010, 1, 1), date(2023, 12, 31))
        end = start + timedelta(days=rng.randrange(30, 900))
        experience.append(
            {
                "start": start.isoformat(),
                "end": None if rng.random() < 0.2 else end.isoformat(),
                "fte": rng.choice([1, 1, 0.5, 0.8]),
                "in_field": rng.random() < 0.6,
            }
        )
    internships = []
    if rng.random() < 0.5:
        start = _day(rng, date(2015, 1, 1), date(2023, 12, 31))
        internships.append(
            {
                "start": start.isoformat(),
                "end": (start + timedelta(days=rng.randrange(20, 120))).isoformat(),
                "in_field": True,
            }
        )
    return {
        "format": "rulekit.dossier/1",
        "learner": {"id": f"BENCH{index:06d}", "name": "Fictitious"},
        "certification": certification.id,
        "enrolled_on": _day(rng, date(2004, 1, 1), date(2020, 12, 31)).isoformat(),
        "units": units,
        "blocks": blocks,
        "experience": experience,
        "internships": internships,
    }


def main() -> None:
    """Generate, time and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    registry = load_registry()
    print(f"{'certification':<16}{'dossiers':>10}{'parse/s':>12}{'evaluate/s':>13}{'eligible':>10}")
    for certification_id in registry.ids():
        compiled = registry.certification(certification_id, AS_OF)
        as_of = as_of_for(compiled.declaration)
        rng = random.Random(f"{args.seed}:{certification_id}")
        texts = [
            json.dumps(generate(compiled.declaration, rng, i)).encode() for i in range(args.count)
        ]
        started = time.perf_counter()
        for text in texts:
            load_dossier(text)
        parse_seconds = time.perf_counter() - started
        eligible = 0
        started = time.perf_counter()
        for text in texts:
            decision = evaluate_dossier(compiled, load_dossier(text), as_of)
            decision_to_json(decision)
            eligible += decision.eligible
        total_seconds = time.perf_counter() - started
        print(
            f"{certification_id:<16}{args.count:>10}{args.count / parse_seconds:>12,.0f}"
            f"{args.count / total_seconds:>13,.0f}{eligible:>10}"
        )


if __name__ == "__main__":
    main()
