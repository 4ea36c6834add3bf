"""rulekit.rncp and ``rulekit import-rncp``: streaming read of the RNCP export, skeletons.

tests/data/rncp_extract.xml holds four real fiches of France Compétences' open-data export
(Licence Ouverte 2.0; see tests/data/README.md).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rulekit.cli import main
from rulekit.declaration import Certification
from rulekit.rncp.reader import RncpError, find_fiche, iter_fiches
from rulekit.rncp.skeleton import render_declaration

DATA = Path(__file__).resolve().parent / "data"
EXTRACT = DATA / "rncp_extract.xml"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "rncp"
SHARED_EXPORT = SHARED / "export_fiches_RNCP_V4_1_extract.xml"


def _module(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<skeleton>", "exec"), namespace)
    return namespace


def test_reads_every_fiche_in_file_order() -> None:
    """Each FICHE of the export is read once, by its own NUMERO_FICHE."""
    numbers = [fiche.number for fiche in iter_fiches(EXTRACT)]
    assert numbers == ["RNCP37674", "RNCP35419", "RNCP40344", "RNCP39568"]


def test_fiche_fields_come_from_the_fiche() -> None:
    """Title, level, NSF, ROME, blocs, dates, former and new certifications of RNCP37674."""
    fiche = find_fiche(EXTRACT, "RNCP37674")
    assert fiche is not None
    assert fiche.title == "Développeur web et web mobile"
    assert fiche.level == 5
    assert [c.code for c in fiche.nsf] == ["326t"]
    assert [c.code for c in fiche.rome] == ["M1805"]
    assert [(b.code, b.label) for b in fiche.blocs] == [
        (
            "RNCP37674BC01",
            "Développer la partie front-end d'une application web ou web mobile sécurisée",
        ),
        (
            "RNCP37674BC02",
            "Développer la partie back-end d'une application web ou web mobile sécurisée",
        ),
    ]
    assert fiche.effective == date(2023, 9, 1)
    assert fiche.registered_until == date(2028, 9, 1)
    assert fiche.award_deadline is None
    assert fiche.former == ("RNCP31114",)
    assert fiche.new == ()


def test_correspondances_do_not_leak_into_the_fiche() -> None:
    """NUMERO_FICHE and bloc codes inside CORRESPONDANCES (the other fiche) are not read."""
    fiche = find_fiche(EXTRACT, "RNCP37674")
    assert fiche is not None
    assert EXTRACT.read_text(encoding="utf-8").count("RNCP31114BC01") > 0
    assert all(b.code.startswith("RNCP37674BC") for b in fiche.blocs)
    assert find_fiche(EXTRACT, "RNCP31114") is None


def test_award_deadline_and_missing_effective_date() -> None:
    """DATE_LIMITE_DELIVRANCE is read; a missing DATE_EFFET stays None, never guessed."""
    fiche = find_fiche(EXTRACT, "RNCP40344")
    assert fiche is not None
    assert fiche.effective is None
    assert fiche.registered_until == date(2028, 3, 28)
    assert fiche.award_deadline == date(2032, 3, 28)
    assert fiche.former == ("RNCP37507",)


def test_skeleton_compiles_to_the_fiche_values() -> None:
    """The printed skeleton runs and declares exactly the fiche's title, level, blocs, dates."""
    fiche = find_fiche(EXTRACT, "RNCP39568")
    assert fiche is not None
    namespace = _module(render_declaration(fiche, "desm_39568"))
    declared: Certification = namespace["DESM_39568"]
    assert declared.id == "desm_39568"
    assert declared.rncp == "RNCP39568"
    assert declared.title == fiche.title
    assert declared.level == 7
    assert [(b.code, b.title) for b in declared.blocs] == [(b.code, b.label) for b in fiche.blocs]
    assert declared.registration is not None
    assert declared.registration.registered_from == date(2024, 9, 1)
    assert declared.registration.registered_until == date(2029, 8, 31)
    assert declared.registration.award_deadline == date(2034, 8, 31)
    assert namespace["FORMER_CERTIFICATIONS"] == ("RNCP34762",)
    assert namespace["NSF_CODES"] == ("310", "312", "313")
    # Nothing the fiche does not state is declared: defaults, with TODO comments.
    assert declared.experience is None
    assert declared.internship is None
    assert declared.validity_years is None
    assert not declared.blocs_required


def test_skeleton_leaves_missing_registration_as_todo() -> None:
    """Without DATE_EFFET no Registration is declared; the dates given are in a TODO comment."""
    fiche = find_fiche(EXTRACT, "RNCP40344")
    assert fiche is not None
    source = render_declaration(fiche)
    assert "registration=Registration(" not in source
    assert "TODO: registration: the fiche has no DATE_EFFET" in source
    assert "DATE_LIMITE_DELIVRANCE 28/03/2032" in source
    assert _module(source)["RNCP40344"].registration is None


