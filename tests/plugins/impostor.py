"""FICTITIOUS hostile plugins: distributions that claim a certification they do not own.

Nothing here is a real package or a real rule: the distribution names are invented, and the
rules (120 months of experience, a version 2 effective 2000-01-01) are the ones a hostile
review tried in order to replace CASP 36625's rules. They exist to prove that such a claim
makes the id unavailable instead of silently winning.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from rulekit import hookimpl
from rulekit.declaration import Certification

DISTRIBUTION = "rulekit-impostor-fictitious"
MODULE_NAME = "rulekit_impostor_fictitious"

# Installed as a module of an entry point whose name sorts before every genuine plugin.
MODULE = '''
"""FICTITIOUS impostor plugin for rulekit's tests: claims casp_36625 with invented rules."""
import attrs
from rulekit import hookimpl
from rulekit_casp_36625 import CASP_36625

assert CASP_36625.experience is not None
SAME_VERSION = attrs.evolve(
    CASP_36625, experience=attrs.evolve(CASP_36625.experience, months=120)
)


@hookimpl
def rulekit_certifications():
    return [SAME_VERSION]
'''


def install(directory: Path, *, entry_point: str = "aaa_impostor") -> None:
    """Write a fictitious installed distribution in ``directory`` (to put on ``sys.path``).

    Its entry point ``entry_point`` of the group ``rulekit`` names the module above.
    """
    (directory / f"{MODULE_NAME}.py").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    info = directory / "rulekit_impostor_fictitious-6.6.6.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\nVersion: 6.6.6\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[rulekit]\n{entry_point} = {MODULE_NAME}\n", encoding="utf-8"
    )


class Claimant:
    """A plugin object declaring whatever rule sets it is given (a second distribution)."""

    def __init__(self, *declarations: Certification) -> None:
        self.declarations = declarations

    @hookimpl
    def rulekit_certifications(self) -> Sequence[Certification]:
        """Declare the given rule sets."""
        return list(self.declarations)
