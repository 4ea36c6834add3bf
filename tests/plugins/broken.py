"""Fictitious broken plugins: each fails in its own way, and must not take others down."""

from __future__ import annotations

from collections.abc import Sequence

from rulekit import hookimpl
from rulekit.declaration import Certification, ChoiceGroup, Track, Unit


class RaisingPlugin:
    """A plugin whose declaration hook raises."""

    @hookimpl
    def rulekit_certifications(self) -> Sequence[Certification]:
        """Fail on purpose."""
        raise RuntimeError("fictitious failure")


class TracklessPlugin:
    """A plugin declaring a certification with no track (refused at compile time)."""

    @hookimpl
    def rulekit_certifications(self) -> Sequence[Certification]:
        """Declare an unusable certification."""
        return [
            Certification(
                id="demo_trackless",
                rncp="RNCP00002",
                title="Fictitious",
                certifier="Fictitious",
                level=5,
                tracks=(),
            )
        ]


class BadChoicePlugin:
    """A plugin declaring a choice group larger than its units."""

    @hookimpl
    def rulekit_certifications(self) -> Sequence[Certification]:
        """Declare an unsatisfiable choice."""
        track = Track("t", "Fictitious", choices=(ChoiceGroup(3, (Unit("AAA001"),)),))
        return [
            Certification(
                id="demo_badchoice",
                rncp="RNCP00003",
                title="Fictitious",
                certifier="Fictitious",
                level=5,
                tracks=(track,),
            )
        ]