def test_skeleton_is_ruff_clean(tmp_path: Path) -> None:
    """Every skeleton of the extract passes ruff check and ruff format with the repo's rules."""
    config = Path(__file__).resolve().parents[1] / "pyproject.toml"
    for fiche in iter_fiches(EXTRACT):
        (tmp_path / f"decl_{fiche.number.lower()}.py").write_text(
            render_declaration(fiche), encoding="utf-8"
        )
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--config", str(config), "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_cli_prints_the_skeleton(capsys: pytest.CaptureFixture[str]) -> None:
    """import-rncp prints the declaration for the fiche asked, with the id given."""
    code = main(["import-rncp", str(EXTRACT), "--fiche", "RNCP37674", "--id", "dwwm_37674"])
    assert code == 0
    out = capsys.readouterr().out
    assert "DWWM_37674 = Certification(" in out
    assert 'id="dwwm_37674"' in out
    assert "registered_from=date(2023, 9, 1),  # DATE_EFFET 01/09/2023" in out


def test_cli_writes_output_file(tmp_path: Path) -> None:
    """--output writes the same skeleton to a file."""
    target = tmp_path / "declaration.py"
    assert main(["import-rncp", str(EXTRACT), "--fiche", "rncp35419", "--output", str(target)]) == 0
    assert "RNCP35419 = Certification(" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fiche", "RNCP99999"], "no fiche RNCP99999 in this export"),
        (["--fiche", "RNCP31114"], "no fiche RNCP31114 in this export"),
    ],
)
def test_cli_fiche_not_found(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fiche absent from the export (even if CORRESPONDANCES names it) exits 2, no output."""
    assert main(["import-rncp", str(EXTRACT), *argv]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_cli_bad_fiche_number_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed --fiche is refused by the parser with exit 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(["import-rncp", str(EXTRACT), "--fiche", "37674x"])
    assert exit_info.value.code == 2
    assert "is not a fiche number" in capsys.readouterr().err


def _export(tmp_path: Path, body: str, prolog: str = "") -> Path:
    path = tmp_path / "export.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}{body}', encoding="utf-8")
    return path


BILLION_LAUGHS = """<!DOCTYPE FICHES [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
"""
EXTERNAL_ENTITY = """<!DOCTYPE FICHES [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
"""


@pytest.mark.parametrize(
    "prolog", [BILLION_LAUGHS, EXTERNAL_ENTITY, '<!DOCTYPE FICHES SYSTEM "x.dtd">\n']
)
def test_hostile_xml_is_refused(tmp_path: Path, prolog: str) -> None:
    """DTDs, entity declarations and external entities are refused before any expansion."""
    path = _export(
        tmp_path,
        "<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>&c;</INTITULE>"
        "</FICHE></FICHES>",
        prolog,
    )
    with pytest.raises(RncpError, match="refused"):
        find_fiche(path, "RNCP1")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<FICHES><FICHE><NUMERO_FICHE>RNCP1</FICHE></FICHES>", "not well-formed XML"),
        ("<EXPORT/>", "root element is EXPORT, expected FICHES"),
        ("<FICHES><VERSION_FLUX>3.0</VERSION_FLUX></FICHES>", "VERSION_FLUX '3.0'"),
        (
            "<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>"
            "<DATE_EFFET>31/02/2023</DATE_EFFET></FICHE></FICHES>",
            "RNCP1 DATE_EFFET: '31/02/2023' is not a real calendar date",
        ),
        (
            "<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>"
            "<DATE_EFFET>2023-09-01</DATE_EFFET></FICHE></FICHES>",
            "RNCP1 DATE_EFFET: '2023-09-01' is not a date dd/mm/yyyy",
        ),
    ],
)
def test_bad_export_names_the_problem(tmp_path: Path, body: str, message: str) -> None:
    """Malformed XML, a foreign root, another format version, a bad date: a clear error."""
    with pytest.raises(RncpError, match=message.replace("(", r"\(")):
        find_fiche(_export(tmp_path, body), "RNCP1")


def test_cli_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An export that cannot be read: exit 2, the path and the reason, no traceback."""
    assert main(["import-rncp", str(tmp_path / "absent.xml"), "--fiche", "RNCP1"]) == 2
    err = capsys.readouterr().err
    assert "absent.xml: cannot read" in err
    assert "Traceback" not in err


@pytest.mark.skipif(
    not SHARED_EXPORT.exists(),
    reason="the shared RNCP extract (../shared/data/rncp/) is not beside this clone",
)
def test_shared_extract_reads_every_fiche() -> None:
    """Every fiche of the shared extract is read and gives a skeleton that compiles."""
    fiches = list(iter_fiches(SHARED_EXPORT))
    assert len(fiches) == 12
    assert len({fiche.number for fiche in fiches}) == 12
    for fiche in fiches:
        declared = _module(render_declaration(fiche))[fiche.number]
        assert [b.code for b in declared.blocs] == [b.code for b in fiche.blocs]
        assert all(b.code.startswith(f"{fiche.number}BC") for b in fiche.blocs)
