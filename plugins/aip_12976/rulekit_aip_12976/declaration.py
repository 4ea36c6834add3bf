"""Accompagnateur en insertion professionnelle (AIP), RNCP 12976, as declared data.

The title is awarded on its four blocs de compétences, each valid five years, while it is
registered in the RNCP (25 June 2004 to 7 September 2016). specs/aip_12976.md gives the
seed sentences and the choices made.
"""

from __future__ import annotations

from datetime import date

from rulekit.declaration import Bloc, Certification, Registration, Track

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
    sources=(SEED_FICHE,),
)
