"""The command line: exit codes, formats, errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rulekit.cli import main
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "casp_national.json"


def test_evaluate_eligible_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled example is eligible: exit 0 and a French report by default."""
    assert main(["evaluate", str(EXAMPLE), "--as-of", "2023-07-01"]) == 0
    out = capsys.readouterr().out
    assert "RECEVABLE" in out and "Unités obligatoires\u202f: exigence satisfaite" in out


def test_evaluate_not_eligible_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    """Before the last unit is passed the example is not eligible: exit 1, English on request."""
    assert main(["evaluate", str(EXAMPLE), "--as-of", "2023-06-29", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "NOT ELIGIBLE" in out and "UA211G" in out


def test_evaluate_json_is_the_decision(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints the decision JSON, with the replay data."""
    assert main(["evaluate", str(EXAMPLE), "--as-of", "2023-07-01", "--format", "json"]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["format"] == "rulekit.decision/1"
    assert decision["certification"]["ruleset_digest"].startswith("sha256:")
    assert [r["id"] for r in decision["requirements"]] == [
        "units",
        "choice",
        "experience",
        "internship",
    ]


def test_bad_dossier_every_error_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input: exit 2, every error with its path on stderr, no decision, no traceback."""
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "format": "rulekit.dossier/1",
                "learner": {"id": "T"},
                "certification": "casp_36625",
                "experience": [{"start": "2019-01-01", "end": "2018-01-01", "in_field": True}],
                "units": [{"code": "TET099", "result": "passed", "date": "2021-02-29"}],
            }
        )
    )
    assert main(["evaluate", str(path), "--as-of", "2023-07-01", "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert "experience[0].end: 2018-01-01 is before start 2019-01-01" in captured.err
    assert "units[0].date" in captured.err and "Traceback" not in captured.err
    errors = json.loads(captured.out)
    assert errors["format"] == "rulekit.errors/1" and len(errors["errors"]) == 2


def test_unknown_certification_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown certification is named and the installed ones listed."""
    assert main(["evaluate", str(EXAMPLE), "--certification", "nope", "--as-of", "2023-07-01"]) == 2
    err = capsys.readouterr().err
    assert "'nope'" in err and "casp_36625" in err and "aip_12976" in err


def test_unknown_track_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown track is a usage error listing the tracks."""
    assert main(["evaluate", str(EXAMPLE), "--track", "paris", "--as-of", "2023-07-01"]) == 2
    assert "national, nouvelle-aquitaine" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["evaluate"], ["evaluate", "x.json", "--as-of", "2023-02-30"], ["nope"]]
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Usage errors (missing file argument, impossible date, unknown command) exit 2."""
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


def test_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A dossier file that does not exist is an input error, exit 2."""
    assert main(["evaluate", str(tmp_path / "none.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_certifications_listing(capsys: pytest.CaptureFixture[str]) -> None:
    """The listing names id, RNCP code, tracks and plugin distribution with version."""
    assert main(["certifications", "--format", "json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)["certifications"]}
    assert rows["casp_36625"]["tracks"] == ["national", "nouvelle-aquitaine"]
    assert rows["aip_12976"]["rncp"] == "RNCP12976"
    assert rows["aip_12976"]["plugin"] == "rulekit-aip-12976"


def test_certifications_verbose_shows_routes_and_jury(capsys: pytest.CaptureFixture[str]) -> None:
    """--verbose prints each route, open or closed, and the jury composition as worded."""
    assert main(["certifications", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "route vae (validation of prior experience): open since 2009-01-01" in out
    assert "route apprenticeship (apprenticeship): closed" in out
    assert "jury: 1 Président professionnel du métier" in out
    assert "routes: none declared (the sources give none)" in out  # CASP
