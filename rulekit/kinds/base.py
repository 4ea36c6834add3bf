"""What a requirement kind declares, in one place, for every part of rulekit that needs it.

A kind (units, choice, experience, internship, blocks, registration, ects, or a plugin's
own) is one object registered through the hook ``rulekit_rule_types``. Everything that
must know about a kind asks the kind:

- the engine compiles a declaration by asking each kind for its rules
  (:meth:`Kind.requirements` for the declaration fields it reads, :meth:`Kind.build` for
  a :class:`~rulekit.declaration.CustomRequirement` of its ``kind``);
- replay names the declaration fields a requirement depends on (:meth:`Kind.fields`);
- ``rulekit plugin check`` lints with :meth:`Kind.lint` and builds witnesses with
  :meth:`Kind.witness` and :meth:`Kind.explain`;
- the reference evaluator of the differential check uses :meth:`Kind.reference`, written
  from the specs and sharing no code with the kind's evaluation;
- the Hypothesis strategies ask :meth:`Kind.defects` and :meth:`Kind.scenario` what a
  near-complete dossier may lack and how to build one.

Every method has a default that does nothing, so a plugin's rule type that only has
``kind`` and ``build`` (the protocol :class:`rulekit.rules.RuleType`) is a kind too:
:func:`as_kind` wraps it. The objects the witness and strategy methods receive are typed
here for the reader only (``TYPE_CHECKING``): importing a kind never imports the kit or
Hypothesis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from attrs import frozen

from rulekit.declaration import Certification, CustomRequirement, Track
from rulekit.rules import Rule, RuleType

if TYPE_CHECKING:
    from rulekit.decision import Flag, RequirementResult
    from rulekit.engine.context import Context
    from rulekit.kit.witness import WitnessPlan
    from rulekit.testing.reference import Plain
    from rulekit.testing.scenarios import ScenarioPlan


@frozen
class LintIssue:
    """A mistake a kind finds in a declaration: where, a stable code, and why it matters."""

    where: str
    code: str
    message: str


class Kind:
    """A requirement kind; subclass it and override what the kind needs (see module doc)."""

    kind: ClassVar[str] = ""
    """The kind's name, as a :class:`CustomRequirement` names it."""
    requirement_ids: ClassVar[tuple[str, ...]] = ()
    """The requirement ids this kind produces from dedicated declaration fields (reserved:
    a custom requirement may not reuse them)."""
    builds_scenarios: ClassVar[bool] = False
    """Whether :meth:`scenario` builds evidence for this kind's custom requirements; the
    strategies waive those of kinds that do not (they cannot meet them otherwise)."""

    # -- compiling ------------------------------------------------------------------------

    def requirements(self, certification: Certification, track: Track) -> Sequence[Rule]:
        """Return this kind's rules for ``track``, read from the declaration's own fields.

        A rule that does not depend on the track must compare equal for every track (frozen
        attrs do): the compiler shares it, and evaluation computes it once per dossier.
        """
        return ()

    def build(self, requirement: CustomRequirement, certification: Certification) -> Rule:
        """Return the rule of one custom requirement of this kind.

        :raises ValueError: when ``requirement.params`` do not fit this kind.
        """
        raise ValueError(f"kind {self.kind!r} is not declared through custom requirements")

    def asks(self, certification: Certification, track: Track) -> bool:
        """Whether this kind asks ``track`` for evidence (lint: a track asking nothing)."""
        return bool(self.requirements(certification, track))

    def flags(
        self,
        ctx: Context,
        certification: Certification,
        results: Mapping[str, RequirementResult],
    ) -> Iterable[Flag]:
        """Observations for the jury on this dossier, which never change the outcome.

        ``results``: the reported track's requirements by id (specs/core.md, "Flags").
        """
        return ()

    def fields(self, requirement_id: str) -> tuple[str, ...]:
        """Declaration paths the requirement depends on (``{track}``: the decision's track).

        Replay lists a changed field under the requirements it may explain.
        """
        return (f"custom[{requirement_id}]",)

    # -- lint and witnesses -----------------------------------------------------------------

    def lint(self, certification: Certification) -> Iterable[LintIssue]:
        """Return the mistakes the compiler lets through in this kind's part of a declaration."""
        return ()

    def witness_date(self, plan: WitnessPlan) -> None:
        """Move ``plan.as_of`` (and its enrolment date) to a day this kind can be met on."""

    def witness(self, plan: WitnessPlan) -> None:
        """Add to ``plan`` the most favourable evidence this kind's requirements need."""

    def explain(self, plan: WitnessPlan, requirement_id: str, message: str) -> tuple[str, bool]:
        """Say why the most favourable dossier leaves ``requirement_id`` unmet.

        Return the reason and whether it proves that no dossier can meet it. By default the
        builder cannot tell: it made no evidence for this kind.
        """
        return (
            f"requirement of plugin rule type {self.kind!r}: the witness builder cannot make "
            "evidence for it, so this is not a proof; add a conformance case that meets it",
            False,
        )

    # -- the differential check and the strategies ----------------------------------------

    def reference(
        self,
        certification: Certification,
        track: Track,
        dossier: Mapping[str, Any],
        as_of: date,
        plain: Plain,
    ) -> Mapping[str, bool] | None:
        """Return, for each requirement of this kind in ``track``, whether it is met.

        Written from the specs with the plain helpers of ``plain`` (day-by-day counting,
        brute-force matching), never with the kind's own evaluation; before waivers.
        ``None``: this kind has no reference semantics (the check is then skipped).
        """
        return None

    def defects(self, certification: Certification, track: Track) -> Sequence[tuple[str, str]]:
        """Every ``(requirement id, defect)`` a near-complete dossier may have for this kind."""
        return ()

    def never_unmet(self, certification: Certification) -> bool:
        """Whether this kind's requirement can never be unmet (so no defect can break it)."""
        return False

    def prepare(self, plan: ScenarioPlan) -> None:
        """Adjust a generated dossier's plan (what is waived) before anything is drawn."""

    def scenario_dates(self, plan: ScenarioPlan) -> tuple[date, date | None] | None:
        """Draw the as-of and enrolment dates this kind's requirements (or defect) need.

        ``None``: this kind does not constrain them (the first kind that does decides).
        """
        return None

    def scenario(self, plan: ScenarioPlan) -> None:
        """Add to a generated dossier what this kind's requirements need (or the defect)."""


