"""``rulekit batch`` and ``rulekit.evaluate_many``: ordered results, bad dossiers as rows.

The dossiers are the bundled example and the conformance cases' dossiers (fictitious),
with the learner id varied where several copies are needed.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rulekit
from rulekit.batch import Evaluated, Failed, Item, Options, _chunks, decide, read_inputs, run
from rulekit.cli import main
from rulekit.cli.batch import Render, _line_head, summary
from rulekit.dossier_io import MAX_BYTES
from rulekit.errors import InputError
from rulekit.log.recording import RECORD_GROUP
from rulekit.session import (
    NNBSP,
    CsvTable,
    Flag,
    MissingItem,
    Row,
    Session,
    csv_cells,
    csv_line,
    line_of,
    long_date,
    missing_text,
    number,
    percent,
    row,
    write_report,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "casp_national.json"
AS_OF = "2023-07-01"


def _case_dossiers() -> list[dict[str, Any]]:
    found = []
    for path in sorted(ROOT.glob("specs/conformance/*/*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(case.get("dossier"), dict):
            found.append(case["dossier"])
    return found


@pytest.fixture(scope="module")
def promo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session folder: two dossier files, a JSON Lines file with a blank and a bad line."""
    where = tmp_path_factory.mktemp("promo")
    (where / "a.json").write_bytes(EXAMPLE.read_bytes())
    (where / "b.json").write_text('{"format": "rulekit.dossier/1"}', encoding="utf-8")
    (where / "notes.txt").write_text("not a dossier", encoding="utf-8")
    lines = [json.dumps(d) for d in _case_dossiers()[:6]]
    lines.insert(2, "")
    lines.insert(4, "{not json")
    (where / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return where


def test_inputs_are_read_in_order_with_their_sources(promo: Path) -> None:
    """Directory files sorted, JSON Lines by line number (blank lines skipped), notes ignored."""
    items = list(read_inputs([promo]))
    assert [i.index for i in items] == list(range(len(items)))
    sources = [i.source for i in items]
    assert sources[:2] == [str(promo / "a.json"), str(promo / "b.json")]
    assert sources[2:] == [f"{promo / 'more.jsonl'}:{n}" for n in (1, 2, 4, 5, 6, 7, 8)]


def test_evaluate_many_yields_decisions_and_errors_with_their_source(promo: Path) -> None:
    """A bad dossier is a Failed with every error path; the batch goes on after it."""
    results = list(rulekit.evaluate_many([promo], as_of=date(2023, 7, 1)))
    assert [r.index for r in results] == list(range(9))
    assert isinstance(results[0], Evaluated)
    assert results[0].decision.eligible
    bad = results[1]
    assert isinstance(bad, Failed)
    assert bad.source == str(promo / "b.json")
    assert {e.path for e in bad.errors} == {"learner"}
    broken = [r for r in results if isinstance(r, Failed) and str(r.source).endswith(":5")]
    assert len(broken) == 1
    assert len([r for r in results if isinstance(r, Evaluated)]) == 7


def test_evaluate_many_takes_dossiers_and_reports_unknown_names() -> None:
    """In-memory dossiers have no source; an unknown certification is a row, not a stop."""
    dossier = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    other = dict(dossier, certification="nope_00000")
    results = list(
        rulekit.evaluate_many([dossier, other, EXAMPLE.read_bytes()], as_of=date(2023, 7, 1))
    )
    assert [(type(r).__name__, r.index, r.source) for r in results] == [
        ("Evaluated", 0, None),
        ("Failed", 1, None),
        ("Evaluated", 2, None),
    ]
    failed = results[1]
    assert isinstance(failed, Failed)
    assert failed.errors[0].path == "certification"
    assert "nope_00000" in failed.errors[0].message
    track = next(rulekit.evaluate_many([dossier], track="nowhere", as_of=date(2023, 7, 1)))
    assert isinstance(track, Failed) and track.errors[0].path == "track"


def test_two_workers_give_the_same_bytes_in_the_same_order() -> None:
    """Worker processes change nothing but speed: same lines, same order."""
    dossiers = _case_dossiers() * 3
    items = [Item(i, f"#{i}", json.dumps(d)) for i, d in enumerate(dossiers)]
    options = Options(as_of=date(2023, 7, 1))
    alone = [r.line for r in run(items, options, row, workers=1)]
    together = [r.line for r in run(items, options, row, workers=2, chunk=5)]
    assert alone == together
    assert [json.loads(line)["index"] for line in together] == list(range(len(dossiers)))


def test_workers_refuse_nonsense() -> None:
    """No pool of zero processes; a registry does not cross processes."""
    with pytest.raises(ValueError, match="at least 1"):
        list(run([], Options(as_of=date(2023, 7, 1)), row, workers=0))
    registry = rulekit.registry.default_registry()
    with pytest.raises(ValueError, match="workers=1"):
        list(rulekit.evaluate_many([EXAMPLE], registry=registry, workers=2))


def _run(tmp: Path, *extra: str) -> int:
    return main(["batch", "--as-of", AS_OF, "--quiet", *extra])


def test_cli_writes_lines_csv_report_and_exits_0(
    promo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ineligible and invalid dossiers are rows: the batch ran, exit 0."""
    out, table, report = tmp_path / "o.jsonl", tmp_path / "t.csv", tmp_path / "r.html"
    code = _run(
        tmp_path, str(promo), "--out", str(out), "--csv", str(table), "--report", str(report)
    )
    assert code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["index"] for line in lines] == list(range(9))
    assert lines[0]["decision"]["outcome"] == "eligible"
    assert lines[0]["decision"] == json.loads(rulekit.decision_to_json(
        rulekit.evaluate(EXAMPLE.read_bytes(), as_of=date(2023, 7, 1))
    ))  # fmt: skip
    assert lines[1]["errors"][0]["path"] == "learner"
    raw = table.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == [
        "N°", "Source", "Apprenant", "Nom", "Certification", "Parcours", "Résultat"
    ]  # fmt: skip
    assert rows[1][2:7] == [
        "A123", "Camille Exemple (fictitious)", "casp_36625", "national", "Recevable"
    ]  # fmt: skip
    assert rows[2][6] == "Dossier invalide" and rows[2][9].startswith("learner:")
    html = report.read_text(encoding="utf-8")
    assert "Contrôle de recevabilité" in html and "1er juillet 2023" in html
    assert "Content-Security-Policy" in html and "@media print" in html
    assert capsys.readouterr().err == ""


def test_cli_missing_items_carry_titles(tmp_path: Path) -> None:
    """A missing bloc is shown with its code and the declaration's title."""
    cases = [d for d in _case_dossiers() if d.get("learner", {}).get("id") == "AIP-02"]
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(cases[0]) + "\n", encoding="utf-8")
    table = tmp_path / "t.csv"
    assert main(["batch", "--as-of", "2014-01-15", "--quiet", str(source), "--csv", str(table),
                 "--out", str(tmp_path / "o.jsonl"), "--lang", "en"]) == 0  # fmt: skip
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][6] == "Outcome"
    assert rows[1][6] == "Not eligible as it stands"
    assert rows[1][7].startswith("RNCP12976BC04 ") and len(rows[1][7]) > len("RNCP12976BC04 ")


