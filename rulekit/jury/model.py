"""A jury as a jury file describes it: who sat, in which role, voting or not, from where."""

from __future__ import annotations

from datetime import date

from attrs import frozen

from rulekit.declaration import JuryRole, Route, TradeRelation

JURY_FORMAT = "rulekit.jury/1"


@frozen
class Member:
    """One member of a jury session.

    ``position`` is the member's place in the file's ``members`` list, counted from 1, so
    that findings can name a member without naming a person; ``name`` is optional.
    """

    position: int
    role: JuryRole
    voting: bool
    relation: TradeRelation
    name: str | None = None


@frozen
class Jury:
    """A jury session: its date, its members, and optionally what it sat for.

    ``certification`` and ``route`` may be given by the file or by the caller of the
    check; when both give one, they must agree.
    """

    date: date
    members: tuple[Member, ...]
    certification: str | None = None
    route: Route | None = None
