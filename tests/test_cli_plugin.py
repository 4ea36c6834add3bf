"""``rulekit plugin check``: exit codes, text and JSON output, on installed and fake plugins."""

from __future__ import annotations

import json

import pytest

from rulekit.cli import main
from rulekit.declaration import Certification
from rulekit.kit.check import check_plugins, describe
from rulekit.registry import PluginInfo, PluginProblem
from tests.plugins import grade_rule
from tests.plugins.kit_declarations import CLEAN, CUSTOM, FictitiousPlugin, certification


def _plugin(name: str, *declared: Certification) -> PluginInfo:
    return PluginInfo(name, f"rulekit-{name}", "0.0.1", FictitiousPlugin(*declared))


def test_installed_plugins_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    """CASP and AIP as installed: exit 0, one witness line per track, 'clean'."""
    assert main(["plugin", "check"]) == 0
    out = capsys.readouterr().out
    assert "casp_36625 v1 track national: witness eligible as of" in out
    assert "aip_12976 v1 track default: witness eligible as of 2004-06-25 with 4 blocs" in out
    assert out.rstrip().endswith("clean: no finding, every track has a witness")


def test_check_one_certification_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """With an id and --format json: only that certification, its witness dossier included."""
    assert main(["plugin", "check", "aip_12976", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "rulekit.check/1"
    assert report["clean"] is True
    assert [w["certification"] for w in report["witnesses"]] == ["aip_12976"]
    dossier = report["witnesses"][0]["dossier"]
    assert [b["code"] for b in dossier["blocks"]] == [
        "RNCP12976BC01",
        "RNCP12976BC02",
        "RNCP12976BC03",
        "RNCP12976BC04",
    ]


def test_unknown_certification_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An id no plugin declares: exit 2, and the installed ids listed."""
    assert main(["plugin", "check", "nope_1"]) == 2
    err = capsys.readouterr().err
    assert "unknown certification 'nope_1'" in err
    assert "casp_36625" in err


def test_no_witness_option_skips_witnesses(capsys: pytest.CaptureFixture[str]) -> None:
    """--no-witness lints only."""
    assert main(["plugin", "check", "--no-witness", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["witnesses"] == []


def test_findings_make_the_report_unclean() -> None:
    """A declaration with a mistake yields its finding and an unclean report."""
    report = check_plugins([_plugin("fict", certification(level=0))])
    assert [f.code for f in report.findings] == ["malformed-level"]
    assert not report.clean


def test_refused_declaration_is_still_linted() -> None:
    """An unknown rule kind makes the registry refuse it; the lint still sees it."""
    report = check_plugins([_plugin("fict", CUSTOM, certification(id="fict_99004", level=0))])
    codes = [f.code for f in report.findings]
    assert codes == ["plugin-problem", "malformed-level"]
    assert "unknown kind 'fict_grade'" in report.findings[0].message


def test_duplicate_id_across_two_plugins() -> None:
    """The same id in two distributions: each one's problem (naming both) and a duplicate-id."""
    report = check_plugins([_plugin("one", CLEAN), _plugin("two", CLEAN)])
    codes = [f.code for f in report.findings]
    assert codes == ["plugin-problem", "plugin-problem", "duplicate-id"]
    assert [f.where for f in report.findings[:2]] == ["one", "two"]
    for finding in report.findings[:2]:
        assert "'fict_99001' is unavailable: declared by rulekit-one" in finding.message
        assert "and rulekit-two" in finding.message


def test_undetermined_witness_is_not_a_finding() -> None:
    """A plugin rule type the builder cannot satisfy: reported, but the report stays clean."""
    plugins = [_plugin("fict", CUSTOM), PluginInfo("grade", "rulekit-grade", "0.0.1", grade_rule)]
    report = check_plugins(plugins)
    assert report.findings == ()
    assert report.clean
    assert "no eligible dossier found (undetermined)" in describe(report.witnesses[0])


def test_impossible_track_fails_the_check() -> None:
    """A track no dossier can satisfy makes the report unclean and says which requirement."""
    report = check_plugins([_plugin("fict", certification(validity_years=-1))])
    assert not report.clean
    text = describe(report.witnesses[0])
    assert "no eligible dossier exists" in text
    assert "units can never be met" in text


def test_import_problems_are_findings() -> None:
    """A plugin that failed to import (from discovery) is reported as a finding."""
    problem = PluginProblem("gone", "rulekit-gone", "0.0.1", "import failed: ModuleNotFoundError")
    report = check_plugins([], [problem])
    assert [f.code for f in report.findings] == ["plugin-problem"]
