"""A jury session's outputs: one row per dossier, the jury's CSV table, the HTML report.

A :class:`Row` is what ``rulekit batch`` keeps of each dossier once evaluated: who, which
track, the outcome, what is missing (with titles), the decision's flags, or, for a bad
dossier, where it came from and every error. Rows are built where the evaluation ran
(:func:`row`), from the published decision JSON, so that fields added to decisions later
(a missing item's ``title``, ``flags``) are shown as soon as they exist.

The session report (:func:`write_report`) is one self-contained HTML page rendered with
Jinja2 from ``rulekit/templates/session.html.j2``: counts, a chart of the most frequent
missing requirements (inline SVG), then one row per dossier. It is streamed: rows are kept
in a temporary file while the batch runs, not in memory. Dates and numbers are written as
a French or English reader expects them (:mod:`rulekit.french`): « 1er juillet 2023 », 17,5.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from attrs import frozen
from jinja2 import Environment, PackageLoader, select_autoescape

from rulekit import french
from rulekit.batch import Item
from rulekit.codec import decision_to_json
from rulekit.decision import Decision, Missing
from rulekit.errors import InputError, RulekitError

NNBSP = french.NNBSP
"""The narrow no-break space French typography puts before « : », « ; », « % »."""

LANGS = ("fr", "en")

OUTCOMES = ("eligible", "not_eligible", "bad_input")


@frozen
class MissingItem:
    """One thing still missing, as the decision gives it, with the title when known."""

    kind: str
    code: str | None = None
    title: str | None = None
    count: int | None = None
    among: tuple[str, ...] = ()
    months: float | None = None
    reason: str | None = None
    date: str | None = None


@frozen
class Flag:
    """A warning a decision carries for the jury (``code`` and a message in two languages)."""

    code: str
    fr: str
    en: str


@frozen
class Row:
    """What the session keeps of one dossier: enough for the CSV, the report and the log.

    ``line`` is the dossier's JSON Lines output; ``dossier`` and ``decision`` are the bytes a
    decision log records (``None`` unless recording, or for a bad dossier).
    """

    index: int
    source: str | None
    outcome: str
    line: str
    learner: str = ""
    name: str = ""
    certification: str = ""
    certification_title: str = ""
    rncp: str = ""
    track: str = ""
    as_of: str = ""
    missing: tuple[MissingItem, ...] = ()
    flags: tuple[Flag, ...] = ()
    errors: tuple[InputError, ...] = ()
    dossier: bytes | None = None
    decision: bytes | None = None


@functools.cache
def _titles(certification: str, ruleset_version: str, as_of: str) -> dict[str, str]:
    """Unit and bloc titles by code, from the declaration of the rule set that decided."""
    from rulekit.registry import default_registry  # noqa: PLC0415  (in the worker only)

    try:
        compiled = default_registry().certification(
            certification, date.fromisoformat(as_of), ruleset_version
        )
    except (RulekitError, ValueError):
        return {}
    declaration = compiled.declaration
    titles: dict[str, str] = {}
    for track in declaration.tracks:
        units = list(track.mandatory)
        for group in track.choices:
            units.extend(group.units)
        for unit in units:
            if unit.title:
                titles.setdefault(unit.code, unit.title)
    for bloc in declaration.blocs:
        if bloc.title:
            titles.setdefault(bloc.code, bloc.title)
    return titles


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _missing(item: Missing, titles: dict[str, str]) -> MissingItem:
    """A decision's missing item, with its own title if it has one, else the declaration's."""
    code = _text(item.code)
    title = _text(getattr(item, "title", None)) or (titles.get(code) if code else None)
    return MissingItem(
        kind=item.kind,
        code=code,
        title=title,
        count=item.count,
        among=tuple(item.among or ()),
        months=item.months,
        reason=item.reason,
        date=item.date.isoformat() if item.date is not None else None,
    )


def _flag(value: Any) -> Flag:
    """A decision's flag: an object with ``code`` and ``message`` (``fr``, ``en``)."""
    message = getattr(value, "message", None)
    return Flag(
        code=str(getattr(value, "code", "")),
        fr=str(getattr(message, "fr", "")),
        en=str(getattr(message, "en", "")),
    )


_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\ud800-\udfff]')
"""What :func:`json.dumps` would escape in a source (or cannot encode: lone surrogates)."""


