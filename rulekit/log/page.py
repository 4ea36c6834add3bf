"""The auditor's page for one recorded decision: one self-contained HTML file.

No script, no font, no image and no style sheet is fetched: the CSS is inline, the
timeline is inline SVG, and a Content-Security-Policy forbids any request, so the page
reads the same offline, years later. It shows the outcome, each requirement with its
evidence, the waivers (who, when, why), the record's hashes and rule set, and a timeline
of the experience and internship periods with the months counted against the months
required.

The page is built from the stored JSON, not from today's models, so that records written
by older versions still render.
"""

from __future__ import annotations

import json
from datetime import date
from html import escape
from typing import Any

from rulekit.calendar import parse_iso_date
from rulekit.log.record import Record
from rulekit.messages import months_text

_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "lang": "fr",
        "title": "Décision enregistrée n° {seq}",
        "learner": "Apprenant",
        "certification": "Certification",
        "track": "Parcours",
        "as_of": "Décision au",
        "recorded_at": "Enregistrée le",
        "outcome": "Résultat",
        "eligible": "Éligible",
        "not_eligible": "Non éligible",
        "requirements": "Exigences",
        "met": "satisfaite",
        "unmet": "non satisfaite",
        "basis": "fondement",
        "missing": "Manque",
        "evidence": "Pièces retenues",
        "not_counted": "Non retenu",
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
        "experience": "Expérience",
        "internship": "Stage",
        "in_field": "dans le champ",
        "out_field": "hors champ",
        "ongoing": "en cours",
        "counted": "{counted} mois retenus / {required} requis",
        "record": "Enregistrement",
        "rules": "Règles appliquées",
        "months": "mois",
        "other_tracks": "Autres parcours",
    },
    "en": {
        "lang": "en",
        "title": "Recorded decision #{seq}",
        "learner": "Learner",
        "certification": "Certification",
        "track": "Track",
        "as_of": "Decision as of",
        "recorded_at": "Recorded at",
        "outcome": "Outcome",
        "eligible": "Eligible",
        "not_eligible": "Not eligible",
        "requirements": "Requirements",
        "met": "met",
        "unmet": "not met",
        "basis": "basis",
        "missing": "Missing",
        "evidence": "Evidence used",
        "not_counted": "Not counted",
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
        "experience": "Experience",
        "internship": "Internship",
        "in_field": "in the field",
        "out_field": "outside the field",
        "ongoing": "ongoing",
        "counted": "{counted} months counted / {required} required",
        "record": "Record",
        "rules": "Rules applied",
        "months": "months",
        "other_tracks": "Other tracks",
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
svg text{font:11px system-ui,sans-serif}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _months(value: object, labels: dict[str, str]) -> str:
    """Return months as the page's language writes them (``17,96`` in French)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return months_text(float(value), labels["lang"])
    return str(value)


def _item_fields(item: dict[str, Any]) -> str:
    parts = [f"{_e(k)}={_e(_fmt(v))}" for k, v in item.items() if k != "type" and v is not None]
    return " ".join(parts)


def _missing(missing: dict[str, Any]) -> str:
    kind = missing.get("kind", "")
    rest = {k: v for k, v in missing.items() if k != "kind"}
    among = rest.pop("among", None)
    text = " ".join(f"{k}={_fmt(v)}" for k, v in rest.items())
    if among:
        text += " among=" + ",".join(str(code) for code in among)
    return f"<li>{_e(kind)} {_e(text)}</li>"


def _requirement(req: dict[str, Any], lang: str, labels: dict[str, str]) -> str:
    met = bool(req.get("met"))
    badge = (
        f'<span class="badge {"ok" if met else "ko"}">{labels["met" if met else "unmet"]}</span>'
    )
    basis = req.get("basis")
    head = f"<h3>{_e(req.get('id'))} {badge}"
    if basis:
        head += f' <span class="muted">{labels["basis"]}: {_e(basis)}</span>'
    head += "</h3>"
    message = req.get("message", {})
    out = [f'<div class="req">{head}<p>{_e(message.get(lang, ""))}</p>']
    measure = req.get("measure")
    if isinstance(measure, dict):
        counted = _months(measure.get("counted"), labels)
        required = _months(measure.get("required"), labels)
        out.append(f"<p>{_e(labels['counted'].format(counted=counted, required=required))}</p>")
    if req.get("missing"):
        items = "".join(_missing(m) for m in req["missing"])
        out.append(f"<p>{labels['missing']}:</p><ul>{items}</ul>")
    if req.get("evidence"):
        rows = "".join(
            f"<tr><td>{_e(ev.get('type'))}</td><td>{_item_fields(ev)}</td></tr>"
            for ev in req["evidence"]
        )
        out.append(f"<p>{labels['evidence']}:</p><table>{rows}</table>")
    if req.get("not_counted"):
        rows = "".join(
            f"<tr><td>{_e(n.get('reason'))}</td><td>{_e(n.get('evidence', {}).get('type'))} "
            f"{_item_fields(n.get('evidence', {}))}</td></tr>"
            for n in req["not_counted"]
        )
        out.append(f"<p>{labels['not_counted']}:</p><table>{rows}</table>")
    out.append("</div>")
    return "".join(out)


def _waivers(dossier: dict[str, Any], decision: dict[str, Any], labels: dict[str, str]) -> str:
    waivers = dossier.get("waivers") or []
    if not waivers:
        return f"<p>{labels['no_waiver']}</p>"
    applied = {
        (ev.get("requirement"), ev.get("granted_by"), ev.get("date"))
        for req in decision.get("requirements", [])
        if req.get("basis") == "waiver"
        for ev in req.get("evidence", [])
    }
    head = "".join(
        f"<th>{labels[key]}</th>"
        for key in ("requirement", "granted_by", "date", "reason", "applied")
    )
    rows = []
    for waiver in waivers:
        key = (waiver.get("requirement"), waiver.get("granted_by"), waiver.get("date"))
        used = labels["yes"] if key in applied else labels["no"]
        cells = "".join(
            f"<td>{_e(waiver.get(field, ''))}</td>"
            for field in ("requirement", "granted_by", "date", "reason")
        )
        rows.append(f"<tr>{cells}<td>{used}</td></tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        return None


_Period = tuple[str, date, date, bool, float, bool]
"""kind, start, end (as-of date when ongoing), in field, fte, ongoing."""

_WIDTH, _LEFT, _ROW = 820, 230, 22


def _periods(dossier: dict[str, Any], as_of: date | None) -> list[_Period]:
    periods: list[_Period] = []
    for kind, key in (("experience", "experience"), ("internship", "internships")):
        for item in dossier.get(key) or []:
            start = _date(item.get("start"))
            if start is None:
                continue
            end = _date(item.get("end"))
            fte = item.get("fte", 1.0)
            fraction = float(fte) if isinstance(fte, int | float) else 1.0
            stop = end or as_of or start
            periods.append((kind, start, stop, bool(item.get("in_field")), fraction, end is None))
    return sorted(periods, key=lambda p: (p[0], p[1]))


def _period_bars(
    periods: list[_Period], as_of: date | None, labels: dict[str, str]
) -> tuple[list[str], int]:
    """Return the SVG of the period bars and the as-of line, and the height used."""
    first = min(p[1] for p in periods)
    last = max([p[2] for p in periods] + ([as_of] if as_of else []))
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return _LEFT + (_WIDTH - _LEFT - 10) * (day - first).days / span

    parts: list[str] = []
    bottom = 24 + _ROW * len(periods)
    step = max(1, (last.year - first.year + 1) // 8)
    for year in range(first.year + 1, last.year + 1, step):
        tick = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{tick:.1f}" y1="14" x2="{tick:.1f}" y2="{bottom}" stroke="#e3e3e3"/>'
            f'<text x="{tick:.1f}" y="11" text-anchor="middle">{year}</text>'
        )
    y = 24
    for kind, start, stop, in_field, fraction, ongoing in periods:
        colour = "#2f6fb0" if kind == "experience" else "#b0632f"
        opacity = 0.35 + 0.65 * min(max(fraction, 0.0), 1.0)
        label = f"{labels[kind]} ({labels['in_field' if in_field else 'out_field']})"
        title = f"{label}: {start.isoformat()} – {stop.isoformat()}"
        if ongoing:
            title += f" ({labels['ongoing']})"
        if kind == "experience":
            title += f", fte {_fmt(fraction)}"
        dash = "" if in_field else ' stroke="#333" stroke-dasharray="3,2"'
        parts.append(
            f'<text x="4" y="{y + 14}">{_e(label)}</text>'
            f'<rect x="{x(start):.1f}" y="{y + 3}" width="{max(x(stop) - x(start), 1.5):.1f}" '
            f'height="14" fill="{colour}" fill-opacity="{opacity:.2f}"{dash}>'
            f"<title>{_e(title)}</title></rect>"
        )
        y += _ROW
    if as_of is not None:
        line = x(as_of)
        parts.append(
            f'<line x1="{line:.1f}" y1="14" x2="{line:.1f}" y2="{y}" stroke="#c00" '
            f'stroke-width="1.5"/><text x="{line - 4:.1f}" y="{y + 12}" text-anchor="end" '
            f'fill="#c00">{_e(labels["as_of"])} {as_of.isoformat()}</text>'
        )
        y += 18
    return parts, y


def _gauge(req: dict[str, Any], y: int, labels: dict[str, str]) -> str:
    """Return the SVG bar of one months requirement: counted, with the required mark."""
    measure = req["measure"]
    counted = float(measure.get("counted", 0) or 0)
    required = float(measure.get("required", 0) or 0)
    scale = max(counted, required, 1.0) * 1.1
    bar = _WIDTH - _LEFT - 10
    fill = bar * counted / scale
    mark = _LEFT + bar * required / scale
    colour = "#2e8b57" if req.get("met") else "#c0392b"
    text = labels["counted"].format(
        counted=_months(counted, labels), required=_months(required, labels)
    )
    return (
        f'<text x="4" y="{y + 14}">{_e(labels.get(req["id"], req["id"]))}</text>'
        f'<rect x="{_LEFT}" y="{y + 3}" width="{bar}" height="14" fill="#eee"/>'
        f'<rect x="{_LEFT}" y="{y + 3}" width="{fill:.1f}" height="14" fill="{colour}">'
        f"<title>{_e(text)}</title></rect>"
        f'<line x1="{mark:.1f}" y1="{y}" x2="{mark:.1f}" y2="{y + 20}" stroke="#000" '
        f'stroke-width="2"/><text x="{_LEFT + 4}" y="{y + 32}">{_e(text)}</text>'
    )


def _timeline(dossier: dict[str, Any], decision: dict[str, Any], labels: dict[str, str]) -> str:
    """Return the SVG timeline: one bar per period, the as-of line, and months gauges."""
    as_of = _date(decision.get("as_of"))
    periods = _periods(dossier, as_of)
    gauges = [
        req for req in decision.get("requirements", []) if isinstance(req.get("measure"), dict)
    ]
    if not periods and not gauges:
        return f"<p>{labels['no_period']}</p>"
    parts: list[str] = []
    y = 24
    if periods:
        parts, y = _period_bars(periods, as_of, labels)
    for req in gauges:
        parts.append(_gauge(req, y + 8, labels))
        y += 46
    height = y + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" role="img" aria-label="{_e(labels["timeline"])}">'
        + "".join(parts)
        + "</svg>"
    )


def render_page(record: Record, lang: str = "fr") -> str:
    """Return the self-contained HTML page of ``record`` in ``lang`` (``fr`` or ``en``)."""
    labels = _LABELS[lang]
    decision: dict[str, Any] = json.loads(record.decision)
    try:
        dossier: dict[str, Any] = json.loads(record.dossier)
    except ValueError:
        dossier = {}
    cert = decision.get("certification", {})
    learner = decision.get("learner", {})
    outcome = decision.get("outcome", "")
    eligible = outcome == "eligible"
    who = _e(learner.get("id", "")) + (f" ({_e(learner['name'])})" if learner.get("name") else "")
    summary_rows = [
        ("learner", who),
        ("certification", f"{_e(cert.get('id'))} ({_e(cert.get('rncp'))}) {_e(cert.get('title'))}"),
        ("track", _e(decision.get("track"))),
        ("as_of", _e(decision.get("as_of"))),
        ("recorded_at", _e(record.recorded_at)),
        (
            "outcome",
            f'<span class="badge {"ok" if eligible else "ko"}">'
            f"{_e(labels.get(outcome, outcome))}</span>",
        ),
    ]
    summary = "".join(f"<tr><th>{labels[k]}</th><td>{v}</td></tr>" for k, v in summary_rows)
    requirements = "".join(
        _requirement(req, lang, labels) for req in decision.get("requirements", [])
    )
    others = decision.get("other_tracks") or []
    other_html = ""
    if others:
        items = "".join(
            f"<li>{_e(t.get('track'))}: {_e(labels.get(t.get('outcome', ''), t.get('outcome')))}"
            f" ({_e(', '.join(t.get('unmet', [])) or '-')})</li>"
            for t in others
        )
        other_html = f"<h2>{labels['other_tracks']}</h2><ul>{items}</ul>"
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
        f"<tr><th>{_e(k)}</th><td><code>{_e(v)}</code></td></tr>" for k, v in provenance
    )
    title = labels["title"].format(seq=record.seq)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1><table>{summary}</table>"
        f"<h2>{labels['requirements']}</h2>{requirements}{other_html}"
        f"<h2>{labels['waivers']}</h2>{_waivers(dossier, decision, labels)}"
        f"<h2>{labels['timeline']}</h2>{_timeline(dossier, decision, labels)}"
        f"<h2>{labels['record']} · {labels['rules']}</h2><table>{provenance_rows}</table>"
        "</body></html>\n"
    )
