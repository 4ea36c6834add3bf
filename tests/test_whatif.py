"""What if: the plan format, the comparison, the command and its report.

Every expected date is worked out by hand in the test's docstring; learners and employers
are fictitious.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import rulekit
from rulekit.errors import DossierError
from rulekit.schemas import load_schema
from rulekit.what_if import plan_schema, read_plan, render_whatif, whatif, whatif_to_dict

CASES_DIR = Path(__file__).parent / "data" / "dates"
PLAN_SCHEMA = jsonschema.Draft202012Validator(
    load_schema("plan"), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def _dossier(name: str) -> dict[str, Any]:
    case = json.loads((CASES_DIR / name).read_text(encoding="utf-8"))
    dossier: dict[str, Any] = case["dossier"]
    return dossier


HALF_TIME = "10-casp-half-time-ongoing-reaches-546-days.json"
SECOND_JOB = {
    "format": "rulekit.plan/1",
    "experience": [
        {
            "start": "2023-06-02",
            "end": "2023-09-30",
            "fte": 0.5,
            "in_field": True,
            "employer": "Fictitious second association",
        }
    ],
}


def test_the_readme_example_is_the_worked_one() -> None:
    """examples/casp_half_time.json and its plan are case 10 and the second job above."""
    root = CASES_DIR.parents[2] / "examples"
    assert json.loads((root / "casp_half_time.json").read_text()) == _dossier(HALF_TIME)
    plan = json.loads((root / "plans" / "casp_second_job.json").read_text())
    assert plan == SECOND_JOB
    PLAN_SCHEMA.validate(plan)


def test_published_plan_schema_is_the_generated_one() -> None:
    """rulekit/schemas/plan.schema.json is what rulekit.what_if.plan_schema gives."""
    assert load_schema("plan") == plan_schema()
    jsonschema.Draft202012Validator.check_schema(load_schema("plan"))
    PLAN_SCHEMA.validate(SECOND_JOB)


def test_a_second_half_time_job_brings_the_date_forward() -> None:
    """Half time since 2021-01-01 (ongoing), and a planned second half-time job from 2023-06-02.

    As of 2023-06-01: 882 days at 1/2 = 441 days. From 2023-06-02 the days weigh 1/2 + 1/2
    = 1, so the 105 days still needed for 546 are reached on 2023-06-02 + 104 days =
    2023-09-14. Without the plan: 2023-12-28 (tests/data/dates, case 10). On the plan's
    last day, 2023-09-30, both experience and internship (not required with D(18) days in
    the field) are met.
    """
    result = whatif(_dossier(HALF_TIME), SECOND_JOB, as_of=date(2023, 6, 1))
    assert not result.before.eligible
    assert result.before.eligible_from == date(2023, 12, 28)
    assert result.on == date(2023, 9, 30)
    assert result.after.eligible
    assert result.first_eligible == date(2023, 9, 14)
    changed = {c.requirement: (c.met_before, c.met_after) for c in result.changes if c.changed}
    assert changed == {"experience": (False, True), "internship": (False, True)}
    assert rulekit.evaluate(
        json.dumps({**_dossier(HALF_TIME), "experience": [
            *_dossier(HALF_TIME)["experience"], *SECOND_JOB["experience"]]}),
        as_of=date(2023, 9, 14),
    ).eligible  # fmt: skip


def test_the_report_in_french_and_english() -> None:
    """The text report: both outcomes, the dates, the plan's items, each requirement."""
    result = whatif(_dossier(HALF_TIME), SECOND_JOB, as_of=date(2023, 6, 1))
    french = render_whatif(result, "fr").splitlines()
    assert french[0] == "Simulation — et si le plan se réalisait\u202f?"
    assert (
        "Au 1er juin 2023, sans le plan\u202f: non recevable en l'état — Parcours national (Cnam)"
        in french
    )
    assert "Au 30 septembre 2023, avec le plan\u202f: recevable — Parcours national (Cnam)" in (
        french
    )
    assert "Avec le plan, recevable à partir du 14 septembre 2023." in french
    assert "  Expérience professionnelle\u202f: exigence non satisfaite → exigence satisfaite" in (
        french
    )
    assert "    Manquait\u202f: 3 mois de stage" in french
    english = render_whatif(result, "en").splitlines()
    assert "With the plan, eligible from 14 September 2023." in english
    assert "  Professional experience: not met → met" in english