def line_head(index: int, source: str | None) -> str:
    """``{"index":I,"source":S,``: how every output line begins.

    A source with nothing to escape (most file names) is quoted as it is, which is what
    :func:`json.dumps` gives for it, without its call.
    """
    if source is None:
        text = "null"
    elif _NEEDS_ESCAPE.search(source) is None:
        text = f'"{source}"'
    else:
        text = json.dumps(source, ensure_ascii=False)
    return f'{{"index":{index},"source":{text},'


def line_of(index: int, source: str | None, body: str) -> str:
    """One JSON Lines output line: index and source first, then the decision or errors."""
    return f"{line_head(index, source)}{body}}}"


def row(
    item: Item, outcome: Decision | tuple[InputError, ...], *, keep_dossier: bool = False
) -> Row:
    """The session row of an evaluated item (a :func:`rulekit.batch.run` maker).

    :param keep_dossier: keep the dossier's and decision's bytes, for a decision log.
    """
    if not isinstance(outcome, Decision):
        errors = [{"path": e.path, "message": e.message} for e in outcome]
        body = '"errors":' + json.dumps(errors, ensure_ascii=False, separators=(",", ":"))
        return Row(
            item.index, item.source, "bad_input", line_of(item.index, item.source, body),
            errors=tuple(outcome),
        )  # fmt: skip
    text = decision_to_json(outcome)
    dossier = None
    if keep_dossier:
        from rulekit.log.recording import dossier_bytes  # noqa: PLC0415

        dossier = dossier_bytes(item.data) if item.data is not None else None
    return decision_row(
        item,
        outcome,
        line_of(item.index, item.source, f'"decision":{text.rstrip()}'),
        dossier=dossier,
        decision=text.encode("utf-8") if keep_dossier else None,
    )


def decision_row(
    item: Item,
    outcome: Decision,
    line: str,
    *,
    dossier: bytes | None = None,
    decision: bytes | None = None,
) -> Row:
    """The session row of an evaluated item whose JSON Lines ``line`` is already made.

    ``rulekit batch`` makes its output line as bytes (:func:`rulekit.codec.decision_to_json_bytes`)
    and gives ``""`` here; ``dossier`` and ``decision`` are the bytes a decision log records.
    """
    cert = outcome.certification
    as_of = outcome.as_of.isoformat()
    titles = _titles(cert.id, cert.ruleset_version, as_of)
    missing = tuple(
        _missing(item, titles)
        for requirement in outcome.requirements
        if not requirement.met
        for item in requirement.missing
    )
    # Decisions may carry flags (warnings for the jury); older ones have none.
    flags = tuple(_flag(flag) for flag in getattr(outcome, "flags", None) or ())
    return Row(
        index=item.index,
        source=item.source,
        outcome=outcome.outcome.value,
        line=line,
        learner=outcome.learner.id,
        name=outcome.learner.name or "",
        certification=cert.id,
        certification_title=cert.title,
        rncp=cert.rncp,
        track=outcome.track,
        as_of=as_of,
        missing=missing,
        flags=flags,
        dossier=dossier,
        decision=decision,
    )


def keep_dossier_row(item: Item, outcome: Decision | tuple[InputError, ...]) -> Row:
    """:func:`row` keeping the bytes a decision log records (a picklable maker)."""
    return row(item, outcome, keep_dossier=True)


# --- words -------------------------------------------------------------------------------

