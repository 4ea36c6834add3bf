"""Chargé d'accompagnement social et professionnel (CASP), RNCP 36625, as declared data.

Every fact below comes from a seed document; specs/casp_36625.md gives the sentence each
one comes from and the interpretation chosen where the seeds are ambiguous.
"""

from __future__ import annotations

from rulekit.declaration import (
    Bloc,
    Certification,
    ChoiceGroup,
    ExperienceCounting,
    ExperienceRule,
    InternshipRule,
    Track,
    Unit,
)

SEED_NATIONAL = (
    "seed 000: Cnam, Titre RNCP Niveau 5 Chargé d'accompagnement social et professionnel"
)
SEED_NOUVELLE_AQUITAINE = "seed 001: Cnam Nouvelle-Aquitaine, programme 2023/2024 to 2025/2026"
SEED_FICHE = "seed 004: France Compétences, fiche RNCP 36625"

# Titles as the seed documents write them.
TITLES = {
    "TET099": "La méthode du récit de vie : se connaître pour mieux accompagner",
    "AST004": "Institutions et acteurs de l'intervention sociale : accueil, information, "
    "orientation",
    "TRS001": "La relation aux publics accompagnés",
    "CCE001": "Outils et démarche de la communication écrite et orale",
    "TET003": "Méthodes de recherche et traitement de l'information : entretiens et "
    "questionnaires professionnels",
    "TET007": "Recherche d'informations : théorie et pratique sur le web",
    "AST005": "Institutions et acteurs de l'intervention sociale : l'accompagnement",
    "AST002": "Champs de la sociologie",
    "TRS002": "La relation aux publics accompagnés : méthodologie de l'accompagnement",
    "CCE003": "Pratiques de l'accueil, de la négociation et de la communication",
    "UEV010": "Géographie urbaine",
    "TET010": "Enjeux sociaux et environnementaux du travail et de l'emploi",
    "PSY001": "Psychopathologie du chômage et de la précarité",
    "UASO04": "Atelier recherche documentaire, recherche de stage et/ou pratique de terrain",
    "UA211G": "Rédaction et soutenance d'un rapport d'expérience en situations d'accompagnement",
    "FPG003": "Projet personnel et professionnel : auto-orientation pédagogique",
    "PST003": "Introduction à la psychologie sociale et des organisations",
}

# ECTS credits printed in seed 001 (Nouvelle-Aquitaine); seed 000 prints none, so the
# national track declares none rather than borrowing these.
ECTS_NOUVELLE_AQUITAINE = {
    "FPG003": 6,
    "CCE001": 4,
    "TET003": 8,
    "TET007": 6,
    "AST004": 6,
    "TRS001": 6,
    "AST005": 6,
    "AST002": 6,
    "TRS002": 6,
    "CCE003": 4,
    "TET010": 6,
    "PST003": 6,
    "UASO04": 6,
    "UA211G": 16,
}


# Seed 000's list, in its order, without the choice group and without UASO03 (the
# experience, declared below as the attestation of the experience rule).
# fmt: off
NATIONAL_MANDATORY = (
    "TET099", "AST004", "TRS001", "CCE001", "TET003", "TET007",
    "AST005", "AST002", "TRS002", "CCE003", "UASO04", "UA211G",
)
# fmt: on
NATIONAL_CHOICE = ("UEV010", "TET010", "PSY001")


EXAM_ONLY = frozenset({"UA211G"})
"""Units acquired by the exam only. UA211G is the experience report: seeds 000 and 001 ask
the learner to have "rédigé, soutenu oralement et validé le rapport d'expérience en
situations d'accompagnement", which an exemption does not do (specs/casp_36625.md)."""


def _unit(code: str, ects: int | None = None) -> Unit:
    acquired_by = ("exam",) if code in EXAM_ONLY else ()
    return Unit(code=code, title=TITLES[code], ects=ects, acquired_by=acquired_by)


NATIONAL = Track(
    id="national",
    title="Parcours national (Cnam)",
    mandatory=tuple(_unit(code) for code in NATIONAL_MANDATORY),
    choices=(ChoiceGroup(choose=1, units=tuple(_unit(code) for code in NATIONAL_CHOICE)),),
    source=SEED_NATIONAL,
)

# Seed 001's list, in its order (ECTS_NOUVELLE_AQUITAINE keeps it), without UASO03.
NOUVELLE_AQUITAINE = Track(
    id="nouvelle-aquitaine",
    title="Parcours Cnam Nouvelle-Aquitaine",
    mandatory=tuple(_unit(code, ects) for code, ects in ECTS_NOUVELLE_AQUITAINE.items()),
    source=SEED_NOUVELLE_AQUITAINE,
)

BLOCS = (
    Bloc("RNCP36625BC01", "Accueil du public en insertion et recueil de la demande"),
    Bloc(
        "RNCP36625BC02",
        "Information et communication auprès des personnes accueillies, des collègues et "
        "des partenaires",
    ),
    Bloc(
        "RNCP36625BC03",
        "Orientation des publics vers les dispositifs/partenaires du champ de l'insertion "
        "sociale et professionnelle",
    ),
    Bloc(
        "RNCP36625BC04",
        "Accompagnement des personnes dans la construction d'un parcours d'insertion "
        "professionnelle",
    ),
    Bloc(
        "RNCP36625BC05",
        "Mobilisation et animation d'un réseau de partenaires dans le champ de l'insertion "
        "sociale et professionnelle",
    ),
    Bloc(
        "RNCP36625BC06",
        "Suivi, bilan, évaluation de la démarche d'insertion et amélioration des pratiques "
        "professionnelles",
    ),
)

CASP_36625 = Certification(
    id="casp_36625",
    rncp="RNCP36625",
    title="Chargé d'accompagnement social et professionnel",
    certifier="Conservatoire national des arts et métiers (Cnam)",
    level=5,
    tracks=(NATIONAL, NOUVELLE_AQUITAINE),
    # Seed 004 (France Compétences) asks 18 months to enter training ("Prérequis à l'entrée
    # en formation / Expérience professionnelle de 18 mois"); seeds 000/001 ask them for the
    # award. The award follows 000/001; the entry prerequisite is a flag for the jury.
    experience=ExperienceRule(
        months=18, counting=ExperienceCounting.ALL, attested_by=("UASO03",), entry_months=18
    ),
    internship=InternshipRule(
        months=3, required_below_in_field_months=18, in_field_only=True, attested_by=("UASO03",)
    ),
    validity_years=None,
    blocs=BLOCS,
    blocs_required=False,
    # The seeds are silent on waivers; the jury assesses professional experience, so the
    # project lets a waiver meet experience and internship only (specs/casp_36625.md).
    waivable=("experience", "internship"),
    sources=(SEED_NATIONAL, SEED_NOUVELLE_AQUITAINE, SEED_FICHE),
)
