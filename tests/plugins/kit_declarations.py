"""Fictitious declarations for the kit's tests: every code, title and date is made up."""

from __future__ import annotations

from datetime import date

from rulekit import hookimpl
from rulekit.declaration import (
    Bloc,
    Certification,
    ChoiceGroup,
    CustomRequirement,
    ExperienceRule,
    InternshipRule,
    Registration,
    Track,
    Unit,
)


def unit(code: str, title: str = "", ects: int | None = None) -> Unit:
    """A fictitious unit; its title defaults to its code."""
    return Unit(code=code, title=title or f"Fictitious {code}", ects=ects)


def certification(**changes: object) -> Certification:
    """A clean fictitious certification, with ``changes`` applied."""
    values: dict[str, object] = {
        "id": "fict_99001",
        "rncp": "RNCP99001",
        "title": "Titre fictif",
        "certifier": "Certificateur fictif",
        "level": 5,
        "tracks": (
            Track(
                id="main",
                title="Fictitious track",
                mandatory=(unit("FIC001"), unit("FIC002")),
                choices=(ChoiceGroup(choose=1, units=(unit("FIC010"), unit("FIC011"))),),
            ),
        ),
    }
    values.update(changes)
    return Certification(**values)  # type: ignore[arg-type]


def track(*mandatory: str, choices: tuple[ChoiceGroup, ...] = (), id: str = "main") -> Track:
    """A fictitious track with these mandatory codes and choice groups."""
    return Track(
        id=id, title="Fictitious", mandatory=tuple(unit(c) for c in mandatory), choices=choices
    )


def group(choose: int, *codes: str) -> ChoiceGroup:
    """A fictitious choice group."""
    return ChoiceGroup(choose=choose, units=tuple(unit(c) for c in codes))


CLEAN = certification()

WITH_PERIODS = certification(
    id="fict_99002",
    rncp="RNCP99002",
    experience=ExperienceRule(months=12, attested_by=("FICEXP",)),
    internship=InternshipRule(months=3, required_below_in_field_months=24, attested_by=("FICEXP",)),
    registration=Registration(date(2020, 1, 31), date(2025, 1, 30)),
    validity_years=3,
    blocs=(Bloc("RNCP99002BC01", "Bloc fictif"),),
    blocs_required=True,
)

CUSTOM = certification(
    id="fict_99003",
    rncp="RNCP99003",
    custom=(CustomRequirement(kind="fict_grade", id="grade", params=(("minimum", 10),)),),
)


class FictitiousPlugin:
    """A plugin object declaring the given certifications (for Registry.from_plugins)."""

    def __init__(self, *certifications: Certification) -> None:
        self.certifications = certifications

    @hookimpl
    def rulekit_certifications(self) -> list[Certification]:
        """Declare the certifications given."""
        return list(self.certifications)
