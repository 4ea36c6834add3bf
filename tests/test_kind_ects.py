"""The core kind ``ects`` (specs/core.md, "ECTS credits"), on a fictitious title."""

from __future__ import annotations

from datetime import date

import pytest

import rulekit
from rulekit.declaration import CustomRequirement
from rulekit.engine.compiled import DeclarationError, compile_certification
from rulekit.kinds import CORE_KINDS
from rulekit.kit.lint import lint_certification
from rulekit.testing import reference
from tests.helpers import dossier, passed, registry_of
from tests.plugins import credits

REGISTRY = registry_of(credits)
AS_OF = date(2024, 6, 30)


def decide(units: list[dict[str, object]], as_of: date = AS_OF) -> rulekit.Decision:
    return rulekit.evaluate(
        dossier(certification="credits_00000", units=units), as_of=as_of, registry=REGISTRY
    )


def test_declared_credits_count_and_the_dossier_fills_in_where_the_declaration_has_none() -> None:
    units = [
        passed("EEE001", "2024-01-10"),  # 6, declared
        passed("EEE002", "2024-01-10", ects=30),  # 6: the declaration wins over the dossier
        passed("EEE004", "2024-02-10", ects=5),  # 5: the declaration gives none
        passed("ZZZ999", "2024-03-10", ects=3),  # 3: a unit the declaration does not name
    ]
    result = decide(units).requirement("ects")
    assert result.met
    assert [e.item.code for e in result.evidence] == ["EEE001", "EEE002", "EEE004", "ZZZ999"]  # type: ignore[union-attr]
    assert result.message.fr == "Crédits ECTS\u202f: 20 acquis pour 20 requis."
    assert result.message.en == "ECTS credits: 20 earned of 20 required."


def test_short_of_the_minimum_says_how_many_credits_are_missing() -> None:
    units = [passed("EEE001", "2024-01-10"), passed("EEE004", "2024-02-10", ects=4.5)]
    result = decide(units).requirement("ects")
    assert not result.met
    assert result.missing[0].kind == "ects"
    assert result.missing[0].count == 10  # 20 - 10.5, rounded up
    assert "10,5 acquis, 20 requis" in result.message.fr
    assert "10.5 earned, 20 required" in result.message.en


def test_a_unit_counts_once_failed_later_and_expired_results_bring_nothing() -> None:
    units = [
        passed("EEE004", "2024-01-10", ects=8),
        passed("EEE004", "2024-02-10", ects=12),  # same code: the largest, once
        {"code": "ZZZ001", "result": "failed", "date": "2024-01-10", "ects": 30},
        passed("ZZZ002", "2024-07-01", ects=30),  # after the as-of date
        passed("ZZZ003", "2021-06-29", ects=30),  # valid 3 years: expired by 2024-06-30
    ]
    result = decide(units).requirement("ects")
    assert not result.met
    assert result.missing[0].count == 8


def test_compiling_refuses_a_missing_or_non_positive_minimum() -> None:
    kinds = {kind.kind: kind for kind in CORE_KINDS}
    for params in ((), (("minimum", 0),), (("minimum", "20"),)):
        declaration = credits.CREDITS.__class__(
            **{
                **{f: getattr(credits.CREDITS, f) for f in ("id", "rncp", "title", "certifier")},
                "level": 6,
                "tracks": credits.CREDITS.tracks,
                "custom": (CustomRequirement("ects", "ects", params),),
            }
        )
        with pytest.raises(DeclarationError, match="positive integer 'minimum'"):
            compile_certification(declaration, plugin="t", plugin_version="0", rule_types=kinds)


def test_lint_says_when_declared_units_alone_cannot_reach_the_minimum() -> None:
    findings = lint_certification(credits.CREDITS)
    assert [f.code for f in findings] == ["unreachable-ects"]  # 16 declared, 20 asked


def test_the_reference_semantics_agree_on_the_examples() -> None:
    units = [passed("EEE001", "2024-01-10"), passed("EEE004", "2024-02-10", ects=14)]
    value = dossier(certification="credits_00000", units=units)
    verdict = reference.evaluate(credits.CREDITS, value, AS_OF, None, kinds=CORE_KINDS)
    assert "ects" not in verdict.unmet
    assert decide(units).requirement("ects").met