_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "eligible": "Recevable",
        "not_eligible": "Non recevable en l'état",
        "bad_input": "Dossier invalide",
        "expired": "validité échue le {date}",
        "choice": "{count} UE à choisir parmi {among}",
        "ects_one": "1 crédit ECTS",
        "ects": "{count} crédits ECTS",
        "experience_months": "{months} mois d'expérience",
        "internship_months": "{months} mois de stage",
        "not_yet_registered": "titre enregistré au RNCP à partir du {date} seulement",
        "registration_ended": "enregistrement au RNCP terminé le {date}",
        "award_deadline_passed": "date limite de délivrance passée ({date})",
        "registration": "enregistrement au RNCP",
        "kind_unit": "Unité d'enseignement",
        "kind_block": "Bloc de compétences",
        "kind_choice": "UE à choisir",
        "kind_ects": "Crédits ECTS",
        "kind_experience_months": "Expérience professionnelle",
        "kind_internship_months": "Stage",
        "kind_registration": "Enregistrement au RNCP",
    },
    "en": {
        "eligible": "Eligible",
        "not_eligible": "Not eligible as it stands",
        "bad_input": "Invalid dossier",
        "expired": "no longer valid since {date}",
        "choice": "{count} to choose among {among}",
        "ects_one": "1 ECTS credit",
        "ects": "{count} ECTS credits",
        "experience_months": "{months} months of experience",
        "internship_months": "{months} months of internship",
        "not_yet_registered": "title registered in the RNCP only from {date}",
        "registration_ended": "RNCP registration ended on {date}",
        "award_deadline_passed": "award deadline passed ({date})",
        "registration": "RNCP registration",
        "kind_unit": "Course unit",
        "kind_block": "Skills bloc",
        "kind_choice": "Units to choose",
        "kind_ects": "ECTS credits",
        "kind_experience_months": "Professional experience",
        "kind_internship_months": "Internship",
        "kind_registration": "RNCP registration",
    },
}


def long_date(value: str | date, lang: str) -> str:
    """A date as a reader of ``lang`` writes it: « 1er juillet 2023 », "1 July 2023"."""
    return french.day(date.fromisoformat(value) if isinstance(value, str) else value, lang)


def _safe_date(value: str | None, lang: str) -> str:
    if not value:
        return ""
    try:
        return long_date(value, lang)
    except ValueError:
        return value


def number(value: float, lang: str) -> str:
    """A number with the language's decimal mark (17,5 in French), at most two decimals."""
    return french.number(round(value, 2), lang)


def percent(part: int, whole: int, lang: str) -> str:
    """``part`` of ``whole`` as a percentage, to 1/10 (« 42,5 % », narrow no-break space)."""
    return french.percent(round(part / whole, 3) if whole else 0.0, lang)


@functools.lru_cache(maxsize=4096)  # a session repeats the same missing items many times
def missing_text(item: MissingItem, lang: str) -> str:
    """One missing item in words: « UASO01 Titre de l'UE », « 3 mois de stage »."""
    words = _WORDS[lang]
    if item.code is not None:
        text = item.code + (f" {french.typeset(item.title, lang)}" if item.title else "")
        if item.reason == "expired" and item.date:
            text += f" ({words['expired'].format(date=_safe_date(item.date, lang))})"
        return text
    if item.kind == "choice" and item.count is not None:
        return words["choice"].format(count=item.count, among=", ".join(item.among))
    if item.kind == "ects" and item.count is not None:
        key = "ects_one" if item.count == 1 else "ects"
        return words[key].format(count=item.count)
    if item.kind in ("experience_months", "internship_months") and item.months is not None:
        return words[item.kind].format(months=number(item.months, lang))
    if item.kind == "registration":
        template = words.get(item.reason or "", words["registration"])
        return template.format(date=_safe_date(item.date, lang))
    return words.get(f"kind_{item.kind}", item.kind)


@functools.lru_cache(maxsize=4096)
def chart_key(item: MissingItem, lang: str) -> str:
    """What the chart counts: a unit or bloc by code and title, anything else by its kind."""
    if item.code is not None:
        return item.code + (f" {french.typeset(item.title, lang)}" if item.title else "")
    return _WORDS[lang].get(f"kind_{item.kind}", item.kind)


def outcome_text(outcome: str, lang: str) -> str:
    """An outcome in words."""
    return _WORDS[lang].get(outcome, outcome)


def flag_text(flag: Flag, lang: str) -> str:
    """A flag's message in ``lang`` (its code when the message is empty)."""
    return (flag.fr if lang == "fr" else flag.en) or flag.code


# --- the CSV table -----------------------------------------------------------------------

_CSV_HEADER = {
    "fr": [
        "N°",
        "Source",
        "Apprenant",
        "Nom",
        "Certification",
        "Parcours",
        "Résultat",
        "Éléments manquants",
        "Alertes",
        "Erreurs",
    ],
    "en": [
        "No.",
        "Source",
        "Learner",
        "Name",
        "Certification",
        "Track",
        "Outcome",
        "Missing",
        "Flags",
        "Errors",
    ],
}

