"""The text report of a decision, for jury staff, in French or English.

It is a « Contrôle de recevabilité » ("Eligibility check"), not a decision: it says
whether the dossier meets the certification's requirements so that the jury, which
decides, knows what it holds. What is missing comes first; then the observations for the
jury (flags), then every requirement with its evidence in short (``verbose``: all of it,
with titles). Every item is a sentence in the reader's language (:mod:`rulekit.readable`),
never a code word or ``key=value``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rulekit.decision import Decision, Evidence, Flag, Missing, NotCounted
from rulekit.declaration import Certification
from rulekit.french import day, label, requirement_name, semicolon
from rulekit.json_objects import to_json_object
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

_LABELS = {
    "fr": {
        "title": "Contrôle de recevabilité",
        "learner": "Dossier",
        "certification": "Certification",
        "track": "Parcours",
        "as_of": "Date du contrôle",
        "outcome": "Résultat",
        "eligible": "RECEVABLE — le dossier remplit les conditions\u202f; le jury décide.",
        "not_eligible": "NON RECEVABLE EN L'ÉTAT — des conditions ne sont pas remplies.",
        "what_missing": "Ce qui manque",
        "nothing_missing": "Rien ne manque.",
        "flags": "À l'attention du jury",
        "requirements": "Conditions examinées",
        "missing": "Manque",
        "evidence": "Pièce retenue",
        "evidences": "Pièces retenues",
        "more": "et {n} {autres} (--verbose pour tout afficher)",
        "other": "Autres parcours",
        "other_met": "recevable",
        "other_unmet": "non recevable",
        "rules": "Règles appliquées",
        "footer": "{plugin} {plugin_version}, jeu de règles {ruleset_version} ({digest}), "
        "moteur {engine}, textes {text}, empreinte du dossier {input}",
    },
    "en": {
        "title": "Eligibility check",
        "learner": "Dossier",
        "certification": "Certification",
        "track": "Track",
        "as_of": "Date of the check",
        "outcome": "Outcome",
        "eligible": "ELIGIBLE — the dossier meets the requirements; the jury decides.",
        "not_eligible": "NOT ELIGIBLE AS IT STANDS — some requirements are not met.",
        "what_missing": "What is missing",
        "nothing_missing": "Nothing is missing.",
        "flags": "For the jury's attention",
        "requirements": "Requirements checked",
        "missing": "Missing",
        "evidence": "Evidence used",
        "evidences": "Evidence used",
        "more": "and {n} more (--verbose to show all)",
        "other": "Other tracks",
        "other_met": "eligible",
        "other_unmet": "not eligible",
        "rules": "Rules applied",
        "footer": "{plugin} {plugin_version}, rule set {ruleset_version} ({digest}), "
        "engine {engine}, wording {text}, dossier digest {input}",
    },
}

SHORT = 3
"""Pieces of evidence shown per requirement without ``verbose``."""


def _plain(value: object, kind: type[Any]) -> dict[str, Any]:
    """A decision item as its JSON form, the form :mod:`rulekit.readable` reads.

    Written by :mod:`rulekit.json_objects`, which gives the objects the cattrs converter
    gives (tests/test_codec.py) without importing cattrs.
    """
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    body: dict[str, Any] = to_json_object(value)
    return body


def _evidence_lines(
    items: tuple[Evidence, ...], lang: str, known: dict[str, str], verbose: bool
) -> list[str]:
    labels = _LABELS[lang]
    if not items:
        return []
    plain = [_plain(item, Evidence) for item in items]
    if verbose:
        return [
            f"    {label(labels['evidence'], lang)} {evidence(p, lang, known, verbose=True)}"
            for p in plain
        ]
    shown = [evidence(p, lang, known) for p in plain[:SHORT]]
    if len(plain) > SHORT:
        rest = len(plain) - SHORT
        shown.append(labels["more"].format(n=rest, autres="autre" if rest == 1 else "autres"))
    noun = labels["evidence"] if len(plain) == 1 else labels["evidences"]
    return [f"    {label(noun, lang)} " + semicolon(lang).join(shown)]


def _flag_lines(flags: Iterable[Flag], lang: str, known: dict[str, str]) -> list[str]:
    """Each observation for the jury, with the evidence it points at."""
    lines = []
    for flag in flags:
        lines.append(f"  - {message_text(flag.message, lang)}")
        lines.extend(
            f"      {evidence(_plain(item, Evidence), lang, known)}" for item in flag.evidence
        )
    return lines


def _dates_line(decision: Decision, lang: str) -> str | None:
    """« Recevable jusqu'au … » or « Recevable à partir du … », when the decision says."""
    if decision.eligible_until is None and decision.eligible_from is None:
        return None
    from rulekit.dates import dates_text  # noqa: PLC0415 - only decisions with dates

    return dates_text(_plain(decision, Decision), lang)


