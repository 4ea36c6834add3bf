"""A FICTITIOUS certification with two rule-set versions, for the audit tests only.

Nothing here is a real title: the id, the RNCP code, the unit codes, the months and the
dates are invented to exercise versioned rule sets (a unit replaced and a longer
experience from a given date), never to describe a real certification.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rulekit import hookimpl
from rulekit.declaration import (
    Certification,
    ChoiceGroup,
    ExperienceRule,
    InternshipRule,
    Track,
    Unit,
)
from rulekit.registry import PluginInfo, Registry

CERTIFICATION_ID = "fictitious_title"
DISTRIBUTION = "rulekit-fictitious-versions"
SOURCE = "fictitious: invented for rulekit's tests"


def _track(mandatory: tuple[str, ...]) -> Track:
    return Track(
        id="main",
        title="Fictitious track",
        mandatory=tuple(Unit(code, f"Fictitious unit {code}") for code in mandatory),
        choices=(ChoiceGroup(choose=1, units=(Unit("FIC201"), Unit("FIC202"))),),
        source=SOURCE,
    )


VERSION_1 = Certification(
    id=CERTIFICATION_ID,
    rncp="RNCP0",
    title="Fictitious title (tests only)",
    certifier="Fictitious certifier",
    level=5,
    tracks=(_track(("FIC101", "FIC102", "FIC103")),),
    experience=ExperienceRule(months=12),
    internship=InternshipRule(months=2, required_below_in_field_months=12),
    version="1",
    effective_from=date(2020, 1, 1),
    waivable=("units", "experience", "internship"),
    sources=(SOURCE,),
)

# Version 2: FIC103 replaced by FIC104 and 18 months of experience, from 2023-09-01.
VERSION_2 = Certification(
    id=CERTIFICATION_ID,
    rncp="RNCP0",
    title="Fictitious title (tests only)",
    certifier="Fictitious certifier",
    level=5,
    tracks=(_track(("FIC101", "FIC102", "FIC104")),),
    experience=ExperienceRule(months=18),
    internship=InternshipRule(months=2, required_below_in_field_months=12),
    version="2",
    effective_from=date(2023, 9, 1),
    waivable=("units", "experience", "internship"),
    sources=(SOURCE,),
)


class FictitiousPlugin:
    """A plugin object declaring the rule sets it is given."""

    def __init__(self, *declarations: Certification) -> None:
        self.declarations = declarations

    @hookimpl
    def rulekit_certifications(self) -> Sequence[Certification]:
        """Declare the fictitious rule sets."""
        return list(self.declarations)


def plugin_info(*declarations: Certification, version: str = "0.1.0") -> PluginInfo:
    """Return the fictitious plugin, as distribution ``version``, declaring ``declarations``."""
    chosen = declarations or (VERSION_1, VERSION_2)
    return PluginInfo("fictitious_versions", DISTRIBUTION, version, FictitiousPlugin(*chosen))


def registry(*declarations: Certification, version: str = "0.1.0") -> Registry:
    """Return a registry holding only the fictitious plugin (both versions by default)."""
    return Registry.from_plugins([plugin_info(*declarations, version=version)])