CSV_SEPARATOR = " | "
"""Between two items of one cell (the cells themselves are separated by semicolons)."""


def csv_cells(row: Row, lang: str) -> list[object]:
    """The cells of one dossier's line of the jury's table."""
    return [
        row.index + 1,
        row.source or "",
        row.learner,
        row.name,
        row.certification,
        row.track,
        outcome_text(row.outcome, lang),
        CSV_SEPARATOR.join(missing_text(m, lang) for m in row.missing),
        CSV_SEPARATOR.join(flag_text(f, lang) for f in row.flags),
        CSV_SEPARATOR.join(str(e) for e in row.errors),
    ]


_CSV_QUOTED = re.compile('[;"\r\n]')
"""What makes :mod:`csv` quote a cell of the table (``QUOTE_MINIMAL``, ``;``, CRLF)."""


def _csv_cell(text: str) -> str:
    if _CSV_QUOTED.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def csv_line(row: Row, lang: str) -> str:
    """One dossier's line of the jury's table as text, for :meth:`CsvTable.add_line`.

    The same text as the table's :mod:`csv` writer gives (a cell is quoted when it holds a
    semicolon, a quote or a line break, its quotes doubled), written directly: for a line of
    ten short cells, several times faster than the writer. ``rulekit batch`` makes it where
    the dossier was evaluated (a worker process), so that only this text, not the row,
    comes back to the process writing the table.
    """
    cells = [str(cell) for cell in csv_cells(row, lang)]
    line = ";".join(cells)
    # Most lines quote nothing: four scans of the line in C tell, instead of one per cell.
    if line.count(";") == len(cells) - 1 and not ('"' in line or "\r" in line or "\n" in line):
        return line + "\r\n"
    return ";".join([_csv_cell(cell) for cell in cells]) + "\r\n"


class CsvTable:
    """The jury's table: semicolons and UTF-8 with a BOM, as a French spreadsheet opens it."""

    def __init__(self, path: Path, lang: str) -> None:
        self.lang = lang
        self._file = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file, delimiter=";", lineterminator="\r\n")
        self._writer.writerow(_CSV_HEADER[lang])

    def add(self, row: Row) -> None:
        """Write one dossier's line."""
        self._writer.writerow(csv_cells(row, self.lang))

    def add_line(self, line: str) -> None:
        """Write one dossier's line made by :func:`csv_line` (in the table's language)."""
        self._file.write(line)

    def close(self) -> None:
        """Flush and close the file."""
        self._file.close()


# --- the session report ------------------------------------------------------------------

CHART_ITEMS = 10
"""Bars in the chart of the most frequent missing requirements."""