def render(
    decision: Decision,
    lang: str = "fr",
    *,
    verbose: bool = False,
    certification: Certification | None = None,
) -> str:
    """Return the readable report of ``decision`` in ``lang`` (``fr`` or ``en``).

    :param verbose: list every piece of evidence, with titles, instead of the first few.
    :param certification: the declaration the decision was taken under, for titles; by
        default the installed one (none installed: codes without titles).
    """
    labels = _LABELS[lang]
    cert = decision.certification
    declaration = certification or find_certification(cert.id, decision.as_of, cert.ruleset_version)
    known = titles(declaration)
    learner = decision.learner.id + (f" ({decision.learner.name})" if decision.learner.name else "")
    lines = [
        labels["title"],
        "",
        f"{label(labels['learner'], lang)} {learner}",
        f"{label(labels['certification'], lang)} {cert.title} ({cert.rncp})",
        f"{label(labels['track'], lang)} {track_name(decision.track, declaration, lang)}",
        f"{label(labels['as_of'], lang)} {day(decision.as_of, lang)}",
        f"{label(labels['outcome'], lang)} {labels[decision.outcome.value]}",
    ]
    when = _dates_line(decision, lang)
    if when is not None:
        lines.append(when)
    lines.extend(["", labels["what_missing"]])
    unmet = [r for r in decision.requirements if not r.met]
    for requirement in unmet:
        name = requirement_name(requirement.id, lang)
        lines.append(f"  {name} — {message_text(requirement.message, lang)}")
        lines.extend(
            f"    {label(labels['missing'], lang)} {missing(_plain(m, Missing), lang, known)}"
            for m in requirement.missing
        )
    if not unmet:
        lines.append(f"  {labels['nothing_missing']}")
    if decision.flags:
        lines.extend(["", labels["flags"], *_flag_lines(decision.flags, lang, known)])
    lines.extend(["", labels["requirements"]])
    for requirement in decision.requirements:
        name = requirement_name(requirement.id, lang)
        cited = [_plain(e, Evidence) for e in requirement.evidence]
        how = basis(requirement.basis.value, lang, cited) if requirement.basis else ""
        lines.append(
            f"  {label(name, lang)} {status(requirement.met, lang)}" + (f", {how}" if how else "")
        )
        lines.append(f"    {message_text(requirement.message, lang)}")
        lines.extend(_evidence_lines(requirement.evidence, lang, known, verbose))
        for entry in requirement.not_counted:
            plain = _plain(entry, NotCounted)
            lines.append(
                f"    {label(not_counted_label(plain, lang), lang)} "
                f"{not_counted(plain, lang, known)}"
            )
    if decision.other_tracks:
        lines.extend(["", labels["other"]])
        for other in decision.other_tracks:
            unmet_names = ", ".join(requirement_name(i, lang) for i in other.unmet)
            verdict = labels["other_met" if not other.unmet else "other_unmet"]
            detail = f" ({unmet_names})" if unmet_names else ""
            name = track_name(other.track, declaration, lang)
            lines.append(f"  {label(name, lang)} {verdict}{detail}")
    footer = labels["footer"].format(
        plugin=cert.plugin,
        plugin_version=cert.plugin_version,
        ruleset_version=cert.ruleset_version,
        digest=cert.ruleset_digest,
        engine=decision.engine_version,
        text=decision.text_version,
        input=decision.input_digest,
    )
    lines.extend(["", f"{label(labels['rules'], lang)} {footer}"])
    return "\n".join(lines) + "\n"
