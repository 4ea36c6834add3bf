"""A declaration skeleton (Python source using :mod:`rulekit.declaration`) from a fiche.

What the fiche states becomes a value, with the fiche's field named in a comment; what it
does not state (the curriculum, experience, internship, validity, whether every bloc is
required, the structured jury composition behind the prose of ``SI_JURY_*``) becomes a
TODO comment, never a guessed value. NSF and ROME codes and former
and new certifications have no field in a declaration: they are kept as module constants
for auditors.
"""

from __future__ import annotations

from datetime import date

from rulekit.kit.pysource import string_literal, wrapped_literal
from rulekit.rncp.fiche import Coded, Fiche, FicheRoute

ROUTE_OF_TAG = {
    "SI_JURY_FI": "INITIAL",
    "SI_JURY_CA": "APPRENTICESHIP",
    "SI_JURY_FC": "CONTINUING",
    "SI_JURY_CQ": "PROFESSIONALISATION",
    "SI_JURY_CL": "INDEPENDENT",
    "SI_JURY_VAE": "VAE",
}
"""The :class:`rulekit.declaration.Route` member each ``SI_JURY_*`` element declares."""
OPEN = {"Oui": True, "Non": False}
"""``ACTIF`` as the export writes it."""


def default_id(fiche: Fiche) -> str:
    """The certification id used when none is given: the fiche number in lower case."""
    return fiche.number.lower()


def _date(day: date) -> str:
    return f"date({day.year}, {day.month}, {day.day})"


