"""The words of the jury check, in French and English: routes, roles, relations, dates.

French follows French typography: a narrow no-break space (U+202F) before « : » and « ; »
and inside « guillemets », a no-break space (U+00A0) after « n° », dates as « 1er janvier
2009 ».
"""

from __future__ import annotations

from collections.abc import Sequence

from rulekit.declaration import JuryRole, JurySeat, Route, TradeRelation

NNBSP = "\u202f"
"""Narrow no-break space, before French « : », « ; » and inside guillemets."""
NBSP = "\u00a0"
"""No-break space, after « n° »."""

ROUTE_FR = {
    Route.INITIAL: "formation sous statut d'élève ou d'étudiant",
    Route.APPRENTICESHIP: "contrat d'apprentissage",
    Route.CONTINUING: "formation continue",
    Route.PROFESSIONALISATION: "contrat de professionnalisation",
    Route.INDEPENDENT: "candidature individuelle",
    Route.VAE: "validation des acquis de l'expérience",
}
ROUTE_EN = {
    Route.INITIAL: "initial training as a pupil or student",
    Route.APPRENTICESHIP: "apprenticeship",
    Route.CONTINUING: "continuing training",
    Route.PROFESSIONALISATION: "professionalisation contract",
    Route.INDEPENDENT: "individual application",
    Route.VAE: "validation of prior experience",
}

# (singular, plural) of each role, per language.
ROLE_FR = {
    JuryRole.PRESIDENT: ("président", "présidents"),
    JuryRole.VICE_PRESIDENT: ("vice-président", "vice-présidents"),
    JuryRole.MEMBER: ("membre", "membres"),
}
ROLE_EN = {
    JuryRole.PRESIDENT: ("president", "presidents"),
    JuryRole.VICE_PRESIDENT: ("vice-president", "vice-presidents"),
    JuryRole.MEMBER: ("member", "members"),
}
RELATION_FR = {
    TradeRelation.EMPLOYEE: "salarié",
    TradeRelation.EMPLOYER: "employeur",
    TradeRelation.FORMER_TRAINEE: "ancien stagiaire",
    TradeRelation.TRADE_PROFESSIONAL: "professionnel du métier",
    TradeRelation.TEACHING_TEAM: "équipe pédagogique",
    TradeRelation.OTHER: "autre",
}
RELATION_EN = {
    TradeRelation.EMPLOYEE: "employee",
    TradeRelation.EMPLOYER: "employer",
    TradeRelation.FORMER_TRAINEE: "former trainee",
    TradeRelation.TRADE_PROFESSIONAL: "trade professional",
    TradeRelation.TEACHING_TEAM: "teaching team",
    TradeRelation.OTHER: "other",
}


def quoted_fr(text: str) -> str:
    """« text », with narrow no-break spaces inside the guillemets."""
    return f"«{NNBSP}{text}{NNBSP}»"


def either(words: Sequence[str], conjunction: str) -> str:
    """``a``, ``a ou b``, ``a, b ou c`` (``or`` in English)."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def seat_fr(seat: JurySeat, count: int) -> str:
    """« vice-président (salarié ou employeur) », plural when ``count`` > 1."""
    singular, plural = ROLE_FR[seat.role]
    relations = either([RELATION_FR[r] for r in seat.relations], "ou")
    return f"{plural if count > 1 else singular} ({relations})"


def seat_en(seat: JurySeat, count: int) -> str:
    """``vice-president (employee or employer)``, plural when ``count`` > 1."""
    singular, plural = ROLE_EN[seat.role]
    relations = either([RELATION_EN[r] for r in seat.relations], "or")
    return f"{plural if count > 1 else singular} ({relations})"


def routes_fr(routes: Sequence[Route]) -> str:
    """« voie d'accès : formation continue » or « voies d'accès : a, b, c »."""
    label = "voie d'accès" if len(routes) == 1 else "voies d'accès"
    return f"{label}{NNBSP}: {', '.join(ROUTE_FR[r] for r in routes)}"


def routes_en(routes: Sequence[Route]) -> str:
    """``route: continuing training`` or ``routes: a, b, c``."""
    label = "route" if len(routes) == 1 else "routes"
    return f"{label}: {', '.join(ROUTE_EN[r] for r in routes)}"