def test_cli_records_every_decision_and_links_pages(promo: Path, tmp_path: Path) -> None:
    """--record appends the evaluated dossiers; the report links each one's page."""
    log, report = tmp_path / "d.db", tmp_path / "session.html"
    code = _run(tmp_path, str(promo), "--out", str(tmp_path / "o.jsonl"), "--record",
                "--log", str(log), "--report", str(report))  # fmt: skip
    assert code == 0
    with sqlite3.connect(log) as db:
        assert db.execute("SELECT count(*) FROM rulekit_log").fetchone() == (7,)
    pages = sorted(p.name for p in (tmp_path / "session_files").iterdir())
    assert len(pages) == 7 and pages[0] == "decision-000001.html"
    html = report.read_text(encoding="utf-8")
    assert 'href="session_files/decision-000001.html"' in html
    assert 'href="session_files/decision-000002.html"' not in html  # b.json is invalid
    assert main(["log", "verify", "--log", str(log)]) == 0


def test_cli_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--log without --record, or an output that cannot be written: exit 2, no traceback."""
    assert _run(tmp_path, str(EXAMPLE), "--log", str(tmp_path / "d.db")) == 2
    assert "need --record" in capsys.readouterr().err
    assert _run(tmp_path, str(EXAMPLE), "--out", str(tmp_path / "no" / "o.jsonl")) == 2
    assert "rulekit: error:" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["batch", "--workers", "0", str(EXAMPLE)])
    assert exit_.value.code == 2


def test_report_is_deterministic_and_streams_rows(tmp_path: Path) -> None:
    """Same rows, same bytes; the report holds every row in order."""
    dossiers = _case_dossiers()
    items = [Item(i, f"in.jsonl:{i + 1}", json.dumps(d)) for i, d in enumerate(dossiers)]
    outputs = []
    for name in ("a.html", "b.html"):
        with Session("fr") as session:
            for each in run(items, Options(as_of=date(2023, 7, 1)), row):
                session.add(each)
            write_report(tmp_path / name, session, pages=False)
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    html = outputs[0].decode("utf-8")
    assert html.count('<tr id="row-') == len(dossiers)
    assert f"in.jsonl:{len(dossiers)}" in html or f'id="row-{len(dossiers)}"' in html


def test_french_forms() -> None:
    """« 1er juillet 2023 », decimal comma, narrow no-break space before « % » and « : »."""
    assert long_date("2023-07-01", "fr") == "1er juillet 2023"
    assert long_date("2023-07-02", "fr") == "2 juillet 2023"
    assert long_date("2023-07-01", "en") == "1 July 2023"
    assert number(17.5, "fr") == "17,5" and number(17.5, "en") == "17.5"
    assert percent(1, 8, "fr") == f"12,5{NNBSP}%" and percent(1, 8, "en") == "12.5%"
    assert summary({"eligible": 1, "bad_input": 2}, 1.25, "fr") == (
        "rulekit : 3 dossiers en 1,2 s : 1 recevable, 0 non recevable, 2 invalides"
    )
    assert summary({"eligible": 1}, 0.5, "en") == (
        "rulekit: 1 dossier in 0.5 s: 1 eligible, 0 not eligible, 0 invalid"
    )


@pytest.mark.parametrize(
    ("item", "fr", "en"),
    [
        (MissingItem("unit", code="UE1", title="Droit"), "UE1 Droit", "UE1 Droit"),
        (
            MissingItem("block", code="B1", reason="expired", date="2020-03-01"),
            "B1 (validité échue le 1er mars 2020)",
            "B1 (no longer valid since 1 March 2020)",
        ),
        (
            MissingItem("choice", count=2, among=("A", "B", "C")),
            "2 UE à choisir parmi A, B, C",
            "2 to choose among A, B, C",
        ),
        (MissingItem("ects", count=1), "1 crédit ECTS", "1 ECTS credit"),
        (MissingItem("ects", count=6), "6 crédits ECTS", "6 ECTS credits"),
        (
            MissingItem("experience_months", months=3.25),
            "3,25 mois d'expérience",
            "3.25 months of experience",
        ),
        (
            MissingItem("registration", reason="registration_ended", date="2016-09-07"),
            "enregistrement au RNCP terminé le 7 septembre 2016",
            "RNCP registration ended on 7 September 2016",
        ),
    ],
)
def test_missing_items_in_words(item: MissingItem, fr: str, en: str) -> None:
    """Every kind of missing item reads as words in both languages."""
    assert missing_text(item, "fr") == fr
    assert missing_text(item, "en") == en


def test_flags_are_shown_when_present(tmp_path: Path) -> None:
    """A decision's flags appear in the CSV and the report in the chosen language."""
    flagged = Row(
        index=0,
        source="x.json",
        outcome="eligible",
        line="{}",
        learner="L1",
        flags=(Flag("late", "Pièce arrivée après la date limite", "Document arrived late"),),
        missing=(MissingItem("unit", code="UE1"),),
    )
    bad = Row(1, "y.json", "bad_input", "{}", errors=(InputError("units[0].date", "bad date"),))
    table_path = tmp_path / "t.csv"
    table = CsvTable(table_path, "fr")
    table.add(flagged)
    table.add(bad)
    table.close()
    text = table_path.read_text(encoding="utf-8-sig")
    assert "Pièce arrivée après la date limite" in text
    assert "units[0].date: bad date" in text
    with Session("en") as session:
        session.add(flagged)
        session.add(bad)
        write_report(tmp_path / "r.html", session, pages=False)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Document arrived late" in html and "units[0].date" in html
    assert "Eligibility check" in html


