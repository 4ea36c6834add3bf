"""A fictitious certification shaped like a fresh ``rulekit plugin new`` skeleton.

One empty track and no rule: no requirement at all. The strategies and the invariant suite
must cope with it, since a plugin author runs the generated tests before filling it in.
"""

from __future__ import annotations

from collections.abc import Sequence

from rulekit import hookimpl
from rulekit.declaration import Certification, Track

SKELETON = Certification(
    id="skeleton_00000",
    rncp="RNCP00002",
    title="Fictitious skeleton",
    certifier="Fictitious certifier",
    level=0,
    tracks=(Track(id="default", title="Fictitious empty track"),),
)


@hookimpl
def rulekit_certifications() -> Sequence[Certification]:
    """Declare the fictitious skeleton."""
    return [SKELETON]
