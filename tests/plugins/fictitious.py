"""A fictitious certification for the core's tests: every code, date and number is made up."""

from __future__ import annotations

from collections.abc import Sequence
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

DEMO = Certification(
    id="demo_00000",
    rncp="RNCP00000",
    title="Fictitious title for tests",
    certifier="Fictitious certifier",
    level=5,
    tracks=(
        Track(
            id="alpha",
            title="Fictitious track alpha",
            mandatory=(Unit("AAA001"), Unit("AAA002")),
            choices=(ChoiceGroup(1, (Unit("AAA002"), Unit("BBB001"))),),
        ),
        Track(id="beta", title="Fictitious track beta", mandatory=(Unit("CCC001"),)),
    ),
    experience=ExperienceRule(months=6, attested_by=("XXX001",)),
    internship=InternshipRule(months=2, required_below_in_field_months=6),
    registration=Registration(date(2020, 1, 1), date(2022, 12, 31), date(2023, 12, 31)),
    validity_years=2,
    blocs=(Bloc("RNCP00000BC01", "Fictitious bloc"),),
    blocs_required=True,
    waivable=("units", "choice", "experience", "internship", "blocks", "registration"),
    sources=("fictitious",),
)


@hookimpl
def rulekit_certifications() -> Sequence[Certification]:
    """Declare the fictitious certification."""
    return [DEMO]


WITH_CUSTOM = Certification(
    id="demo_custom",
    rncp="RNCP00001",
    title="Fictitious title with a plugin-defined requirement",
    certifier="Fictitious certifier",
    level=6,
    tracks=(Track(id="only", title="Fictitious", mandatory=(Unit("AAA001"),)),),
    custom=(CustomRequirement("minimum_grade", "report_grade", (("code", "AAA001"), ("min", 14))),),
    waivable=("units", "report_grade"),
)
