"""Accompagnateur en insertion professionnelle (AIP), RNCP 12976, as declared data.

The title is awarded on its four blocs de compétences, each valid five years, while it is
registered in the RNCP (25 June 2004 to 7 September 2016). It is open by continuing
training, professionalisation contract and VAE (since 2009), under one jury composition.
specs/aip_12976.md gives the seed sentences and the choices made.
"""

from __future__ import annotations

from datetime import date

from rulekit.declaration import (
    AccessRoute,
    Bloc,
    Certification,
    JuryRole,
    JurySeat,
    Registration,
    Route,
    Track,
    TradeRelation,
)

SEED_FICHE = "seed 003: RNCP, résumé descriptif de la certification, code RNCP 12976"

BLOCS = (
    Bloc("RNCP12976BC01", "Accueillir et informer les publics"),
    Bloc(
        "RNCP12976BC02",
        "Accompagner et orienter les personnes dans leurs parcours d'insertion "
        "socioprofessionnelle",
    ),
    Bloc("RNCP12976BC03", "Constituer et développer son réseau de partenaires locaux"),
    Bloc(
        "RNCP12976BC04",
        "Concevoir, mettre en place et animer les actions d'aide à l'orientation et à l'insertion",
    ),
)

# The fiche describes no curriculum variants; rulekit needs one track to evaluate, so the
# title has a single track whose requirements are the certification-wide ones.
DEFAULT = Track(id="default", title="Parcours unique (validation par blocs)", source=SEED_FICHE)

# Seed 003, "CONDITIONS D'INSCRIPTION À LA CERTIFICATION / OUI NON / COMPOSITION DES JURYS":
# the same five lines under formation continue, contrat de professionnalisation and VAE.
JURY_COMPOSITION = "\u202f; ".join(
    (
        "1 Président professionnel du métier (salarié, employeur)",
        "1 Vice Président professionnel du métier (salarié, employeur)",
        "1 Représentant de l’équipe pédagogique à titre consultatif",
        "2 Professionnels du métier (salarié, employeur et/ou ancien stagiaire)",
    )
)
"""The four lines of the seed, joined by « ; » (narrow no-break space before it)."""
_IN_TRADE = (TradeRelation.EMPLOYEE, TradeRelation.EMPLOYER)
JURY_SEATS = (
    JurySeat(
        JuryRole.PRESIDENT,
        _IN_TRADE,
        minimum=1,
        maximum=1,
        voting=True,
        wording="1 Président professionnel du métier (salarié, employeur)",
    ),
    JurySeat(
        JuryRole.VICE_PRESIDENT,
        _IN_TRADE,
        minimum=1,
        maximum=1,
        voting=True,
        wording="1 Vice Président professionnel du métier (salarié, employeur)",
    ),
    JurySeat(
        JuryRole.MEMBER,
        (TradeRelation.TEACHING_TEAM,),
        minimum=1,
        voting=False,
        wording="1 Représentant de l’équipe pédagogique à titre consultatif",
    ),
    JurySeat(
        JuryRole.MEMBER,
        (*_IN_TRADE, TradeRelation.FORMER_TRAINEE),
        minimum=2,
        voting=True,
        wording="2 Professionnels du métier (salarié, employeur et/ou ancien stagiaire)",
    ),
)

# The flattened table does not say in which column (OUI or NON) each X stands: a route
# with a jury composition is read as open, one without as closed (specs/aip_12976.md,
# "Access routes"). « dispositif VAE prévu en 2009 » is read as open from 1 January 2009.
ROUTES = (
    AccessRoute(Route.INITIAL, open=False, source=SEED_FICHE),
    AccessRoute(Route.APPRENTICESHIP, open=False, source=SEED_FICHE),
    AccessRoute(
        Route.CONTINUING,
        open=True,
        composition=JURY_COMPOSITION,
        seats=JURY_SEATS,
        source=SEED_FICHE,
    ),
    AccessRoute(
        Route.PROFESSIONALISATION,
        open=True,
        composition=JURY_COMPOSITION,
        seats=JURY_SEATS,
        source=SEED_FICHE,
    ),
    AccessRoute(Route.INDEPENDENT, open=False, source=SEED_FICHE),
    AccessRoute(
        Route.VAE,
        open=True,
        open_since=date(2009, 1, 1),
        composition=JURY_COMPOSITION,
        seats=JURY_SEATS,
        source=SEED_FICHE,
    ),
)

AIP_12976 = Certification(
    id="aip_12976",
    rncp="RNCP12976",
    title="Accompagnateur en insertion professionnelle",
    certifier="Chambre de commerce et d'industrie Seine Mer Normandie",
    level=5,
    tracks=(DEFAULT,),
    registration=Registration(
        registered_from=date(2004, 6, 25),
        registered_until=date(2016, 9, 7),
        award_deadline=None,
    ),
    validity_years=5,
    blocs=BLOCS,
    blocs_required=True,
    # A bloc acquired before the title was registered (2004-06-25, the fiche's registration
    # date) is not a bloc of this title: it does not count (specs/aip_12976.md, Blocs).
    components_from=date(2004, 6, 25),
    sources=(SEED_FICHE,),
    routes=ROUTES,
)
