"""Hypothesis strategies for rulekit: dossiers generated from a certification's declaration.

Everything is built from a :class:`~rulekit.declaration.Certification` alone (its tracks,
rules, blocs, validity and registration window), so the same strategies serve every
installed or new plugin::

    from rulekit.testing import strategies as rks

    @given(rks.scenarios(MY_CERTIFICATION))
    def test_something(scenario): ...

Valid dossiers (:mod:`rulekit.testing.scenarios`), each a :class:`Scenario`: a JSON dossier
and the as-of date to evaluate it on:

- :func:`complete_scenarios`: every requirement of one track met, at the boundary as often
  as not (a period exactly long enough, a component acquired on the last day it still
  counts, the as-of date on the last day of the registration window);
- :func:`near_complete_scenarios`: exactly one requirement unmet, by one defect (a unit or
  bloc absent, failed, in progress, dated the day after the as-of date or expired that
  very day; a period one day short; the day before or after the registration window; a
  waiver dated the day after); :attr:`Scenario.expect_unmet` names it;
- :func:`arbitrary_scenarios`: anything valid made of the declaration's vocabulary;
- :func:`scenarios`: any of the three; :func:`additions`: favourable evidence to add.

Dates lean on boundaries (:mod:`rulekit.testing.dates`: anniversaries, month ends,
29 February); periods overlap, come in adjacent pieces, part time or ongoing; units come as
exams, exemptions, VAE or VES; waivers stand in for evidence.

Invalid dossiers (:mod:`rulekit.testing.broken`): :func:`broken_dossiers` breaks one field
in one of the ways the validator rejects, or the document or its JSON text, and gives the
JSON path the error must carry.

Declarations: :func:`small_tracks` and :func:`small_certifications` make tiny fictitious
certifications whose tracks share units between mandatory and choice slots, to check unit
matching against brute force.

All generated people, bodies and codes are fictitious.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from rulekit.declaration import Certification, ChoiceGroup, Track, Unit
from rulekit.testing.broken import BrokenDossier, broken_dossiers
from rulekit.testing.dates import as_of_dates, dates_between
from rulekit.testing.scenarios import (
    Addition,
    Scenario,
    additions,
    arbitrary_scenarios,
    complete_scenarios,
    near_complete_scenarios,
    scenarios,
)

__all__ = [
    "GENERATED_UNIT_CODES",
    "Addition",
    "BrokenDossier",
    "Scenario",
    "additions",
    "arbitrary_scenarios",
    "as_of_dates",
    "broken_dossiers",
    "complete_scenarios",
    "dates_between",
    "near_complete_scenarios",
    "scenarios",
    "small_certifications",
    "small_tracks",
]

GENERATED_UNIT_CODES = ("ZZA001", "ZZB002", "ZZC003", "ZZD004", "ZZE005", "ZZF006")
"""Fictitious unit codes for generated tracks."""


@st.composite
def small_tracks(draw: st.DrawFn, codes: Sequence[str] = GENERATED_UNIT_CODES) -> Track:
    """A small track over ``codes`` whose units are shared by mandatory slots and groups.

    Up to three mandatory units and three choice groups ("N among these"), drawn from a
    pool of at most six codes, so that one unit often fits several slots.
    """
    pool = draw(st.lists(st.sampled_from(sorted(set(codes))), min_size=1, max_size=6, unique=True))
    mandatory = draw(st.lists(st.sampled_from(pool), max_size=3, unique=True))
    group = st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True).flatmap(
        lambda units: st.tuples(st.integers(1, len(units)), st.just(units))
    )
    groups = draw(st.lists(group, min_size=0 if mandatory else 1, max_size=3))
    return Track(
        id="generated",
        title="Parcours généré (fictif)",
        mandatory=tuple(Unit(code) for code in mandatory),
        choices=tuple(ChoiceGroup(n, tuple(Unit(code) for code in units)) for n, units in groups),
        source="rulekit.testing.strategies (fictitious)",
    )


def small_certifications(
    codes: Sequence[str] = GENERATED_UNIT_CODES,
) -> st.SearchStrategy[Certification]:
    """A fictitious certification with one small track (see :func:`small_tracks`)."""
    return small_tracks(codes).map(
        lambda track: Certification(
            id="generated",
            rncp="RNCP0",
            title="Certification générée (fictive)",
            certifier="Certificateur fictif",
            level=5,
            tracks=(track,),
        )
    )
