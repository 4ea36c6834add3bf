"""Lawful juries: the conformance cases of specs/jury/, the jury file, the command line.

Each case under specs/jury/<certification>/ is a jury file (``NN-name.json``, which
``rulekit jury check`` reads as it is) and beside it what the specs expect of it
(``NN-name.expect.json``: lawful or not, the findings' codes, seats and members); replaying
it checks the jury against the installed declaration.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rulekit.jury
from rulekit.cli import main
from rulekit.declaration import JuryRole, JurySeat, Route, TradeRelation
from rulekit.errors import UnknownCertification
from rulekit.french import day
from rulekit.jury import JuryCheckError, JuryFileError, check, jury_from_dict, load_jury
from rulekit.jury.words import NBSP, NNBSP
from rulekit.registry import Registry, default_registry
from rulekit.schemas import load_schema
from tests.conftest import ROOT, SPECS

CASES = sorted((SPECS / "jury").rglob("*.expect.json"))
SCHEMA = jsonschema.Draft202012Validator(load_schema("jury"))


def _case(path: Path) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return value


def _jury_file(case_path: Path) -> dict[str, Any]:
    return _case(case_path.with_name(_case(case_path)["jury"]))


def _found(result: rulekit.jury.JuryCheck) -> list[dict[str, Any]]:
    found = []
    for finding in result.findings:
        item: dict[str, Any] = {"code": finding.code}
        if finding.seat is not None:
            item["seat"] = finding.seat
        if finding.member is not None:
            item["member"] = finding.member
        found.append(item)
    return found


def _aip(name: str) -> dict[str, Any]:
    return _case(SPECS / "jury" / "aip_12976" / f"{name}.json")


def test_jury_schema_is_valid_json_schema() -> None:
    """The published jury schema is valid JSON Schema 2020-12."""
    jsonschema.Draft202012Validator.check_schema(load_schema("jury"))


def test_there_are_cases_for_aip() -> None:
    """The seed's composition and at least three broken juries are pinned."""
    names = [path.name for path in CASES if path.parent.name == "aip_12976"]
    assert len(names) >= 4
    broken = [p for p in CASES if not _case(p)["expect"]["lawful"]]
    assert len(broken) >= 3


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_case_conforms(path: Path, installed: Registry) -> None:
    """The check's verdict and findings are the ones the case expects."""
    case = _case(path)
    assert case["name"].startswith(path.parent.name.split("_")[0] + "-jury-"), case["name"]
    assert f"{case['jury'][:-5]}.expect.json" == path.name
    jury = _jury_file(path)
    assert jury["certification"] == path.parent.name
    result = check(jury_from_dict(jury), registry=installed)
    expect = case["expect"]
    assert result.lawful is expect["lawful"]
    assert _found(result) == expect["findings"]
    if "routes" in expect:
        assert [route.value for route in result.routes] == expect["routes"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_case_links_to_a_spec_section_and_matches_the_schema(path: Path) -> None:
    """Each case names an existing section of its spec; its jury file fits the schema."""
    case = _case(path)
    document, _, anchor = case["rule"].partition("#")
    text = (ROOT / document).read_text(encoding="utf-8")
    headings = {
        line.lstrip("#").strip().lower().replace(" ", "-")
        for line in text.splitlines()
        if line.startswith("#")
    }
    assert anchor in headings, case["rule"]
    jury = _jury_file(path)
    SCHEMA.validate(jury)
    for member in jury["members"]:
        assert "fictitious" in member.get("name", "fictitious").lower()


def test_findings_are_named_in_french_and_english(installed: Registry) -> None:
    """Each shortfall is one sentence per language, in French typography."""
    result = check(jury_from_dict(_aip("04-teaching-member-voting")), registry=installed)
    (finding,) = result.findings
    assert finding.message.fr == (
        f"Le membre n°{NBSP}3 du jury (Fictitious Formatrice, équipe pédagogique) a voix "
        "délibérative, alors que la fiche ne lui donne qu'une voix consultative."
    )
    assert finding.message.en.startswith("Jury member 3 (Fictitious Formatrice, teaching team)")
    summary = result.summary()
    assert summary.fr.endswith(f"formation continue){NNBSP}: 1 écart.")
    assert summary.en.endswith("(route: continuing training): 1 shortfall.")
    short = _aip("05-too-few-professionals")
    (few,) = check(jury_from_dict(short), registry=installed).findings
    assert few.message.fr == (
        "Il faut au moins 2 membres (salarié, employeur ou ancien stagiaire), "
        "le jury n'en compte qu'un."
    )
    assert few.message.en == (
        "At least 2 members (employee, employer or former trainee) are required; "
        "the jury has only 1."
    )


def test_french_dates() -> None:
    """« 1er janvier 2009 », « 15 juin 2010 »."""
    assert day(date(2009, 1, 1), "fr") == "1er janvier 2009"
    assert day(date(2010, 6, 15), "fr") == "15 juin 2010"


def _seed_jury() -> dict[str, Any]:
    return _aip("01-seed-composition")


def test_bad_jury_file_names_every_problem_with_its_path() -> None:
    """Unknown fields, bad enums, missing fields, bad dates: all reported, none crashes."""
    bad = {
        "format": "rulekit.jury/2",
        "date": "2010-02-30",
        "route": "evening",
        "extra": 1,
        "members": [
            {"role": "chair", "voting": "yes", "relation": "friend", "note": ""},
            "nobody",
            {"role": "member", "relation": "employee", "name": " "},
        ],
    }
    with pytest.raises(JuryFileError) as raised:
        jury_from_dict(bad)
    paths = [error.path for error in raised.value.errors]
    assert paths == [
        "extra",
        "format",
        "date",
        "route",
        "members[0].note",
        "members[0].role",
        "members[0].relation",
        "members[0].voting",
        "members[1]",
        "members[2].voting",
        "members[2].name",
    ]
    shapes: list[Any] = [None, [], "x", {"format": "rulekit.jury/1", "date": "2010-01-01"}]
    for value in shapes:
        with pytest.raises(JuryFileError):
            jury_from_dict(value)
    for text in ("{", '{"a": 1, "a": 2}', '{"x": NaN}', b"\xff"):
        with pytest.raises(JuryFileError) as raised:
            load_jury(text)
        assert raised.value.errors[0].path == "$"


def test_bad_jury_files_are_also_refused_by_the_schema() -> None:
    """What the validator refuses for its shape, the published schema refuses too."""
    for broken in (
        {**_seed_jury(), "members": []},
        {**_seed_jury(), "route": "evening"},
        {**_seed_jury(), "members": [{"role": "member", "voting": True}]},
        {**_seed_jury(), "extra": True},
    ):
        assert not SCHEMA.is_valid(broken)
        with pytest.raises(JuryFileError):
            jury_from_dict(broken)


def test_certification_and_route_must_agree(installed: Registry) -> None:
    """The caller and the file may not name different certifications or routes."""
    jury = jury_from_dict(_seed_jury())
    with pytest.raises(JuryFileError) as raised:
        check(jury, "casp_36625", registry=installed)
    assert raised.value.errors[0].path == "certification"
    with pytest.raises(JuryFileError) as raised:
        check(jury, route="vae", registry=installed)
    assert raised.value.errors[0].path == "route"
    anonymous = jury_from_dict({k: v for k, v in _seed_jury().items() if k != "certification"})
    with pytest.raises(JuryFileError):
        check(anonymous, registry=installed)
    assert check(anonymous, "aip_12976", Route.CONTINUING, registry=installed).lawful
    assert check(anonymous, "aip_12976", "continuing", registry=installed).lawful
    with pytest.raises(JuryFileError) as raised:
        check(anonymous, "aip_12976", "evening", registry=installed)
    assert str(raised.value.errors[0]).startswith("route: 'evening' is not one of initial,")
    with pytest.raises(UnknownCertification):
        check(anonymous, "nope_00000", registry=installed)


def test_no_composition_to_check_against(installed: Registry) -> None:
    """CASP declares no route: the check refuses rather than calling any jury lawful."""
    jury = jury_from_dict({k: v for k, v in _seed_jury().items() if k != "certification"})
    with pytest.raises(JuryCheckError, match="declares no access route"):
        check(jury, "casp_36625", route=None, registry=installed)


def test_compare_uses_the_first_fitting_seat_and_every_bound() -> None:
    """A member holds the first seat that fits; minimum, maximum and voting each apply."""
    seats = (
        JurySeat(JuryRole.MEMBER, (TradeRelation.EMPLOYEE,), minimum=1, maximum=1, voting=True),
        JurySeat(JuryRole.MEMBER, (TradeRelation.EMPLOYEE, TradeRelation.OTHER), minimum=0),
    )
    members = [
        {"role": "member", "voting": True, "relation": "employee"},
        {"role": "member", "voting": False, "relation": "employee"},
        {"role": "member", "voting": False, "relation": "other"},
    ]
    jury = jury_from_dict({"format": "rulekit.jury/1", "date": "2020-01-01", "members": members})
    codes = [(f.code, f.seat, f.member) for f in rulekit.jury.compare(jury, seats)]
    assert codes == [("seat_excess", 0, None), ("voting_mismatch", 0, 2)]


def test_output_is_deterministic(installed: Registry) -> None:
    """The same jury gives the same JSON bytes, whatever the member order of the seats."""
    jury = jury_from_dict(_seed_jury())
    first = json.dumps(check(jury, registry=installed).to_dict(), sort_keys=True)
    again = json.dumps(check(jury, registry=installed).to_dict(), sort_keys=True)
    assert first == again


def _write(tmp_path: Path, value: Any) -> str:
    path = tmp_path / "jury.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    return str(path)


def test_cli_reads_case_files_as_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    """Each case's jury file runs as is; the exit code is the verdict."""
    for path in CASES:
        lawful = _case(path)["expect"]["lawful"]
        jury = path.with_name(_case(path)["jury"])
        assert main(["jury", "check", str(jury), "--format", "json"]) == (0 if lawful else 1)
        assert json.loads(capsys.readouterr().out)["lawful"] is lawful


def test_cli_lawful_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A lawful jury: exit 0, the verdict first."""
    assert main(["jury", "check", _write(tmp_path, _seed_jury())]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Jury conforme à la composition prévue par la fiche")
    assert main(["jury", "check", _write(tmp_path, _seed_jury()), "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("The jury matches the composition")


def test_cli_shortfalls_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Shortfalls: exit 1, each named; JSON carries the codes."""
    jury = _seed_jury()
    jury["members"] = jury["members"][:1]
    assert main(["jury", "check", _write(tmp_path, jury), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "rulekit.jury-check/1"
    assert report["lawful"] is False
    assert [f["code"] for f in report["findings"]] == ["seat_short"] * 3
    assert main(["jury", "check", _write(tmp_path, jury), "--route", "continuing"]) == 1
    out = capsys.readouterr().out
    assert "vice-président (salarié ou employeur), le jury n'en compte aucun." in out


def test_cli_bad_input_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input: exit 2, every error with its path, no traceback; JSON errors too."""
    bad = {"format": "rulekit.jury/1", "members": [{"role": "chair"}]}
    assert main(["jury", "check", _write(tmp_path, bad), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert "members[0].role: 'chair' is not one of" in captured.err
    assert "Traceback" not in captured.err
    errors = json.loads(captured.out)
    assert errors["format"] == "rulekit.errors/1"
    assert {e["path"] for e in errors["errors"]} >= {"date", "members[0].role"}
    assert main(["jury", "check", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["jury", "check", _write(tmp_path, _seed_jury()), "--route", "vae"]) == 2
    assert "route: the file says 'continuing'" in capsys.readouterr().err
    casp = {**_seed_jury(), "certification": "casp_36625"}
    assert main(["jury", "check", _write(tmp_path, casp)]) == 2
    assert "declares no access route" in capsys.readouterr().err


@settings(max_examples=60, deadline=None)
@given(st.permutations(range(6)), st.lists(st.sampled_from(range(6)), max_size=3))
def test_verdict_does_not_depend_on_member_order(order: list[int], dropped: list[int]) -> None:
    """Shuffling the members (some of them dropped) changes positions, never the verdict."""
    seed = _seed_jury()
    members = [*seed["members"], {"role": "member", "voting": True, "relation": "other"}]
    kept = [members[i] for i in order if i not in dropped]
    if not kept:
        return
    shuffled = jury_from_dict({**seed, "members": kept})
    ordered = jury_from_dict({**seed, "members": sorted(kept, key=members.index)})
    registry = default_registry()
    first, second = check(shuffled, registry=registry), check(ordered, registry=registry)
    assert first.lawful is second.lawful
    assert first.lawful is (set(dropped) == {5})  # lawful iff only the "other" member left
    assert sorted((f.code, f.seat) for f in first.findings) == sorted(
        (f.code, f.seat) for f in second.findings
    )
