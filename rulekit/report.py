"""The text report of a decision, for jury staff, in French or English."""

from __future__ import annotations

from rulekit.codec import CONVERTER
from rulekit.decision import Decision, Evidence, Missing
from rulekit.dossier import BlockResult, Experience, Internship, UnitResult, Via, Waiver

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


_WORDS = {
    "fr": {
        "passed": "validée",
        "failed": "échouée",
        "in_progress": "en cours",
        "exemption": "par dispense",
        "vae": "par VAE",
        "ves": "par VES",
        "grade": "note",
        "ongoing": "en cours",
        "in_field": "dans le champ",
        "out_of_field": "hors champ",
        "fte": "temps de travail",
        "waiver": "dérogation",
        "enrolled": "inscription le",
        "by": "par",
        "on": "le",
        "experience": "expérience",
        "internship": "stage",
        "after_as_of": "postérieur à la date de décision",
        "expired": "expiré",
    },
    "en": {
        "passed": "passed",
        "failed": "failed",
        "in_progress": "in progress",
        "exemption": "by exemption",
        "vae": "by VAE",
        "ves": "by VES",
        "grade": "grade",
        "ongoing": "ongoing",
        "in_field": "in the field",
        "out_of_field": "out of the field",
        "fte": "working time",
        "waiver": "waiver",
        "enrolled": "enrolled on",
        "by": "by",
        "on": "on",
        "experience": "experience",
        "internship": "internship",
        "after_as_of": "after the decision date",
        "expired": "expired",
    },
}


def _item(evidence: Evidence, lang: str) -> str:
    words = _WORDS[lang]
    item = evidence.item
    if isinstance(item, UnitResult | BlockResult):
        text = f"{item.code} {words[item.result.value]}"
        text += f" {words['on']} {item.date.isoformat()}" if item.date else ""
        if isinstance(item, UnitResult):
            if item.via is not Via.EXAM:
                text += f" {words[item.via.value]}"
            if item.grade is not None:
                text += f" ({words['grade']} {item.grade:g})"
        return text
    if isinstance(item, Experience | Internship):
        end = item.end.isoformat() if item.end else words["ongoing"]
        field = words["in_field"] if item.in_field else words["out_of_field"]
        text = f"{words[evidence.type]} {item.start.isoformat()} → {end}, {field}"
        if isinstance(item, Experience) and item.fte != 1:
            text += f", {words['fte']} {item.fte:g}"
        where = item.employer if isinstance(item, Experience) else item.host
        return text + (f" ({where})" if where else "")
    if isinstance(item, Waiver):
        return (
            f"{words['waiver']} {item.requirement} {words['by']} {item.granted_by} "
            f"{words['on']} {item.date.isoformat()}: {item.reason}"
        )
    return f"{words['enrolled']} {item.enrolled_on.isoformat()}"


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
        lines.extend(f"    {labels['evidence']}: {_item(e, lang)}" for e in requirement.evidence)
        lines.extend(
            f"    {labels['not_counted']} ({_WORDS[lang][n.reason]}): {_item(n.evidence, lang)}"
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
