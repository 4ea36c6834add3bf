"""Benchmark: the cost of deciding, as ratios of a floor measured in the same run.

Not a test: it prints figures. For each installed certification it generates N dossiers from
the declaration (seeded, so runs compare; about half eligible: each dossier meets every
requirement of a track of its choice, or all but one), writes them as JSON text, then times
per dossier (best of ``--repeat`` runs):

- **floor**: the fastest plain reading of the same JSON text into plain msgspec structs
  (natural types: dates as dates, numbers as floats), with no validation message and no
  evaluation: what any reader must at least do;
- **whole job**: JSON text in, decision bytes out, as a caller gets them:
  ``decision_to_json(rulekit.evaluate(text, ...))`` (the input pipeline with full error
  reporting, both languages, both digests, every track evaluated and the best reported);
- **evaluation**: ``evaluate_dossier`` from a dossier already read (its input digest
  included: it is computed once per dossier object, so the dossiers are read afresh before
  each run);

and prints the eligible share, the three times, and the ratios whole/floor and
evaluation/floor (absolute times on a shared machine are noise; the ratios are the figures).
``--profile`` also prints where the whole job's time goes (cProfile, by own time).

Usage: ``.venv/bin/python benchmarks/bench.py [--count N] [--repeat R] [--seed S] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import msgspec

import rulekit
from rulekit.calendar import add_months, add_years
from rulekit.declaration import Certification, ExperienceCounting, ExperienceRule, Track
from rulekit.dossier_io import load_dossier
from rulekit.engine.evaluate import evaluate_dossier
from rulekit.registry import Registry, default_registry

AS_OF = date(2024, 6, 30)

JSON = dict[str, Any]


# -- the floor: plain structs, no constraints, no messages ----------------------------------


class PlainLearner(msgspec.Struct):
    """A learner, read as is."""

    id: str
    name: str | None = None


class PlainUnit(msgspec.Struct):
    """A unit result, read as is."""

    code: str
    result: str
    date: date | None = None
    grade: float | None = None
    ects: float | None = None
    via: str = "exam"
    reference: str | None = None


class PlainBlock(msgspec.Struct):
    """A bloc result, read as is."""

    code: str
    result: str
    date: date


class PlainPeriod(msgspec.Struct):
    """An experience period or an internship, read as is."""

    start: date
    in_field: bool
    end: date | None = None
    fte: float = 1.0
    employer: str | None = None
    role: str | None = None
    host: str | None = None


class PlainWaiver(msgspec.Struct):
    """A waiver, read as is."""

    requirement: str
    granted_by: str
    date: date
    reason: str


class PlainDossier(msgspec.Struct):
    """A dossier, read as is."""

    format: str
    learner: PlainLearner
    certification: str | None = None
    track: str | None = None
    enrolled_on: date | None = None
    units: list[PlainUnit] = []
    blocks: list[PlainBlock] = []
    experience: list[PlainPeriod] = []
    internships: list[PlainPeriod] = []
    waivers: list[PlainWaiver] = []


FLOOR = msgspec.json.Decoder(PlainDossier)


# -- generated dossiers ----------------------------------------------------------------


def as_of_for(certification: Certification) -> date:
    """The decision date: 2024-06-30, or the last day of the registration window if earlier."""
    if certification.registration is None:
        return AS_OF
    return min(AS_OF, certification.registration.registered_until)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


class Generator:
    """Dossiers for one certification: each meets every requirement of one track, or all but one."""

    def __init__(self, certification: Certification, rng: random.Random) -> None:
        self.certification = certification
        self.rng = rng
        self.as_of = as_of_for(certification)
        years = certification.validity_years
        oldest = add_years(self.as_of, -years) + timedelta(days=30) if years else date(2012, 1, 1)
        self.recent = (max(oldest, self.as_of - timedelta(days=6 * 365)), self.as_of)
        self.codes = sorted(
            {u.code for t in certification.tracks for u in t.mandatory}
            | {u.code for t in certification.tracks for g in t.choices for u in g.units}
        )

    def _passed(self, code: str) -> JSON:
        rng = self.rng
        return {
            "code": code,
            "result": "passed",
            "date": _day(rng, *self.recent).isoformat(),
            "grade": round(rng.uniform(10, 18), 1),
        }

    def _units(self, track: Track) -> list[JSON]:
        rng = self.rng
        units = [self._passed(u.code) for u in track.mandatory]
        for group in track.choices:
            units += [self._passed(u.code) for u in rng.sample(group.units, group.choose)]
        held = {u["code"] for u in units}
        for code in self.codes:  # results in units of other tracks: noise the engine must skip
            if code not in held and rng.random() < 0.3:
                units.append({"code": code, "result": rng.choice(["failed", "in_progress"])})
                if units[-1]["result"] == "failed":
                    units[-1]["date"] = _day(rng, *self.recent).isoformat()
        rng.shuffle(units)
        return units

    def _period(self, months: int, *, in_field: bool = True, end: date | None = None) -> JSON:
        """A full-time period of at least ``months`` months ending by ``end`` (or lately)."""
        if end is None:
            end = self.as_of - timedelta(days=self.rng.randrange(10, 200))
        start = add_months(end, -months) - timedelta(days=self.rng.randrange(0, 60))
        return {"start": start.isoformat(), "end": end.isoformat(), "in_field": in_field}

    def _experience(self, rule: ExperienceRule) -> list[JSON]:
        """Enough months of experience, and an internship that is required too.

        In the field for less than the internship threshold when there is one and other
        experience counts, so that leaving the internship out breaks the dossier.
        """
        internship = self.certification.internship
        below = internship.required_below_in_field_months if internship else None
        counts_all = rule.counting is ExperienceCounting.ALL
        in_field = rule.months + 2
        if counts_all and below is not None and below > 3:
            in_field = min(in_field, below - 3)
        periods = [self._period(in_field)]
        first = date.fromisoformat(periods[0]["start"]) - timedelta(days=1)
        rest = rule.months + 3 - in_field
        if counts_all and rest > 0:
            periods.append(self._period(rest, in_field=False, end=first))
        else:
            periods.append({**self._period(3, in_field=False, end=first), "fte": 0.5})
        return periods

    def dossier(self, index: int) -> JSON:
        """A dossier meeting every requirement of a random track, broken once half the time."""
        rng, certification = self.rng, self.certification
        track = rng.choice(certification.tracks)
        value: JSON = {
            "format": "rulekit.dossier/1",
            "learner": {"id": f"BENCH{index:06d}", "name": "Fictitious"},
            "certification": certification.id,
            "units": self._units(track),
        }
        # Each defect breaks every track, so that about half the dossiers are not eligible.
        defects: list[Callable[[], None]] = []
        everywhere = set.intersection(
            *({u.code for u in t.mandatory} for t in certification.tracks)
        )
        if everywhere:
            missing = rng.choice(sorted(everywhere))
            defects.append(
                lambda: value.update(units=[u for u in value["units"] if u["code"] != missing])
            )
        if certification.blocs:
            value["blocks"] = [
                {"code": b.code, "result": "passed", "date": _day(rng, *self.recent).isoformat()}
                for b in certification.blocs
            ]
            defects.append(lambda: value["blocks"][0].update(result="in_progress"))
        if certification.experience is not None:
            value["experience"] = self._experience(certification.experience)
            defects.append(lambda: value["experience"].pop(0))
        if certification.internship is not None:
            value["internships"] = [self._period(certification.internship.months + 1)]
            defects.append(lambda: value.pop("internships"))
        registration = certification.registration
        if registration is not None:
            window = (registration.registered_from, registration.registered_until)
            value["enrolled_on"] = _day(rng, *window).isoformat()
        if defects and rng.random() < 0.5:
            rng.choice(defects)()
        return value


# -- timing ----------------------------------------------------------------------------


def per_item(run: Callable[[], object], count: int, repeat: int) -> float:
    """Seconds per dossier of ``run`` (which handles ``count`` dossiers), best of ``repeat``."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best / count


