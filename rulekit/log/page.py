"""The auditor's page for one recorded decision: one self-contained HTML file.

No script, no font, no image and no style sheet is fetched: the CSS is inline, the
timeline is inline SVG, and a Content-Security-Policy forbids any request, so the page
reads the same offline, years later. It shows the outcome (a « Contrôle de
recevabilité »: the jury decides), what is missing, the observations for the jury, each
requirement with its evidence in sentences (:mod:`rulekit.readable`), the waivers (who,
when, why), the record's hashes and rule set, and a timeline of the experience and
internship periods: each period's dates printed beside its bar, both ends of the axis
dated, periods that count drawn solid and periods that do not hatched in grey, with a
legend, and the months counted against the months required.

French by default (``lang="en"`` for English); dates in words, the recording time in
Europe/Paris local time (« 2 décembre 2026 à 14 h 05 »). The page is built from the
stored JSON, not from today's models, so that records written by older versions still
render.
"""

from __future__ import annotations

import json
from datetime import date
from html import escape
from typing import Any

from rulekit.calendar import parse_iso_date
from rulekit.declaration import Certification
from rulekit.french import day, label, moment, number, percent, requirement_name
from rulekit.log.record import Record, stored_timestamp
from rulekit.readable import (
    basis,
    evidence,
    find_certification,
    message_text,
    missing,
    not_counted,
    not_counted_label,
    status,
    titles,
    track_name,
)