def _readme_block(title: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {title}\n", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()


def test_readme_clerk_journey_runs(tmp_path: Path) -> None:
    """The README's clerk's journey, pasted as is: 200 dossiers, CSV, report, verified log."""
    import os  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "casp_national.json").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))  # the README's .venv/bin/rulekit
    script = "\n".join(_readme_block("A jury session: many dossiers at once"))
    result = subprocess.run(
        ["bash", "-euc", script], cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "PATH": f"{Path(sys.prefix) / 'bin'}:{os.environ['PATH']}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "200 dossiers" in result.stderr and "20 non recevables" in result.stderr
    rows = list(
        csv.reader(io.StringIO((tmp_path / "jury.csv").read_text("utf-8-sig")), delimiter=";")
    )
    assert len(rows) == 201
    assert len(list((tmp_path / "session_files").iterdir())) == 200
    assert "ok: 200 records" in result.stdout


def test_report_folder_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A report in a missing folder is refused before any dossier is evaluated."""
    assert _run(tmp_path, str(EXAMPLE), "--report", str(tmp_path / "no" / "r.html")) == 2
    assert "--report: no folder" in capsys.readouterr().err


def test_stdin_is_json_lines() -> None:
    """``-`` reads JSON Lines from standard input; sources are ``-:LINE``, line ends dropped."""
    one = EXAMPLE.read_bytes().replace(b"\n", b"")
    items = list(read_inputs([Path("-")], stdin=io.BytesIO(one + b"\r\n\n" + one + b"\n")))
    assert [(i.index, i.source, i.data) for i in items] == [(0, "-:1", one), (1, "-:3", one)]


def test_missing_input_is_a_row(tmp_path: Path) -> None:
    """A file that does not exist is a bad row naming it; the next input is still read."""
    results = list(rulekit.evaluate_many([tmp_path / "nope.json", EXAMPLE], as_of=date(2023, 7, 1)))
    first = results[0]
    assert isinstance(first, Failed)
    assert first.errors[0].path == "$" and "nope.json: cannot read" in first.errors[0].message
    assert isinstance(results[1], Evaluated)


def test_cli_signs_every_record(tmp_path: Path) -> None:
    """With a signing key, every record of the batch is signed and verifies."""
    key, public, log = tmp_path / "k.pem", tmp_path / "k.pub", tmp_path / "d.db"
    assert main(["log", "keygen", str(key), str(public)]) == 0
    code = _run(tmp_path, str(EXAMPLE), str(EXAMPLE), "--out", str(tmp_path / "o.jsonl"),
                "--record", "--log", str(log), "--signing-key", str(key))  # fmt: skip
    assert code == 0
    assert main(["log", "verify", "--log", str(log), "--public-key", str(public)]) == 0
    with sqlite3.connect(log) as db:
        signatures = [row[0] for row in db.execute("SELECT signature FROM rulekit_log")]
    assert len(signatures) == 2 and all(s and s.startswith("ed25519:") for s in signatures)


@pytest.mark.parametrize(
    ("jury", "lawful"),
    [("01-seed-composition.json", True), ("03-missing-vice-president.json", False)],
)
def test_jury_check_heads_the_session_report(
    promo: Path, tmp_path: Path, jury: str, lawful: bool
) -> None:
    """--jury: the session report opens with the jury check, lawful or with its shortfalls."""
    report = tmp_path / "r.html"
    jury_file = ROOT / "specs" / "jury" / "aip_12976" / jury
    assert (
        _run(
            tmp_path,
            str(promo),
            "--out",
            str(tmp_path / "o.jsonl"),
            "--report",
            str(report),
            "--jury",
            str(jury_file),
        )
        == 0
    )
    html = report.read_text(encoding="utf-8")
    assert "Composition du jury" in html
    assert html.index("Composition du jury") < html.index("Dossiers")
    assert ('class="lawful"' in html) == lawful
    assert ('class="unlawful"' in html) == (not lawful)


def test_a_bad_jury_file_is_a_usage_error(
    promo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A jury file that is not one exits 2 with the reason, before any report is written."""
    bad = tmp_path / "jury.json"
    bad.write_text('{"format": "rulekit.jury/1"}', encoding="utf-8")
    report = tmp_path / "r.html"
    code = _run(
        tmp_path,
        str(promo),
        "--out",
        str(tmp_path / "o.jsonl"),
        "--report",
        str(report),
        "--jury",
        str(bad),
    )
    assert code == 2
    assert "rulekit" in capsys.readouterr().err


@given(st.lists(st.text(alphabet=st.sampled_from('ab;"\r\n é«»\u202f,\t'), max_size=6), max_size=9))
def test_csv_line_is_what_the_csv_writer_writes(cells: list[str]) -> None:
    """csv_line quotes exactly as the table's csv writer (semicolons, quotes, line breaks)."""
    errors = tuple(InputError(f"p{i}", text) for i, text in enumerate(cells[6:]))
    each = Row(0, cells[0] if cells else None, "bad_input", "{}", learner="".join(cells[1:2]),
               name="".join(cells[2:3]), certification="".join(cells[3:4]),
               track="".join(cells[4:6]), errors=errors)  # fmt: skip
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(csv_cells(each, "fr"))
    assert csv_line(each, "fr") == buffer.getvalue()


@given(st.one_of(st.none(), st.text(max_size=12)), st.integers(0, 10**9))
def test_batch_lines_are_the_session_lines(source: str | None, index: int) -> None:
    """The command's line head, made in bytes, is session.line_of's, whatever the source."""
    body = '"decision":{}'
    expected = line_of(index, source, body)
    try:
        want = expected.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: neither can be written in UTF-8
        with pytest.raises(UnicodeEncodeError):
            _line_head(index, source)
        return
    assert _line_head(index, source) + b"{}}" == want


def test_render_packs_the_row_outputs() -> None:
    """What a worker sends back holds the session row's line, CSV line and log bytes."""
    dossiers = [*_case_dossiers()[:8], {"format": "rulekit.dossier/1"}]
    items = [Item(i, f"in.jsonl:{i + 1}", json.dumps(d).encode()) for i, d in enumerate(dossiers)]
    options = Options(as_of=date(2023, 7, 1))
    render = Render(csv_lang="en", report=True, record=True)
    for item in items:
        outcome = decide(item, options)
        each = row(item, outcome, keep_dossier=True)
        index, verdict, line, csv_text, kept, dossier, decision = render(item, outcome)
        assert (index, verdict) == (item.index, each.outcome)
        assert line == (each.line + "\n").encode("utf-8")
        assert csv_text == csv_line(each, "en")
        assert kept == attrs.evolve(each, line="", dossier=None, decision=None)
        assert (dossier, decision) == (each.dossier, each.decision)
    for item in items:
        outcome = decide(item, options)
        each = row(item, outcome, keep_dossier=True)
        packed = Render(record=True)(item, outcome)
        assert packed == (item.index, each.outcome, (each.line + "\n").encode(), None, None,
                          each.dossier, each.decision)  # fmt: skip
        assert Render()(item, outcome)[3:] == (None, None, None, None)


def test_chunks_grow_to_their_size() -> None:
    """Chunks of 8, 16, 32... up to the size: few dossiers still go to every worker."""
    items = iter([Item(i, None, b"{}") for i in range(300)])
    assert [len(chunk) for chunk in _chunks(items, 64)] == [8, 16, 32, 64, 64, 64, 52]
    assert [len(c) for c in _chunks(iter([Item(0, None, b"{}")] * 7), 3)] == [3, 3, 1]


def test_two_workers_with_one_dossier_start_no_pool() -> None:
    """The first dossier is evaluated in this process; with no other, no worker starts."""
    (only,) = run([Item(0, "x", EXAMPLE.read_bytes())], Options(as_of=date(2023, 7, 1)),
                  row, workers=2)  # fmt: skip
    assert only.outcome == "eligible"
    assert list(run([], Options(as_of=date(2023, 7, 1)), row, workers=2)) == []


def test_cli_record_keeps_groups_and_the_order(tmp_path: Path) -> None:
    """More decisions than a group: all recorded, in input order, the chain verifies."""
    source = tmp_path / "in.jsonl"
    dossiers = [d for d in _case_dossiers() if d.get("certification") == "casp_36625"]
    lines = [json.dumps(dossiers[i % len(dossiers)]) for i in range(2 * RECORD_GROUP + 7)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = tmp_path / "d.db"
    out = tmp_path / "o.jsonl"
    assert _run(tmp_path, str(source), "--out", str(out), "--record", "--log", str(log),
                "--workers", "2") == 0  # fmt: skip
    decided = [
        json.loads(line)["decision"]
        for line in out.read_text(encoding="utf-8").splitlines()
        if '"decision"' in line
    ]
    with sqlite3.connect(log) as db:
        stored = [
            json.loads(d) for (d,) in db.execute("SELECT decision FROM rulekit_log ORDER BY seq")
        ]
    assert len(stored) == len(decided) > RECORD_GROUP
    assert stored == decided
    assert main(["log", "verify", "--log", str(log)]) == 0


def test_ctrl_c_keeps_every_decision_written(tmp_path: Path) -> None:
    """Ctrl-C part-way: every decision written has its record, and the chain verifies."""
    import contextlib  # noqa: PLC0415
    import os  # noqa: PLC0415
    import signal  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import time  # noqa: PLC0415

    source, out, log = tmp_path / "in.jsonl", tmp_path / "o.jsonl", tmp_path / "d.db"
    lines = [json.dumps(d) for d in _case_dossiers()] * 200
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-c", "import sys; from rulekit.cli import main; sys.exit(main())",
               "batch", "--quiet", "--as-of", AS_OF, str(source), "--workers", "2",
               "--out", str(out), "--record", "--log", str(log)]  # fmt: skip
    batch = subprocess.Popen(command, start_new_session=True, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and batch.poll() is None:
        if out.exists() and out.stat().st_size > 1_000_000:
            break
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):  # it may have ended already
        os.killpg(batch.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    _, errors = batch.communicate(timeout=60)
    assert batch.returncode in (0, 130), errors  # 0: it ended before the signal
    decided = [
        json.loads(line)["decision"]
        for line in out.read_text(encoding="utf-8").splitlines()
        if '"decision"' in line
    ]
    with sqlite3.connect(log) as db:
        stored = [json.loads(d) for (d,) in db.execute("SELECT decision FROM rulekit_log")]
    # Recorded before written: the log may hold one decision more (interrupted between).
    assert stored[: len(decided)] == decided
    assert len(decided) <= len(stored) <= len(decided) + 1
    assert main(["log", "verify", "--log", str(log)]) == 0


def test_directories_are_walked_in_path_order(tmp_path: Path) -> None:
    """The dossier files of a tree, in the order of sorted(rglob): Path order, filtered."""
    names = ("b.json", "b/c.json", "B.json", "a-b.json", "a/z.jsonl", "a.b/x.json",
             "b/.hidden.json", "b/d/e.ndjson", "notes.txt", "dir.json/f.json", ".json")  # fmt: skip
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}\n", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(tmp_path / "b.json")  # a link to a file: listed
    (tmp_path / "ldir").symlink_to(tmp_path / "b")  # a linked folder: not entered
    (tmp_path / "ld.json").symlink_to(tmp_path / "b")  # not a file
    expected = [
        p
        for p in sorted(tmp_path.rglob("*"))
        if p.suffix.lower() in (".json", ".jsonl", ".ndjson") and p.is_file()
    ]
    assert [i.source for i in read_inputs([tmp_path])] == [
        f"{p}:1" if p.suffix != ".json" else str(p) for p in expected
    ]


@pytest.mark.parametrize("size", [0, 1, 4096, MAX_BYTES, MAX_BYTES + 1, MAX_BYTES + 4096])
def test_files_are_read_whole_up_to_the_limit(tmp_path: Path, size: int) -> None:
    """A dossier file is read whole; one over the limit is a row saying so."""
    path = tmp_path / "d.json"
    path.write_bytes(b" " * size)
    (item,) = read_inputs([path])
    if size <= MAX_BYTES:
        assert isinstance(item.data, bytes) and len(item.data) == size
    else:
        assert item.data is None and "larger than" in item.read_errors[0].message


def test_a_pipe_is_read_up_to_the_limit(tmp_path: Path) -> None:
    """A file without a size (a named pipe) is read to its end, within the limit."""
    import os  # noqa: PLC0415
    import threading  # noqa: PLC0415

    fifo = tmp_path / "d.json"
    os.mkfifo(fifo)
    body = EXAMPLE.read_bytes()
    writer = threading.Thread(target=fifo.write_bytes, args=(body,))
    writer.start()
    (item,) = read_inputs([fifo])
    writer.join()
    assert item.data == body
