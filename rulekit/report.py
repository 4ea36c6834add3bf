"""The text report of a decision, for jury staff, in French or English."""

from __future__ import annotations

from rulekit.codec import CONVERTER
from rulekit.decision import Decision, Evidence, Missing

_LABELS = {
    "fr": {
        "title": "Décision rulekit",
        "learner": "Dossier",
        "certification": "Certification",
        "track": "Parcours",
        "as_of": "Au",
        "outcome": "Résultat",
        "eligible": "ÉLIGIBLE : le dossier peut être transmis au jury",
        "not_eligible": "NON ÉLIGIBLE",
        "met": "OK",
        "unmet": "MANQUE",
        "missing": "manque",
        "evidence": "pièce",
        "not_counted": "non retenu",
        "rules": "Règles",
        "other": "Autres parcours",
    },
    "en": {
        "title": "rulekit decision",
        "learner": "Dossier",
        "certification": "Certification",
        "track": "Track",
        "as_of": "As of",
        "outcome": "Outcome",
        "eligible": "ELIGIBLE: the dossier may go to the jury",
        "not_eligible": "NOT ELIGIBLE",
        "met": "MET",
        "unmet": "UNMET",
        "missing": "missing",
        "evidence": "evidence",
        "not_counted": "not counted",
        "rules": "Rules",
        "other": "Other tracks",
    },
}


def _item(evidence: Evidence) -> str:
    body = CONVERTER.unstructure(evidence.item, type(evidence.item))
    fields = " ".join(f"{key}={value}" for key, value in body.items() if value is not None)
    return f"{evidence.type} {fields}"


def _missing(missing: Missing) -> str:
    body = CONVERTER.unstructure(missing, Missing)
    kind = body.pop("kind")
    among = body.pop("among", None)
    parts = [f"{key}={value}" for key, value in body.items()]
    if among:
        parts.append("among=" + ",".join(among))
    return f"{kind} " + " ".join(parts)


def render(decision: Decision, lang: str = "fr") -> str:
    """Return a readable report of ``decision`` in ``lang`` (``fr`` or ``en``)."""
    labels = _LABELS[lang]
    cert = decision.certification
    learner = decision.learner.id + (f" ({decision.learner.name})" if decision.learner.name else "")
    lines = [
        labels["title"],
        f"{labels['learner']}: {learner}",
        f"{labels['certification']}: {cert.id} ({cert.rncp}) {cert.title}",
        f"{labels['track']}: {decision.track}",
        f"{labels['as_of']}: {decision.as_of.isoformat()}",
        f"{labels['outcome']}: {labels[decision.outcome.value]}",
        "",
    ]
    for requirement in decision.requirements:
        status = labels["met"] if requirement.met else labels["unmet"]
        basis = f" [{requirement.basis.value}]" if requirement.basis else ""
        lines.append(f"[{status}] {requirement.id}{basis}: {getattr(requirement.message, lang)}")
        lines.extend(f"    {labels['missing']}: {_missing(m)}" for m in requirement.missing)
        lines.extend(f"    {labels['evidence']}: {_item(e)}" for e in requirement.evidence)
        lines.extend(
            f"    {labels['not_counted']} ({n.reason}): {_item(n.evidence)}"
            for n in requirement.not_counted
        )
    if decision.other_tracks:
        lines.append("")
        lines.append(f"{labels['other']}:")
        lines.extend(
            f"    {t.track}: {labels[t.outcome.value]} ({', '.join(t.unmet) or '-'})"
            for t in decision.other_tracks
        )
    lines.append("")
    lines.append(
        f"{labels['rules']}: {cert.plugin} {cert.plugin_version}, rule set {cert.ruleset_version} "
        f"{cert.ruleset_digest}, engine {decision.engine_version}, text {decision.text_version}, "
        f"input {decision.input_digest}"
    )
    return "\n".join(lines) + "\n"