def test_a_planned_unit_counts_besides_one_in_progress() -> None:
    """PSY001 in progress in the dossier, passed on 2023-06-30 in the plan.

    PSY001 fills CASP's choice group (« une UE à choisir parmi » PSY001, TET010, UEV010) on
    that day, the plan's latest date; the experience since 2021-09-01 is already met.
    """
    dossier = _dossier("13-casp-unit-in-progress-time-cannot-fix.json")
    plan = {
        "format": "rulekit.plan/1",
        "units": [{"code": "PSY001", "result": "passed", "date": "2023-06-30"}],
    }
    result = whatif(dossier, plan, as_of=date(2023, 3, 1))
    assert result.before.eligible_from is None  # time alone cannot pass a unit
    assert result.after.eligible
    assert result.first_eligible == date(2023, 6, 30)
    choice = next(c for c in result.changes if c.requirement == "choice")
    assert (choice.met_before, choice.met_after) == (False, True)
    assert [m.among for m in choice.missing_before] == [("PSY001", "TET010", "UEV010")]
    assert choice.missing_after == ()


def test_a_planned_bloc_and_the_time_it_leaves() -> None:
    """AIP: three blocs passed 2013-01-10, BC04 planned on 2014-03-01.

    With the plan the dossier is eligible on 2014-03-01 and stays so until the first blocs
    expire: they count through 2018-01-10, but the registration ends first, on 2016-09-07
    (no enrolment).
    """
    dossier = rulekit.load_dossier(
        json.dumps(_dossier("06-aip-bloc-dated-later-eligible-from-that-day.json"))
    )
    dossier = rulekit.Dossier(
        learner=dossier.learner, certification=dossier.certification, blocks=dossier.blocks[:3]
    )
    plan = {
        "format": "rulekit.plan/1",
        "blocks": [{"code": "RNCP12976BC04", "result": "passed", "date": "2014-03-01"}],
    }
    result = whatif(dossier, plan, as_of=date(2014, 1, 15))
    assert result.after.eligible
    assert result.after.eligible_until == date(2016, 9, 7)
    blocks = next(c for c in result.changes if c.requirement == "blocks")
    assert [m.code for m in blocks.missing_before] == ["RNCP12976BC04"]
    text = render_whatif(result, "fr")
    assert "Recevable jusqu'au 7 septembre 2016 (fin de l'enregistrement du titre au RNCP)." in (
        text
    )
    assert "bloc RNCP12976BC04 acquis le 1er mars 2014" in text


def test_the_json_form() -> None:
    """``rulekit.whatif/1``: outcomes, each requirement's change, the plan, both decisions."""
    body = whatif_to_dict(whatif(_dossier(HALF_TIME), SECOND_JOB, as_of=date(2023, 6, 1)))
    assert body["format"] == "rulekit.whatif/1"
    assert (body["as_of"], body["on"], body["first_eligible"]) == (
        "2023-06-01",
        "2023-09-30",
        "2023-09-14",
    )
    assert (body["outcome_before"], body["outcome_after"]) == ("not_eligible", "eligible")
    experience = next(c for c in body["changes"] if c["requirement"] == "experience")
    assert experience["missing_before"] == [{"kind": "experience_months", "months": 3.47}]
    assert experience["missing_after"] == []
    assert body["plan"] == SECOND_JOB
    decision = jsonschema.Draft202012Validator(load_schema("decision"))
    decision.validate(body["before"])
    decision.validate(body["after"])


