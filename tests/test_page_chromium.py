"""The decision page in a real browser: headless Chromium loads it with no console message.

Chromium (Debian's ``chromium`` package) reports every console message, Content-Security-
Policy violations included, on standard error as ``INFO:CONSOLE`` lines when logging is on;
the page must produce none, and its key texts must be in the document Chromium built.
Skipped where no Chromium is installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

import rulekit
from rulekit.log.page import render_page
from rulekit.log.record import make_record
from tests.conftest import EXAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")


def _load(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM Chromium built from ``page``, and the console lines it logged."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


def _page(lang: str) -> str:
    dossier = json.loads((EXAMPLES / "casp_national.json").read_text(encoding="utf-8"))
    decision = rulekit.evaluate(dossier, as_of=date(2023, 6, 29))
    record = make_record(
        1,
        "2026-12-02T13:05:00.000000Z",
        "sha256:" + "0" * 64,
        json.dumps(dossier).encode("utf-8"),
        rulekit.decision_to_json(decision).encode("utf-8"),
    )
    return render_page(record, lang)


def test_console_messages_are_caught(tmp_path: Path) -> None:
    """The check below can fail: a page breaking its own policy logs console lines."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'\"></head><body><p>x</p>"
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    _, console = _load(bad, tmp_path / "profile")
    assert console


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "fr",
            (
                "Contrôle de recevabilité enregistré",
                "Non recevable en l'état",
                "Ce qui manque",
                "l'unité UA211G — Rédaction et soutenance",
                "2 décembre 2026 à 14\u202fh\u202f05",
                "du 1er septembre 2019 au 31 août 2020",
                "période non retenue",
            ),
        ),
        (
            "en",
            (
                "Recorded eligibility check",
                "Not eligible as it stands",
                "What is missing",
                "unit UA211G — Rédaction et soutenance",
                "2 December 2026 at 14:05 (Paris time)",
                "1 September 2019 to 31 August 2020",
                "period not counted",
            ),
        ),
    ],
)
def test_decision_page_loads_without_console_message(
    tmp_path: Path, lang: str, texts: tuple[str, ...]
) -> None:
    """The page loads with nothing on the console, and shows what the jury needs."""
    page = tmp_path / f"page-{lang}.html"
    page.write_text(_page(lang), encoding="utf-8")
    dom, console = _load(page, tmp_path / "profile")
    assert console == []
    for text in texts:
        assert text.replace("'", "&#x27;") in dom or text in dom, text
