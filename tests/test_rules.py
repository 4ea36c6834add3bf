"""Each core rule primitive, on the fictitious certification of tests/plugins/fictitious.py."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from rulekit import evaluate
from rulekit.codec import decision_to_json
from rulekit.decision import Basis, Decision, Measure, Outcome
from rulekit.errors import DossierError, UnknownCertification, UnknownTrack
from tests.helpers import block, dossier, job, passed, registry_of
from tests.plugins import fictitious

REGISTRY = registry_of(fictitious)
AS_OF = date(2022, 6, 30)

COMPLETE: dict[str, Any] = dossier(
    certification="demo_00000",
    enrolled_on="2020-09-01",
    units=[
        passed("AAA001", "2021-06-01"),
        passed("AAA002", "2021-06-01"),
        passed("BBB001", "2021-06-01"),
    ],
    blocks=[block("RNCP00000BC01", "2021-06-01")],
    experience=[job("2021-01-01", None)],
)


def run(value: dict[str, Any], as_of: date = AS_OF, **options: Any) -> Decision:
    return evaluate(value, as_of=as_of, registry=REGISTRY, **options)


def with_(**changes: Any) -> dict[str, Any]:
    return {**COMPLETE, **changes}


def test_complete_dossier_is_eligible() -> None:
    """A dossier meeting every requirement is eligible on the first track."""
    decision = run(COMPLETE)
    assert decision.outcome is Outcome.ELIGIBLE
    assert [r.id for r in decision.requirements] == [
        "units", "choice", "experience", "internship", "blocks", "registration",
    ]  # fmt: skip
    assert decision.track == "alpha"


def test_shared_unit_cannot_fill_two_slots() -> None:
    """AAA002 is mandatory and in the choice group: it fills one slot only."""
    units = [passed("AAA001", "2021-06-01"), passed("AAA002", "2021-06-01")]
    decision = run(with_(units=units, track="alpha"))
    assert decision.requirement("units").met
    choice = decision.requirement("choice")
    assert not choice.met
    assert choice.missing[0].count == 1 and choice.missing[0].among == ("AAA002", "BBB001")


def test_failed_and_future_units_explained() -> None:
    """Failed units and units dated after as-of do not count and are listed as not counted."""
    units = [
        {"code": "AAA001", "result": "failed", "date": "2021-01-01"},
        passed("AAA001", "2022-07-01"),
        passed("AAA002", "2021-06-01"),
        passed("BBB001", "2021-06-01"),
    ]
    units_req = run(with_(units=units, track="alpha")).requirement("units")
    assert not units_req.met
    assert [m.code for m in units_req.missing] == ["AAA001"]
    assert sorted(n.reason for n in units_req.not_counted) == ["after_as_of", "failed"]


def test_exemption_counts_and_is_cited() -> None:
    """An exemption counts as passed and the evidence says so."""
    units = [
        passed("AAA001", "2021-06-01", via="exemption"),
        passed("AAA002", "2021-06-01"),
        passed("BBB001", "2021-06-01"),
    ]
    requirement = run(with_(units=units)).requirement("units")
    assert requirement.met
    assert "dispense" in requirement.message.fr and "exemption" in requirement.message.en
    assert any(getattr(e.item, "via", None).value == "exemption" for e in requirement.evidence)  # type: ignore[union-attr]


def test_experience_attested_by_unit() -> None:
    """A passed attesting unit meets the experience requirement without periods."""
    units = [*COMPLETE["units"], passed("XXX001", "2021-01-01")]
    requirement = run(with_(units=units, experience=[])).requirement("experience")
    assert requirement.met and requirement.basis is Basis.ATTESTATION


def test_experience_short_names_missing_months() -> None:
    """Five months of a six-month requirement leave one month missing."""
    requirement = run(with_(experience=[job("2022-01-01", "2022-05-31")])).requirement("experience")
    assert not requirement.met
    assert requirement.missing[0].months == 1.0
    assert requirement.measure is not None and requirement.measure.counted == 5.0


def test_internship_needed_when_in_field_experience_short() -> None:
    """Out-of-field experience meets experience but asks for an internship."""
    decision = run(with_(experience=[job("2021-01-01", None, in_field=False)]))
    assert decision.requirement("experience").met
    internship = decision.requirement("internship")
    assert not internship.met and internship.missing[0].months == 2.0
    ok = run(
        with_(
            experience=[job("2021-01-01", None, in_field=False)],
            internships=[{"start": "2021-03-01", "end": "2021-04-30", "in_field": True}],
        )
    )
    assert ok.requirement("internship").met and ok.requirement("internship").basis is Basis.EVIDENCE


def test_internship_not_required_cites_in_field_experience() -> None:
    """Enough experience in the field makes the internship not required, citing that experience."""
    internship = run(COMPLETE).requirement("internship")
    assert internship.met and internship.basis is Basis.NOT_REQUIRED
    assert internship.evidence and internship.evidence[0].type == "experience"


def test_block_counts_through_its_anniversary() -> None:
    """A bloc valid two years counts on its anniversary and expires the day after (CPC 641-642)."""
    value = with_(blocks=[block("RNCP00000BC01", "2020-06-30")])
    assert run(value, as_of=date(2022, 6, 30)).requirement("blocks").met
    expired = run(value, as_of=date(2022, 7, 1)).requirement("blocks")
    assert not expired.met
    assert expired.missing[0].reason == "expired" and expired.missing[0].date == date(2022, 7, 1)
    assert "expiré le 1er juillet 2022" in expired.message.fr
    assert "expired on 1 July 2022" in expired.message.en


def test_block_from_29_february_counts_through_28_february() -> None:
    """A bloc of 29 February 2020 valid two years counts on 28 February 2022, not on 1 March."""
    value = with_(blocks=[block("RNCP00000BC01", "2020-02-29")])
    assert run(value, as_of=date(2022, 2, 28)).requirement("blocks").met
    assert not run(value, as_of=date(2022, 3, 1)).requirement("blocks").met


def test_months_measure_reports_days() -> None:
    """The measure carries the days proven and required and the months they make."""
    requirement = run(with_(experience=[job("2022-01-01", "2022-05-31")])).requirement("experience")
    assert requirement.measure is not None
    assert (requirement.measure.counted_days, requirement.measure.required_days) == (151.0, 181)
    assert requirement.measure.counted == 5.0  # 6 × 151 / 181 = 5.0055…, floored
    assert requirement.message.fr == (
        "Expérience professionnelle insuffisante\u202f: 151 jours justifiés, soit 5 mois, "
        "pour 181 jours requis (6 mois)."
    )
    assert requirement.message.en == (
        "Professional experience too short: 151 days proven, that is 5 months, "
        "of 181 days required (6 months)."
    )


def test_internship_by_hours_of_presence() -> None:
    """An internship stating hours counts 7 hours a day, 22 days a month (D124-6)."""
    out_of_field = [job("2021-01-01", None, in_field=False)]

    def internship(hours: int | None, end: str | None = "2021-02-28") -> Any:
        stay: dict[str, Any] = {"start": "2021-01-04", "end": end, "in_field": True}
        if hours is not None:
            stay["hours"] = hours
        return run(with_(experience=out_of_field, internships=[stay])).requirement("internship")

    # Two months are 44 days of presence, 308 hours; 307 hours are 43 days.
    assert internship(308).met and internship(308).measure == Measure(
        required=2.0, counted=2.0, required_days=59, counted_days=0.0, presence_days=44
    )
    short = internship(307)
    assert not short.met and short.missing[0].months == 0.05  # 2 - 43/22 = 1/22 = 0.045…
    assert short.message.fr == (
        "Stage insuffisant\u202f: 43 jours de présence, soit 1,95 mois, pour 2 mois requis. "
        "Le stage est requis parce que l'expérience dans le champ (0 jour justifié) "
        "n'atteint pas 6 mois (181 jours)."
    )
    # Without hours the same internship counts its 56 days at full time: under D(2) = 59.
    assert not internship(None).met
    # Still running on the as-of date, its hours count nothing yet.
    running = internship(308, end=None)
    assert not running.met
    assert [n.reason for n in running.not_counted] == ["in_progress"]


@pytest.mark.parametrize(
    ("as_of", "enrolled_on", "met", "basis_or_reason"),
    [
        (date(2019, 12, 31), "2019-09-01", False, "not_yet_registered"),
        (date(2020, 1, 1), None, True, "registered"),
        (date(2022, 12, 31), None, True, "registered"),
        (date(2023, 1, 1), None, False, "registration_ended"),
        (date(2023, 1, 1), "2019-12-31", False, "registration_ended"),
        (date(2023, 1, 1), "2022-12-31", True, "transitional"),
        (date(2023, 12, 31), "2020-01-01", True, "transitional"),
        (date(2024, 1, 1), "2020-01-01", False, "award_deadline_passed"),
    ],
)
def test_registration_window(
    as_of: date, enrolled_on: str | None, met: bool, basis_or_reason: str
) -> None:
    """Inside the window, or enrolled inside it and before the award deadline (L6113-9)."""
    requirement = run(with_(enrolled_on=enrolled_on), as_of=as_of).requirement("registration")
    assert requirement.met is met
    if met:
        assert requirement.basis is not None and requirement.basis.value == basis_or_reason
    else:
        assert requirement.missing[0].reason == basis_or_reason


def test_waiver_meets_requirement_and_cites_who_when_why() -> None:
    """A waiver granted on or before as-of meets an unmet requirement; a later one does not."""
    waiver = {
        "requirement": "internship",
        "granted_by": "Fictitious jury",
        "date": "2022-06-01",
        "reason": "R",
    }
    value = with_(experience=[job("2021-01-01", None, in_field=False)], waivers=[waiver])
    internship = run(value).requirement("internship")
    assert internship.met and internship.basis is Basis.WAIVER
    assert "Fictitious jury" in internship.message.fr and "1 June 2022" in internship.message.en
    assert not run(value, as_of=date(2022, 5, 31)).requirement("internship").met


def test_waiver_of_unknown_requirement_is_an_input_error() -> None:
    """A waiver naming no requirement of the certification is reported at its path."""
    waiver = {"requirement": "internshp", "granted_by": "J", "date": "2022-06-01", "reason": "R"}
    with pytest.raises(DossierError) as caught:
        run(with_(waivers=[waiver]))
    assert caught.value.errors[0].path == "waivers[0].requirement"


def test_best_track_reported_with_others_summarised() -> None:
    """With no track named, the eligible track wins and the other is summarised."""
    value = with_(units=[passed("CCC001", "2021-06-01")])
    decision = run(value)
    assert decision.track == "beta" and decision.outcome is Outcome.ELIGIBLE
    assert [(t.track, t.unmet) for t in decision.other_tracks] == [("alpha", ("units", "choice"))]


def test_named_track_and_unknown_track() -> None:
    """A named track is the only one evaluated; an unknown one lists the tracks."""
    assert run(COMPLETE, track="beta").track == "beta"
    with pytest.raises(UnknownTrack, match="alpha, beta"):
        run(COMPLETE, track="gamma")


def test_unknown_certification_lists_installed() -> None:
    """An unknown certification is named along with the installed ones."""
    with pytest.raises(UnknownCertification, match="demo_00000"):
        run(COMPLETE, certification="nope")


def test_decision_bytes_ignore_list_order() -> None:
    """Reversing every list of the dossier gives the same decision bytes."""
    reordered = {
        key: list(reversed(value)) if isinstance(value, list) else value
        for key, value in COMPLETE.items()
    }
    reordered["experience"] = [job("2021-01-01", "2021-03-31"), job("2021-04-01", None)]
    original = dict(COMPLETE)
    original["experience"] = [job("2021-04-01", None), job("2021-01-01", "2021-03-31")]
    assert decision_to_json(run(original)) == decision_to_json(run(reordered))


def test_json_text_and_object_inputs_agree() -> None:
    """The API accepts JSON text, a parsed object or a Dossier with the same result."""
    assert run(COMPLETE) == evaluate(json.dumps(COMPLETE), as_of=AS_OF, registry=REGISTRY)


def test_every_error_at_once_including_waivers() -> None:
    """Validation errors and waiver errors of one dossier are reported together."""
    waiver = {"requirement": "nope", "granted_by": "J", "date": "2022-06-01", "reason": "R"}
    with pytest.raises(DossierError) as caught:
        run(with_(units=[{"code": "bad", "result": "passed"}], waivers=[waiver]))
    assert {e.path for e in caught.value.errors} == {
        "units[0].code",
        "units[0].date",
        "waivers[0].requirement",
    }


def test_malformed_waiver_requirement_reported_once() -> None:
    """A malformed waiver requirement gets one error at its path, not two."""
    waiver = {"requirement": "Not An Id", "granted_by": "J", "date": "2022-06-01", "reason": "R"}
    with pytest.raises(DossierError) as caught:
        run(with_(waivers=[waiver]))
    assert [e.path for e in caught.value.errors] == ["waivers[0].requirement"]


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        (12.5, "expected a whole number, got a decimal number"),
        (True, "expected a whole number, got a boolean"),
        (-1, "-1 is outside [0, 10000]"),
        (10_001, "10001 is outside [0, 10000]"),
    ],
)
def test_internship_hours_are_whole_and_bounded(hours: object, reason: str) -> None:
    """Bad hours of presence are refused at their path, with the reason."""
    stay = {"start": "2021-03-01", "end": "2021-05-31", "in_field": True, "hours": hours}
    with pytest.raises(DossierError) as caught:
        run(with_(internships=[stay]))
    assert [(e.path, e.message) for e in caught.value.errors] == [("internships[0].hours", reason)]