class Session:
    """Counts and rows of a batch, gathered as rows come, for the report.

    Rows go to a temporary file (compact JSON, one a line), so that memory holds only the
    counts, whatever the number of dossiers.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.counts: Counter[str] = Counter()
        self.missing: Counter[str] = Counter()
        self.certifications: dict[str, tuple[str, str]] = {}
        self.as_of: set[str] = set()
        self.jury: tuple[bool, str, list[str]] | None = None
        """The jury check shown at the top (``rulekit batch --jury``): lawful, the summary
        sentence and each shortfall, in the session's language."""
        self._spool: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115

    def add(self, row: Row, page: str | None = None) -> None:
        """Count ``row`` and keep what the report shows of it (``page``: its decision page)."""
        lang = self.lang
        self.counts[row.outcome] += 1
        for key in {chart_key(m, lang) for m in row.missing}:
            self.missing[key] += 1
        if row.certification and len(self.certifications) < 100:
            self.certifications[row.certification] = (row.rncp, row.certification_title)
        if row.as_of and len(self.as_of) < 100:
            self.as_of.add(row.as_of)
        shown = {
            "n": row.index + 1,
            "source": row.source or "",
            "learner": row.learner,
            "name": row.name,
            "track": row.track,
            "outcome": row.outcome,
            "outcome_text": outcome_text(row.outcome, lang),
            "missing": [missing_text(m, lang) for m in row.missing],
            "flags": [flag_text(f, lang) for f in row.flags],
            "errors": [{"path": e.path, "message": e.message} for e in row.errors],
            "page": page,
        }
        self._spool.write(json.dumps(shown, ensure_ascii=False) + "\n")

    def rows(self) -> Iterator[dict[str, Any]]:
        """The kept rows, in order, read back one at a time."""
        self._spool.flush()
        self._spool.seek(0)
        for text in self._spool:
            yield json.loads(text)

    def close(self) -> None:
        """Drop the temporary file."""
        self._spool.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Contrôle de recevabilité",
        "jury": "Composition du jury",
        "session": "Session du {date}",
        "as_of": f"Décision au{NNBSP}:",
        "certification": f"Certification{NNBSP}:",
        "dossiers": "Dossiers",
        "eligible": "Recevables",
        "not_eligible": "Non recevables en l'état",
        "bad_input": "Dossiers invalides",
        "share": "Part",
        "chart": "Exigences le plus souvent manquantes",
        "chart_desc": "Nombre de dossiers auxquels chaque élément manque",
        "no_missing": "Aucun élément manquant dans cette session.",
        "learners": "Dossiers un par un",
        "n": "N°",
        "learner": "Apprenant",
        "track": "Parcours",
        "outcome": "Résultat",
        "missing": "Éléments manquants",
        "flags": "Alertes",
        "page": "Décision",
        "open": "voir",
        "source": f"Source{NNBSP}:",
        "no_page": "Pages de décision produites seulement pour une session enregistrée.",
        "none": "—",
    },
    "en": {
        "title": "Eligibility check",
        "jury": "Composition of the jury",
        "session": "Session of {date}",
        "as_of": "Decision as of:",
        "certification": "Certification:",
        "dossiers": "Dossiers",
        "eligible": "Eligible",
        "not_eligible": "Not eligible",
        "bad_input": "Invalid dossiers",
        "share": "Share",
        "chart": "Most frequently missing requirements",
        "chart_desc": "Number of dossiers each item is missing from",
        "no_missing": "Nothing is missing in this session.",
        "learners": "Dossier by dossier",
        "n": "No.",
        "learner": "Learner",
        "track": "Track",
        "outcome": "Outcome",
        "missing": "Missing",
        "flags": "Flags",
        "page": "Decision",
        "open": "open",
        "source": "Source:",
        "no_page": "Decision pages are written only for a recorded session.",
        "none": "—",
    },
}


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("rulekit", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@frozen
class Bar:
    """One bar of the chart, laid out in SVG units."""

    label: str
    count: int
    y: int
    width: int
    share: str


def _bars(missing: Counter[str], total: int, lang: str) -> list[Bar]:
    # Most frequent first; equal counts in label order, so the bytes do not depend on order.
    top = sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))[:CHART_ITEMS]
    high = top[0][1] if top else 1
    return [
        Bar(label, count, 28 * i, max(2, round(360 * count / high)), percent(count, total, lang))
        for i, (label, count) in enumerate(top)
    ]


def render_report(session: Session, *, pages: bool) -> Iterator[str]:
    """Yield the report's HTML in pieces (streamed rows)."""
    lang = session.lang
    labels = _LABELS[lang]
    total = sum(session.counts.values())
    counts = [
        (key, labels[key], session.counts[key], percent(session.counts[key], total, lang))
        for key in OUTCOMES
    ]
    dates = sorted(session.as_of)
    bars = _bars(session.missing, total, lang)
    template = _environment().get_template("session.html.j2")
    return template.generate(
        lang=lang,
        labels=labels,
        total=total,
        counts=counts,
        session_date=", ".join(long_date(d, lang) for d in dates),
        certifications=sorted(session.certifications.items()),
        bars=bars,
        chart_height=28 * len(bars) + 4,
        rows=session.rows(),
        pages=pages,
        jury=session.jury,
    )


def write_report(path: Path, session: Session, *, pages: bool) -> None:
    """Write the session report to ``path`` (through a temporary file, then renamed)."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="\n") as handle:
        for piece in render_report(session, pages=pages):
            handle.write(piece)
    os.replace(temporary, path)


def pages_dir(report: Path) -> Path:
    """Where the decision pages of a report go: ``FILE_files/`` beside ``FILE.html``."""
    return report.with_name(report.stem + "_files")


def page_name(index: int) -> str:
    """The file name of the ``index``-th dossier's decision page."""
    return f"decision-{index + 1:06d}.html"