class PluginKind(Kind):
    """A plugin's rule type that has only ``kind`` and ``build``."""

    def __init__(self, rule_type: RuleType) -> None:
        self.rule_type = rule_type

    @property
    def kind(self) -> str:  # type: ignore[override]
        """The wrapped rule type's kind."""
        return self.rule_type.kind

    def build(self, requirement: CustomRequirement, certification: Certification) -> Rule:
        """Build with the wrapped rule type."""
        return self.rule_type.build(requirement, certification)


def as_kind(rule_type: RuleType | Kind) -> Kind:
    """Return ``rule_type`` as a :class:`Kind` (wrapping a bare ``kind``/``build`` object)."""
    return rule_type if isinstance(rule_type, Kind) else PluginKind(rule_type)


def track_rules(
    certification: Certification, track: Track, kinds: Sequence[Kind]
) -> list[tuple[Kind, Rule]]:
    """Return every rule of ``track`` with its kind, in decision order.

    Kinds' own rules first, in the order the kinds are registered (the core's first), then
    custom requirements in declaration order.

    :raises ValueError: naming a custom requirement whose kind is unknown or refuses it.
    """
    rules = [(kind, rule) for kind in kinds for rule in kind.requirements(certification, track)]
    by_name = {kind.kind: kind for kind in kinds}
    for custom in certification.custom:
        kind = by_name.get(custom.kind)
        if kind is None:
            raise ValueError(f"requirement {custom.id!r} has unknown kind {custom.kind!r}")
        try:
            rules.append((kind, kind.build(custom, certification)))
        except ValueError as exc:
            raise ValueError(f"requirement {custom.id!r}: {exc}") from exc
    return rules


def kind_of(requirement_id: str, certification: Certification, kinds: Sequence[Kind]) -> Kind:
    """Return the kind that produces ``requirement_id`` in ``certification``.

    :raises KeyError: when no kind does.
    """
    for kind in kinds:
        if requirement_id in kind.requirement_ids:
            return kind
    by_name = {kind.kind: kind for kind in kinds}
    for custom in certification.custom:
        if custom.id == requirement_id and custom.kind in by_name:
            return by_name[custom.kind]
    raise KeyError(requirement_id)


def reserved_ids(kinds: Iterable[Kind]) -> frozenset[str]:
    """Return the requirement ids the kinds reserve for their dedicated fields."""
    return frozenset(rid for kind in kinds for rid in kind.requirement_ids)