def measure(registry: Registry, certification_id: str, args: argparse.Namespace) -> list[str]:
    """Generate, time and return the row of one certification."""
    compiled = registry.certification(certification_id, AS_OF)
    generator = Generator(compiled.declaration, random.Random(f"{args.seed}:{certification_id}"))
    as_of = generator.as_of
    texts = [json.dumps(generator.dossier(i)).encode() for i in range(args.count)]

    def floor() -> None:
        for text in texts:
            FLOOR.decode(text)

    def whole() -> list[bytes]:
        return [
            rulekit.decision_to_json(
                rulekit.evaluate(text, as_of=as_of, registry=registry)
            ).encode()
            for text in texts
        ]

    eligible = sum(json.loads(out)["outcome"] == "eligible" for out in whole())
    floor_s = per_item(floor, args.count, args.repeat)
    whole_s = per_item(whole, args.count, args.repeat)
    evaluation_s = float("inf")
    for _ in range(args.repeat):
        dossiers = [load_dossier(text) for text in texts]  # fresh objects: digests not known
        started = time.perf_counter()
        for dossier in dossiers:
            evaluate_dossier(compiled, dossier, as_of)
        evaluation_s = min(evaluation_s, (time.perf_counter() - started) / args.count)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(whole)
        print(f"-- {certification_id}: whole job, by own time")
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
    return [
        certification_id,
        f"{args.count}",
        f"{eligible / args.count:.0%}",
        f"{floor_s * 1e6:.1f}",
        f"{whole_s * 1e6:.1f}",
        f"{evaluation_s * 1e6:.1f}",
        f"{whole_s / floor_s:.1f}x",
        f"{evaluation_s / floor_s:.1f}x",
    ]


HEADER = ["certification", "dossiers", "eligible", "floor µs", "whole µs", "eval µs"]
HEADER += ["whole/floor", "eval/floor"]


def main() -> None:
    """Generate, time and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=25,
        default=0,
        metavar="LINES",
        help="also print the top LINES functions of the whole job (cProfile)",
    )
    args = parser.parse_args()
    registry = default_registry()
    rows = [measure(registry, certification_id, args) for certification_id in registry.ids()]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) + 2 for i in range(len(HEADER))]
    for row in [HEADER, *rows]:
        print("".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
