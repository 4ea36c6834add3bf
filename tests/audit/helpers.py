"""Small builders shared by the audit tests: recorded decisions on a fresh log."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rulekit.log import Recorded, Signer, evaluate_and_record, open_log
from rulekit.registry import Registry

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "casp_national.json"
WHEN = datetime(2024, 6, 1, 9, 30, tzinfo=UTC)


def fictitious_dossier(
    *, learner: str = "F001", units: tuple[str, ...] = ("FIC101", "FIC102", "FIC103", "FIC201")
) -> dict[str, Any]:
    """A fictitious dossier, eligible under version 1 as of mid-2022 (12+ months in field)."""
    return {
        "format": "rulekit.dossier/1",
        "learner": {"id": learner, "name": "Fictitious Learner"},
        "certification": "fictitious_title",
        "units": [{"code": code, "result": "passed", "date": "2021-06-01"} for code in units],
        "experience": [
            {"start": "2020-01-01", "end": "2021-03-31", "in_field": True, "fte": 1.0},
        ],
        "waivers": [
            {
                "requirement": "internship",
                "granted_by": "Fictitious jury",
                "date": "2021-05-01",
                "reason": "Fictitious reason",
            }
        ],
    }


def record_many(
    target: str,
    registry: Registry,
    dossiers: list[dict[str, Any] | bytes],
    *,
    as_of: date = date(2022, 6, 1),
    recorded_at: datetime = WHEN,
    signer: Signer | None = None,
) -> list[Recorded]:
    """Evaluate and record each dossier on ``target`` (created if need be, signed if asked)."""
    with open_log(target, create=True, signer=signer) as log:
        return [
            evaluate_and_record(
                log,
                dossier if isinstance(dossier, bytes) else json.dumps(dossier).encode(),
                as_of=as_of,
                recorded_at=recorded_at,
                registry=registry,
            )
            for dossier in dossiers
        ]