def _french(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _codes(name: str, items: tuple[Coded, ...]) -> list[str]:
    if not items:
        return [f"{name}: tuple[str, ...] = ()"]
    lines = [f"{name}: tuple[str, ...] = ("]
    for item in items:
        comment = f"  # {item.label}" if item.label else ""
        line = f"    {string_literal(item.code)},{comment}"
        if len(line) > 100:
            line = line[:99] + "…"
        lines.append(line)
    lines.append(")")
    return lines


def _numbers(name: str, numbers: tuple[str, ...], field: str) -> list[str]:
    if not numbers:
        return [f"{name}: tuple[str, ...] = ()  # {field}: none in the fiche"]
    lines = [f"{name}: tuple[str, ...] = (  # {field}"]
    lines.extend(f"    {string_literal(number)}," for number in numbers)
    lines.append(")")
    return lines


def _blocs(blocs: tuple[Coded, ...]) -> list[str]:
    if not blocs:
        return ["# TODO: the fiche lists no BLOCS_COMPETENCES.", "BLOCS: tuple[Bloc, ...] = ()"]
    lines = ["BLOCS = ("]
    for bloc in blocs:
        lines.append("    Bloc(")
        lines.extend(wrapped_literal(bloc.code, 8))
        lines.extend(wrapped_literal(bloc.label or "TODO: LIBELLE absent from the fiche", 8))
        lines.append("    ),")
    lines.append(")")
    return lines


def _registration(fiche: Fiche) -> list[str]:
    start, end, deadline = fiche.effective, fiche.registered_until, fiche.award_deadline
    if start is None or end is None:
        given = []
        if start is not None:
            given.append(f"DATE_EFFET {_french(start)}")
        if end is not None:
            given.append(f"DATE_FIN_ENREGISTREMENT {_french(end)}")
        if deadline is not None:
            given.append(f"DATE_LIMITE_DELIVRANCE {_french(deadline)}")
        absent = [
            name
            for name, value in (("DATE_EFFET", start), ("DATE_FIN_ENREGISTREMENT", end))
            if value is None
        ]
        lines = [
            f"    # TODO: registration: the fiche has no {' and no '.join(absent)}; "
            "take the dates from the",
            "    # registration decision (JO) and declare Registration(registered_from, "
            "registered_until).",
        ]
        if given:
            lines.append(f"    # The fiche gives: {', '.join(given)}.")
        return lines
    lines = [
        "    registration=Registration(",
        f"        registered_from={_date(start)},  # DATE_EFFET {_french(start)}",
        f"        registered_until={_date(end)},  # DATE_FIN_ENREGISTREMENT {_french(end)}",
    ]
    if deadline is not None:
        french = _french(deadline)
        lines.append(
            f"        award_deadline={_date(deadline)},  # DATE_LIMITE_DELIVRANCE {french}"
        )
    else:
        lines.append("        award_deadline=None,  # no DATE_LIMITE_DELIVRANCE in the fiche")
    lines.append("    ),")
    return lines


def _declared_routes(fiche: Fiche) -> list[FicheRoute]:
    return [route for route in fiche.routes if route.active in OPEN]


def _compositions(routes: list[FicheRoute]) -> dict[str, str]:
    """Each distinct composition prose, by the constant the skeleton names it with."""
    texts: list[str] = []
    for route in routes:
        if route.composition is not None and route.composition not in texts:
            texts.append(route.composition)
    if len(texts) == 1:
        return {texts[0]: "JURY_COMPOSITION"}
    return {text: f"JURY_COMPOSITION_{index}" for index, text in enumerate(texts, 1)}


def _routes(fiche: Fiche) -> list[str]:
    """The ``ROUTES`` constant (and the composition constants), or a note that there is none."""
    if not fiche.routes:
        return ["# The fiche has no SI_JURY_* element: no access route is declared."]
    declared = _declared_routes(fiche)
    names = _compositions(declared)
    lines: list[str] = []
    for text, name in names.items():
        single = f"{name} = {string_literal(text)}"
        if len(single) <= 100:
            lines.append(single)
        else:
            lines += [f"{name} = (", *wrapped_literal(text, 4, ""), ")"]
    lines += [
        "# SI_JURY_*: each route of access, open or closed (ACTIF), with its jury in the fiche's",
        "# words (COMPOSITION). The fiche gives the jury in prose only: the structured form",
        "# (seats) that `rulekit jury check` compares a jury with is a TODO on each open route.",
    ]
    for route in fiche.routes:
        if route.active not in OPEN:
            shown = f"is {route.active!r}" if route.active else "is absent"
            lines.append(
                f"# TODO: {route.tag}: ACTIF {shown} (neither Oui nor Non); declare "
                f"Route.{ROUTE_OF_TAG[route.tag]} from the fiche."
            )
    lines.append("ROUTES = (")
    for route in declared:
        member = f"Route.{ROUTE_OF_TAG[route.tag]}"
        is_open = OPEN[route.active or ""]
        comment = f"    # {route.tag}: ACTIF {route.active}"
        if route.modified is not None:
            comment += f" (DATE_DERNIERE_MODIFICATION {_french(route.modified)})"
        lines.append(comment)
        if route.composition is None:
            lines.append(f"    AccessRoute({member}, open={is_open}, source=SOURCE),")
            continue
        lines += [
            "    AccessRoute(",
            f"        {member},",
            f"        open={is_open},",
            f"        composition={names[route.composition]},",
        ]
        if is_open:
            lines.append("        # TODO: seats: the structured form of this composition.")
        else:
            lines.append(
                "        # TODO: a COMPOSITION on a closed route: which of the two is right?"
            )
        lines += ["        source=SOURCE,", "    ),"]
    lines.append(")")
    return lines


def render_declaration(fiche: Fiche, certification_id: str | None = None) -> str:
    """Return the source of a declaration module for ``fiche``.

    :param certification_id: the id to declare (default :func:`default_id`); the module's
        constant is its upper-case form, as ``rulekit plugin new`` expects.
    """
    cert_id = certification_id or default_id(fiche)
    constant = cert_id.upper()
    title = fiche.title or "TODO: INTITULE absent from the fiche"
    has_registration = fiche.effective is not None and fiche.registered_until is not None
    names = (
        ["AccessRoute", "Bloc", "Certification"]
        if _declared_routes(fiche)
        else ["Bloc", "Certification"]
    )
    if has_registration:
        names.append("Registration")
    if _declared_routes(fiche):
        names.append("Route")
    names.append("Track")
    source = f"France Compétences, fiche {fiche.number}"
    if fiche.published is not None:
        source += f" published {_french(fiche.published)}"
    source += " (RNCP open-data export V4.1)"
    state = ", ".join(
        part
        for part in (
            f"ETAT_FICHE {fiche.state}" if fiche.state else "",
            f"ACTIF {fiche.active}" if fiche.active else "",
        )
        if part
    )

    summary = f'"""{title}, {fiche.number}, as declared data.'
    lines = (
        [summary, ""]
        if len(summary) <= 100
        else [f'"""Fiche {fiche.number}, as declared data.', "", *_docstring_lines(title), ""]
    )
    lines += [
        "Generated by ``rulekit import-rncp`` from France Compétences' open-data export of the "
        "RNCP",
        f"(format V4.1, Licence Ouverte 2.0), fiche {fiche.number}. Each value below is copied "
        "from the",
        "fiche, with the field it comes from; what the fiche does not state is a TODO, never a "
        "guess.",
        "Complete the TODOs from the certifier's rules, and quote the fiche for each rule in",
        f"specs/{cert_id}.md.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    if has_registration:
        lines += ["from datetime import date", ""]
    lines += [f"from rulekit.declaration import {', '.join(names)}", ""]
    single = f"SOURCE = {string_literal(source)}"
    lines += (
        [single] if len(single) <= 100 else ["SOURCE = (", *wrapped_literal(source, 4, ""), ")"]
    )
    if state:
        lines.append(f"# State of the fiche when imported: {state}.")
    lines += ["", "# From the fiche, for auditors: a declaration has no field for them."]
    lines += _codes("NSF_CODES", fiche.nsf)
    lines += _codes("ROME_CODES", fiche.rome)
    lines += _numbers("FORMER_CERTIFICATIONS", fiche.former, "ANCIENNES_CERTIFICATIONS")
    lines += _numbers("NEW_CERTIFICATIONS", fiche.new, "NOUVELLES_CERTIFICATIONS")
    lines += ["", *_blocs(fiche.blocs)]
    lines += ["", *_routes(fiche)]
    lines += [
        "",
        "# TODO: the fiche lists no curriculum: declare the tracks (mandatory units, choice",
        "# groups) from the certifier's rules. A track with no unit is the smallest that compiles.",
        'DEFAULT = Track(id="default", title="TODO: track title", source=SOURCE)',
        "",
        f"{constant} = Certification(",
        f"    id={string_literal(cert_id)},",
        f"    rncp={string_literal(fiche.number)},",
    ]
    lines += _keyword("title", title)
    certifier = ", ".join(fiche.certifiers) or "TODO: CERTIFICATEURS absent from the fiche"
    lines += _keyword("certifier", certifier)
    if fiche.level is not None:
        lines.append(f"    level={fiche.level},  # NOMENCLATURE_EUROPE/NIVEAU {fiche.level_text}")
    else:
        shown = f"is {fiche.level_text!r}" if fiche.level_text else "is absent"
        lines.append(f"    level=0,  # TODO: NOMENCLATURE_EUROPE/NIVEAU {shown}")
    lines.append("    tracks=(DEFAULT,),")
    lines += _registration(fiche)
    lines += [
        "    # TODO: experience, internship: the fiche states none; see the certifier's rules.",
        "    # TODO: validity_years: the fiche states no validity period for blocs (None: they",
        "    # never expire).",
        "    blocs=BLOCS,",
        "    # TODO: blocs_required: whether every bloc must be held; the fiche does not say.",
        "    sources=(SOURCE,),",
        *(["    routes=ROUTES,"] if _declared_routes(fiche) else []),
        ")",
        "",
    ]
    return "\n".join(lines)


def _docstring_lines(text: str) -> list[str]:
    """``text`` as plain lines of at most 100 characters (for a docstring), cut at spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > 100:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, f"{current}."]


def _keyword(name: str, text: str) -> list[str]:
    """``name="text",`` inside the call, wrapped in parentheses when too long."""
    single = f"    {name}={string_literal(text)},"
    if len(single) <= 100:
        return [single]
    return [f"    {name}=(", *wrapped_literal(text, 8, ""), "    ),"]