BAD_PLANS = [
    ({"format": "rulekit.plan/2"}, ["format"]),
    ({"units": []}, ["format"]),
    ({"format": "rulekit.plan/1", "waivers": []}, ["waivers"]),
    ({"format": "rulekit.plan/1", "on": "2023-02-30"}, ["on"]),
    (
        {"format": "rulekit.plan/1", "units": [{"code": "PSY001", "result": "won"}]},
        ["units[0].result"],
    ),
    (
        {
            "format": "rulekit.plan/1",
            "experience": [{"start": "2023-06-02", "end": "2023-01-01", "in_field": True}],
        },
        ["experience[0].end"],
    ),
]


@pytest.mark.parametrize(("plan", "paths"), BAD_PLANS)
def test_bad_plans_name_the_field(plan: dict[str, Any], paths: list[str]) -> None:
    """Each problem with its path in the plan, as for a dossier; the schema refuses it too."""
    with pytest.raises(DossierError) as caught:
        read_plan(json.dumps(plan))
    assert [e.path for e in caught.value.errors] == paths
    if paths != ["experience[0].end"]:  # end before start: said in words by the schema
        assert not PLAN_SCHEMA.is_valid(plan)


def test_a_plan_looked_at_before_the_as_of_date_is_refused() -> None:
    """``on`` before the as-of date would compare a past with a present."""
    with pytest.raises(DossierError) as caught:
        whatif(_dossier(HALF_TIME), {**SECOND_JOB, "on": "2023-05-01"}, as_of=date(2023, 6, 1))
    assert [e.path for e in caught.value.errors] == ["on"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import sys, rulekit.cli; sys.exit(rulekit.cli.main())", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_command_line(tmp_path: Path) -> None:
    """Exit 0 when eligible with the plan, JSON on request, exit 2 naming the plan's field."""
    dossier = tmp_path / "dossier.json"
    dossier.write_text(json.dumps(_dossier(HALF_TIME)), encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(SECOND_JOB), encoding="utf-8")
    done = _cli("whatif", str(dossier), "--plan", str(plan), "--as-of", "2023-06-01")
    assert done.returncode == 0, done.stderr
    assert "Avec le plan, recevable à partir du 14 septembre 2023." in done.stdout
    done = _cli("whatif", str(dossier), "--plan", str(plan), "--as-of", "2023-06-01", "--format",
                "json", "--lang", "en")  # fmt: skip
    assert done.returncode == 0
    assert json.loads(done.stdout)["first_eligible"] == "2023-09-14"
    plan.write_text(json.dumps({"format": "rulekit.plan/1", "on": "tomorrow"}), encoding="utf-8")
    done = _cli("whatif", str(dossier), "--plan", str(plan), "--format", "json")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "rulekit: error: plan: on:" in done.stderr
    assert json.loads(done.stdout)["errors"][0] == {
        "source": "plan",
        "path": "on",
        "message": "'tomorrow' is not a date of the form YYYY-MM-DD",
    }


def test_command_line_evaluate_dates(tmp_path: Path) -> None:
    """``rulekit evaluate --dates`` says the date; without it, the decision is as before."""
    dossier = tmp_path / "dossier.json"
    dossier.write_text(json.dumps(_dossier(HALF_TIME)), encoding="utf-8")
    done = _cli("evaluate", str(dossier), "--as-of", "2023-06-01", "--dates", "--format", "json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["eligible_from"] == "2023-12-28"
    done = _cli("evaluate", str(dossier), "--as-of", "2023-06-01", "--format", "json")
    assert "eligible_from" not in json.loads(done.stdout)


def test_public_name() -> None:
    """``rulekit.whatif`` is the API's."""
    assert rulekit.whatif is whatif
    assert "whatif" in dir(rulekit)


def test_dates_are_not_recorded(tmp_path: Path) -> None:
    """``--dates --record`` is refused (exit 2): replay remakes decisions without dates."""
    dossier = tmp_path / "dossier.json"
    dossier.write_text(json.dumps(_dossier(HALF_TIME)), encoding="utf-8")
    log = tmp_path / "log.db"
    done = _cli("evaluate", str(dossier), "--dates", "--record", "--log", str(log))
    assert done.returncode == 2
    assert "--dates cannot be recorded" in done.stderr
    assert not log.exists()