_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "lang": "fr",
        "title": "Contrôle de recevabilité enregistré n°\u00a0{seq}",
        "learner": "Apprenant",
        "certification": "Certification",
        "track": "Parcours",
        "as_of": "Date du contrôle",
        "recorded_at": "Enregistré le",
        "outcome": "Résultat",
        "eligible": "Recevable",
        "not_eligible": "Non recevable en l'état",
        "jury_decides": "Ce contrôle dit si le dossier remplit les conditions\u202f; "
        "le jury décide.",
        "what_missing": "Ce qui manque",
        "nothing_missing": "Rien ne manque.",
        "flags": "À l'attention du jury",
        "requirements": "Conditions examinées",
        "missing": "Manque",
        "evidence": "Pièces retenues",
        "waivers": "Dérogations",
        "no_waiver": "Aucune dérogation dans le dossier.",
        "requirement": "Exigence",
        "granted_by": "Accordée par",
        "date": "Date",
        "reason": "Motif",
        "applied": "Appliquée",
        "yes": "oui",
        "no": "non",
        "timeline": "Périodes d'expérience et de stage",
        "no_period": "Aucune période d'expérience ni de stage dans le dossier.",
        "experience": "Expérience professionnelle",
        "internship": "Stage",
        "period": "Période",
        "kind": "Nature",
        "dates": "Dates",
        "details": "Précisions",
        "counts": "Retenue",
        "in_field": "dans le champ",
        "out_field": "hors du champ",
        "short_experience": "Expérience",
        "short_internship": "Stage",
        "short_in_field": "dans le champ",
        "short_out_field": "hors champ",
        "legend_counted": "période retenue par une exigence",
        "legend_not_counted": "période non retenue",
        "legend_as_of": "date du contrôle",
        "counted": "{counted} mois retenus pour {required} mois requis",
        "counted_days": "{counted} jours justifiés pour {required} jours requis "
        "({months} mois requis), soit {made} mois",
        "record": "Enregistrement",
        "rules": "Règles appliquées",
        "other_tracks": "Autres parcours",
        "other_met": "recevable",
        "other_unmet": "non recevable",
        "seq": "Numéro d'enregistrement",
        "hash": "Empreinte de l'enregistrement",
        "prev_hash": "Empreinte de l'enregistrement précédent",
        "plugin": "Module de la certification",
        "ruleset_version": "Version du jeu de règles",
        "ruleset_digest": "Empreinte du jeu de règles",
        "engine_version": "Version du moteur",
        "text_version": "Version des textes",
        "input_digest": "Empreinte du dossier",
    },
    "en": {
        "lang": "en",
        "title": "Recorded eligibility check no. {seq}",
        "learner": "Learner",
        "certification": "Certification",
        "track": "Track",
        "as_of": "Date of the check",
        "recorded_at": "Recorded on",
        "outcome": "Outcome",
        "eligible": "Eligible",
        "not_eligible": "Not eligible as it stands",
        "jury_decides": "This check says whether the dossier meets the requirements; "
        "the jury decides.",
        "what_missing": "What is missing",
        "nothing_missing": "Nothing is missing.",
        "flags": "For the jury's attention",
        "requirements": "Requirements checked",
        "missing": "Missing",
        "evidence": "Evidence used",
        "waivers": "Waivers",
        "no_waiver": "No waiver in the dossier.",
        "requirement": "Requirement",
        "granted_by": "Granted by",
        "date": "Date",
        "reason": "Reason",
        "applied": "Applied",
        "yes": "yes",
        "no": "no",
        "timeline": "Experience and internship periods",
        "no_period": "No experience or internship period in the dossier.",
        "experience": "Professional experience",
        "internship": "Internship",
        "period": "Period",
        "kind": "Kind",
        "dates": "Dates",
        "details": "Details",
        "counts": "Counted",
        "in_field": "in the field",
        "out_field": "outside the field",
        "short_experience": "Experience",
        "short_internship": "Internship",
        "short_in_field": "in the field",
        "short_out_field": "outside the field",
        "legend_counted": "period counted by a requirement",
        "legend_not_counted": "period not counted",
        "legend_as_of": "date of the check",
        "counted": "{counted} months counted of {required} months required",
        "counted_days": "{counted} days proven of {required} days required "
        "({months} months required), that is {made} months",
        "record": "Record",
        "rules": "Rules applied",
        "other_tracks": "Other tracks",
        "other_met": "eligible",
        "other_unmet": "not eligible",
        "seq": "Record number",
        "hash": "Record hash",
        "prev_hash": "Previous record's hash",
        "plugin": "Certification plugin",
        "ruleset_version": "Rule-set version",
        "ruleset_digest": "Rule-set digest",
        "engine_version": "Engine version",
        "text_version": "Wording version",
        "input_digest": "Dossier digest",
    },
}

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:60em;
color:#1b1b1b;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ddd;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f4f4f4}
.badge{display:inline-block;padding:.1em .6em;border-radius:.8em;font-weight:600}
.ok{background:#d9f2dd;color:#14532d}.ko{background:#fbe0e0;color:#7f1d1d}
.req{border:1px solid #ddd;border-radius:6px;padding:.5em .8em;margin:.6em 0}
.req h3{margin:.1em 0;font-size:1.05em}.muted{color:#555}code{font-size:.9em;word-break:break-all}
.flag{border-left:4px solid #d97706;background:#fff7ed;padding:.4em .8em;margin:.4em 0}
svg text{font:11px system-ui,sans-serif}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


class _Page:
    """What every part of the page needs: the language, its labels, the declared titles."""

    def __init__(self, lang: str, declaration: Certification | None) -> None:
        self.lang = lang
        self.labels = _LABELS[lang]
        self.declaration = declaration
        self.known = titles(declaration)

    def label(self, key: str) -> str:
        """A label followed by the language's colon (« Manque : »)."""
        return _e(label(self.labels[key], self.lang))

    def requirement(self, requirement_id: object) -> str:
        """A requirement's name in words."""
        return requirement_name(str(requirement_id), self.lang)

    def day(self, value: object) -> str:
        """A stored ISO date in words; anything else as it is."""
        parsed = _date(value)
        return day(parsed, self.lang) if parsed is not None else str(value or "")


def _number(value: object, page: _Page) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(float(value), page.lang)
    return str(value)


def _measure(measure: dict[str, Any], page: _Page) -> str:
    """Months counted against months required; with the days when the record has them."""
    required_days = measure.get("required_days")
    if isinstance(required_days, int) and required_days > 0:
        return page.labels["counted_days"].format(
            counted=_number(measure.get("counted_days", 0), page),
            required=_number(required_days, page),
            months=_number(measure.get("required"), page),
            made=_number(measure.get("counted"), page),
        )
    return page.labels["counted"].format(
        counted=_number(measure.get("counted"), page),
        required=_number(measure.get("required"), page),
    )


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>"


def _requirement(req: dict[str, Any], page: _Page) -> str:
    met = bool(req.get("met"))
    lang = page.lang
    badge = f'<span class="badge {"ok" if met else "ko"}">{_e(status(met, lang))}</span>'
    cited = [ev for ev in req.get("evidence") or [] if isinstance(ev, dict)]
    how = basis(req.get("basis"), lang, cited) if req.get("basis") else ""
    head = f"<h3>{_e(page.requirement(req.get('id')))} {badge}"
    if how:
        head += f' <span class="muted">{_e(how)}</span>'
    head += "</h3>"
    out = [f'<div class="req">{head}<p>{_e(message_text(req.get("message", {}), lang))}</p>']
    measure = req.get("measure")
    if isinstance(measure, dict):
        out.append(f"<p>{_e(_measure(measure, page))}</p>")
    if req.get("missing"):
        items = [missing(m, lang, page.known) for m in req["missing"] if isinstance(m, dict)]
        out.append(f"<p>{page.label('missing')}</p>{_list(items)}")
    if cited:
        items = [evidence(ev, lang, page.known, verbose=True) for ev in cited]
        out.append(f"<p>{page.label('evidence')}</p>{_list(items)}")
    entries = [n for n in req.get("not_counted") or [] if isinstance(n, dict)]
    if entries:
        items = [
            f"{label(not_counted_label(n, lang), lang)} {not_counted(n, lang, page.known)}"
            for n in entries
        ]
        out.append(_list(items))
    out.append("</div>")
    return "".join(out)


def _what_missing(decision: dict[str, Any], page: _Page) -> str:
    unmet = [r for r in decision.get("requirements", []) if not r.get("met")]
    if not unmet:
        return f"<p>{_e(page.labels['nothing_missing'])}</p>"
    items = []
    for req in unmet:
        lacking = [missing(m, page.lang, page.known) for m in req.get("missing") or []]
        name = page.requirement(req.get("id"))
        text = f"{name} — {message_text(req.get('message', {}), page.lang)}"
        items.append(f"<li>{_e(text)}{_list(lacking) if lacking else ''}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _flags(decision: dict[str, Any], page: _Page) -> str:
    """The observations for the jury, when the decision carries some."""
    flags = [f for f in decision.get("flags") or [] if isinstance(f, dict)]
    if not flags:
        return ""
    parts = [f"<h2>{_e(page.labels['flags'])}</h2>"]
    for flag in flags:
        cited = [
            evidence(ev, page.lang, page.known)
            for ev in flag.get("evidence") or []
            if isinstance(ev, dict)
        ]
        text = message_text(flag.get("message", {}), page.lang)
        parts.append(f'<div class="flag"><p>{_e(text)}</p>{_list(cited) if cited else ""}</div>')
    return "".join(parts)


def _waivers(dossier: dict[str, Any], decision: dict[str, Any], page: _Page) -> str:
    labels = page.labels
    waivers = [w for w in dossier.get("waivers") or [] if isinstance(w, dict)]
    if not waivers:
        return f"<p>{_e(labels['no_waiver'])}</p>"
    applied = {
        (ev.get("requirement"), ev.get("granted_by"), ev.get("date"))
        for req in decision.get("requirements", [])
        if req.get("basis") == "waiver"
        for ev in req.get("evidence", [])
    }
    head = "".join(
        f"<th>{_e(labels[key])}</th>"
        for key in ("requirement", "granted_by", "date", "reason", "applied")
    )
    rows = []
    for waiver in waivers:
        key = (waiver.get("requirement"), waiver.get("granted_by"), waiver.get("date"))
        used = labels["yes"] if key in applied else labels["no"]
        cells = (
            page.requirement(waiver.get("requirement", "")),
            waiver.get("granted_by", ""),
            page.day(waiver.get("date")),
            waiver.get("reason", ""),
            used,
        )
        rows.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        return None


_Period = tuple[str, date, date, dict[str, Any], bool]
"""kind, start, end (as-of date when ongoing), the stored item, whether it counts."""

_WIDTH, _LEFT, _ROW = 820, 230, 36
_COLOURS = {"experience": "#2f6fb0", "internship": "#b0632f"}
_GREY = "#9a9a9a"


def _cited_periods(decision: dict[str, Any]) -> list[dict[str, Any]]:
    """The periods some requirement relied on, without their ``type``."""
    return [
        {k: v for k, v in ev.items() if k != "type"}
        for req in decision.get("requirements", [])
        for ev in req.get("evidence") or []
        if isinstance(ev, dict) and ev.get("type") in ("experience", "internship")
    ]


def _periods(
    dossier: dict[str, Any], decision: dict[str, Any], as_of: date | None
) -> list[_Period]:
    """Every dated period of the dossier, and whether a requirement counted it."""
    cited = _cited_periods(decision)
    periods: list[_Period] = []
    for kind, key in (("experience", "experience"), ("internship", "internships")):
        for item in dossier.get(key) or []:
            if not isinstance(item, dict):
                continue
            start = _date(item.get("start"))
            if start is None:
                continue
            end = _date(item.get("end"))
            stop = max(end or as_of or start, start)
            counts = any(all(item.get(k) == v for k, v in c.items()) for c in cited)
            periods.append((kind, start, stop, {"type": kind, **item}, counts))
    return sorted(periods, key=lambda p: (p[0], p[1], p[2]))


def _hatch(x0: float, x1: float, y0: float, y1: float) -> str:
    """Diagonal lines filling the box (hatching drawn as lines: no pattern to refer to)."""
    lines = []
    c = x0 + y0 + 5.0
    while c < x1 + y1:
        ya, yb = max(y0, c - x1), min(y1, c - x0)
        if ya < yb:
            lines.append(
                f'<line x1="{c - ya:.1f}" y1="{ya:.1f}" x2="{c - yb:.1f}" y2="{yb:.1f}" '
                f'stroke="{_GREY}" stroke-width="1"/>'
            )
        c += 6.0
    return "".join(lines)


def _bar(x0: float, x1: float, y: float, kind: str, *, counts: bool, tip: str) -> str:
    """A solid bar for a period that counts; a hatched grey outline for one that does not."""
    width = max(x1 - x0, 1.5)
    if counts:
        return (
            f'<rect x="{x0:.1f}" y="{y:.1f}" width="{width:.1f}" height="14" '
            f'fill="{_COLOURS[kind]}"><title>{_e(tip)}</title></rect>'
        )
    return (
        f'<rect x="{x0:.1f}" y="{y:.1f}" width="{width:.1f}" height="14" fill="#f2f2f2" '
        f'stroke="{_GREY}" stroke-dasharray="3,2"><title>{_e(tip)}</title></rect>'
        + _hatch(x0, x0 + width, y, y + 14)
    )


def _legend(y: float, page: _Page) -> str:
    """What the two styles of bar and the red line mean."""
    labels = page.labels
    return (
        f'<rect x="{_LEFT}" y="{y:.1f}" width="24" height="12" fill="{_COLOURS["experience"]}"/>'
        f'<rect x="{_LEFT + 26}" y="{y:.1f}" width="24" height="12" '
        f'fill="{_COLOURS["internship"]}"/>'
        f'<text x="{_LEFT + 56}" y="{y + 10:.1f}">{_e(labels["legend_counted"])}</text>'
        f'<rect x="{_LEFT + 250}" y="{y:.1f}" width="24" height="12" fill="#f2f2f2" '
        f'stroke="{_GREY}" stroke-dasharray="3,2"/>'
        + _hatch(_LEFT + 250, _LEFT + 274, y, y + 12)
        + f'<text x="{_LEFT + 280}" y="{y + 10:.1f}">{_e(labels["legend_not_counted"])}</text>'
        f'<line x1="{_LEFT + 470}" y1="{y:.1f}" x2="{_LEFT + 470}" y2="{y + 12:.1f}" '
        f'stroke="#c00" stroke-width="1.5"/>'
        f'<text x="{_LEFT + 476}" y="{y + 10:.1f}">{_e(labels["legend_as_of"])}</text>'
    )


def _span_text(start: date, stop: date, ongoing: bool, page: _Page) -> str:
    if page.lang == "fr":
        if ongoing:
            return f"depuis le {day(start, 'fr')} (en cours)"
        return f"du {day(start, 'fr')} au {day(stop, 'fr')}"
    if ongoing:
        return f"since {day(start, 'en')} (ongoing)"
    return f"{day(start, 'en')} to {day(stop, 'en')}"


def _period_label(kind: str, item: dict[str, Any], page: _Page) -> str:
    field = page.labels["short_in_field" if item.get("in_field") else "short_out_field"]
    return f"{page.labels['short_' + kind]}, {field}"


def _period_bars(periods: list[_Period], as_of: date | None, page: _Page) -> tuple[list[str], int]:
    """Return the SVG of the axis, the period bars with their dates and the legend."""
    first = min(p[1] for p in periods)
    last = max([p[2] for p in periods] + ([as_of] if as_of else []))
    span = max((last - first).days, 1)
    right = _WIDTH - 10

    def x(when: date) -> float:
        return _LEFT + (right - _LEFT) * (when - first).days / span

    bottom = 30 + _ROW * len(periods)
    parts: list[str] = [
        f'<line x1="{_LEFT}" y1="22" x2="{right}" y2="22" stroke="#777"/>',
        f'<text x="{_LEFT}" y="12" text-anchor="start">{_e(day(first, page.lang))}</text>',
        f'<text x="{right}" y="12" text-anchor="end">{_e(day(last, page.lang))}</text>',
    ]
    step = max(1, (last.year - first.year + 1) // 6)
    for year in range(first.year + 1, last.year + 1, step):
        tick = x(date(year, 1, 1))
        if tick - _LEFT < 90 or right - tick < 90:
            continue  # the dated ends of the axis are written there
        parts.append(
            f'<line x1="{tick:.1f}" y1="18" x2="{tick:.1f}" y2="{bottom}" stroke="#e3e3e3"/>'
            f'<text x="{tick:.1f}" y="12" text-anchor="middle" fill="#555">{year}</text>'
        )
    y = 30
    for kind, start, stop, item, counts in periods:
        ongoing = _date(item.get("end")) is None
        text = _period_label(kind, item, page)
        dates = _span_text(start, stop, ongoing, page)
        x0, x1 = x(start), x(stop)
        parts.append(f'<text x="4" y="{y + 12}">{_e(text)}</text>')
        parts.append(_bar(x0, x1, y + 1, kind, counts=counts, tip=f"{text} {dates}"))
        anchor, at = ("start", x0) if x0 - _LEFT < (right - _LEFT) / 2 else ("end", x1)
        parts.append(
            f'<text x="{at:.1f}" y="{y + 28}" text-anchor="{anchor}" fill="#333">{_e(dates)}</text>'
        )
        y += _ROW
    if as_of is not None:
        line = x(as_of)
        parts.append(
            f'<line x1="{line:.1f}" y1="18" x2="{line:.1f}" y2="{y}" stroke="#c00" '
            f'stroke-width="1.5"/><text x="{line - 4:.1f}" y="{y + 12}" text-anchor="end" '
            f'fill="#c00">{_e(label(page.labels["as_of"], page.lang))} '
            f"{_e(day(as_of, page.lang))}</text>"
        )
        y += 18
    parts.append(_legend(y + 6, page))
    return parts, y + 26


def _gauge(req: dict[str, Any], y: int, page: _Page) -> str:
    """Return the SVG bar of one months requirement: counted, with the required mark."""
    measure = req["measure"]
    counted = float(measure.get("counted", 0) or 0)
    required = float(measure.get("required", 0) or 0)
    scale = max(counted, required, 1.0) * 1.1
    bar = _WIDTH - _LEFT - 10
    fill = bar * counted / scale
    mark = _LEFT + bar * required / scale
    colour = "#2e8b57" if req.get("met") else "#c0392b"
    text = _measure(measure, page)
    return (
        f'<text x="4" y="{y + 14}">{_e(page.requirement(req["id"]))}</text>'
        f'<rect x="{_LEFT}" y="{y + 3}" width="{bar}" height="14" fill="#eee"/>'
        f'<rect x="{_LEFT}" y="{y + 3}" width="{fill:.1f}" height="14" fill="{colour}">'
        f"<title>{_e(text)}</title></rect>"
        f'<line x1="{mark:.1f}" y1="{y}" x2="{mark:.1f}" y2="{y + 20}" stroke="#000" '
        f'stroke-width="2"/><text x="{_LEFT + 4}" y="{y + 32}">{_e(text)}</text>'
    )


def _period_table(periods: list[_Period], page: _Page) -> str:
    """The periods as a table: the same dates as the timeline, in words."""
    labels = page.labels
    head = "".join(f"<th>{_e(labels[key])}</th>" for key in ("kind", "dates", "details", "counts"))
    rows = []
    for kind, start, stop, item, counts in periods:
        ongoing = _date(item.get("end")) is None
        details = [labels["in_field" if item.get("in_field") else "out_field"]]
        fte = item.get("fte")
        if isinstance(fte, int | float) and not isinstance(fte, bool) and fte != 1:
            details.append(
                ("quotité " if page.lang == "fr" else "working time ") + percent(fte, page.lang)
            )
        where = item.get("employer") if kind == "experience" else item.get("host")
        if isinstance(where, str) and where:
            details.append(where)
        cells = (
            labels[kind],
            _span_text(start, stop, ongoing, page),
            ", ".join(details),
            labels["yes" if counts else "no"],
        )
        rows.append("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _timeline(dossier: dict[str, Any], decision: dict[str, Any], page: _Page) -> str:
    """Return the SVG timeline (bars, dates, legend, months gauges) and the period table."""
    as_of = _date(decision.get("as_of"))
    periods = _periods(dossier, decision, as_of)
    gauges = [
        req for req in decision.get("requirements", []) if isinstance(req.get("measure"), dict)
    ]
    if not periods and not gauges:
        return f"<p>{_e(page.labels['no_period'])}</p>"
    parts: list[str] = []
    y = 24
    if periods:
        parts, y = _period_bars(periods, as_of, page)
    for req in gauges:
        parts.append(_gauge(req, y + 8, page))
        y += 46
    height = y + 10
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" role="img" aria-label="{_e(page.labels["timeline"])}">'
        + "".join(parts)
        + "</svg>"
    )
    return svg + (_period_table(periods, page) if periods else "")


def _recorded_at(text: str, page: _Page) -> str:
    """The recording time in Europe/Paris local time, in words; as stored if unreadable."""
    when = stored_timestamp(text)
    return moment(when, page.lang) if when is not None else text


def _dates_sentence(decision: dict[str, Any], page: _Page) -> str:
    """« Recevable jusqu'au … » or « Recevable à partir du … » under the outcome, if said."""
    if not (decision.get("eligible_until") or decision.get("eligible_from")):
        return ""
    from rulekit.dates import dates_text  # noqa: PLC0415 - only decisions with dates

    try:
        text = dates_text(decision, page.lang)
    except ValueError:  # a damaged record: its dates are not shown rather than guessed
        return ""
    return f"<br>{_e(text)}" if text else ""


def render_page(record: Record, lang: str = "fr") -> str:
    """Return the self-contained HTML page of ``record`` in ``lang`` (``fr`` or ``en``)."""
    decision: dict[str, Any] = json.loads(record.decision)
    try:
        dossier: dict[str, Any] = json.loads(record.dossier)
    except ValueError:
        dossier = {}
    cert = decision.get("certification", {})
    page = _Page(
        lang, find_certification(cert.get("id"), decision.get("as_of"), cert.get("ruleset_version"))
    )
    labels = page.labels
    learner = decision.get("learner", {})
    outcome = decision.get("outcome", "")
    eligible = outcome == "eligible"
    who = _e(learner.get("id", "")) + (f" ({_e(learner['name'])})" if learner.get("name") else "")
    summary_rows = [
        ("learner", who),
        ("certification", f"{_e(cert.get('title'))} ({_e(cert.get('rncp'))})"),
        ("track", _e(track_name(decision.get("track"), page.declaration, lang))),
        ("as_of", _e(page.day(decision.get("as_of")))),
        ("recorded_at", _e(_recorded_at(record.recorded_at, page))),
        (
            "outcome",
            f'<span class="badge {"ok" if eligible else "ko"}">'
            f"{_e(labels.get(outcome, outcome))}</span> "
            f'<span class="muted">{_e(labels["jury_decides"])}</span>'
            + _dates_sentence(decision, page),
        ),
    ]
    summary = "".join(f"<tr><th>{_e(labels[k])}</th><td>{v}</td></tr>" for k, v in summary_rows)
    requirements = "".join(_requirement(req, page) for req in decision.get("requirements", []))
    others = decision.get("other_tracks") or []
    other_html = ""
    if others:
        items = []
        for other in others:
            unmet = [page.requirement(i) for i in other.get("unmet", [])]
            verdict = labels["other_met" if not unmet else "other_unmet"]
            name = track_name(other.get("track"), page.declaration, lang)
            detail = f" ({', '.join(unmet)})" if unmet else ""
            items.append(f"{label(name, lang)} {verdict}{detail}")
        other_html = f"<h2>{_e(labels['other_tracks'])}</h2>{_list(items)}"
    provenance = [
        ("seq", record.seq),
        ("hash", record.hash),
        ("prev_hash", record.prev_hash),
        ("plugin", f"{cert.get('plugin')} {cert.get('plugin_version')}"),
        ("ruleset_version", cert.get("ruleset_version")),
        ("ruleset_digest", cert.get("ruleset_digest")),
        ("engine_version", decision.get("engine_version")),
        ("text_version", decision.get("text_version")),
        ("input_digest", decision.get("input_digest")),
    ]
    provenance_rows = "".join(
        f"<tr><th>{_e(labels[k])}</th><td><code>{_e(v)}</code></td></tr>" for k, v in provenance
    )
    title = labels["title"].format(seq=record.seq)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1><table>{summary}</table>"
        f"<h2>{_e(labels['what_missing'])}</h2>{_what_missing(decision, page)}"
        f"{_flags(decision, page)}"
        f"<h2>{_e(labels['requirements'])}</h2>{requirements}{other_html}"
        f"<h2>{_e(labels['waivers'])}</h2>{_waivers(dossier, decision, page)}"
        f"<h2>{_e(labels['timeline'])}</h2>{_timeline(dossier, decision, page)}"
        f"<h2>{_e(labels['record'])} · {_e(labels['rules'])}</h2>"
        f"<table>{provenance_rows}</table>"
        "</body></html>\n"
    )
