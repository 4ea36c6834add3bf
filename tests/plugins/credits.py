"""A fictitious title asking for a minimum of ECTS credits (core kind ``ects``).

No real certification declares this kind (no seed states a minimum total of credits);
every code, number and title here is made up for the core's tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from rulekit import hookimpl
from rulekit.declaration import Certification, ChoiceGroup, CustomRequirement, Track, Unit

CREDITS = Certification(
    id="credits_00000",
    rncp="RNCP00003",
    title="Fictitious title with a minimum of ECTS credits",
    certifier="Fictitious certifier",
    level=6,
    tracks=(
        Track(
            id="main",
            title="Fictitious track",
            mandatory=(Unit("EEE001", ects=6), Unit("EEE002", ects=6)),
            choices=(ChoiceGroup(1, (Unit("EEE003", ects=4), Unit("EEE004"))),),
        ),
    ),
    validity_years=3,
    custom=(CustomRequirement("ects", "ects", (("minimum", 20),)),),
    waivable=("units", "choice", "ects"),
    sources=("fictitious",),
)


@hookimpl
def rulekit_certifications() -> Sequence[Certification]:
    """Declare the fictitious title."""
    return [CREDITS]
