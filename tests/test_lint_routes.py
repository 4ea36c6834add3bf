"""rulekit.kit.lint_routes: mistakes in access routes and jury compositions, found and placed."""

from __future__ import annotations

from datetime import date

import pytest
from attrs import evolve
from rulekit_aip_12976 import AIP_12976
from rulekit_aip_12976.declaration import JURY_SEATS

from rulekit.declaration import (
    AccessRoute,
    Certification,
    JuryRole,
    JurySeat,
    Registration,
    Route,
    TradeRelation,
)
from rulekit.kit.lint import lint_certification
from rulekit.kit.lint_routes import lint_routes

EMPLOYEE = TradeRelation.EMPLOYEE
EMPLOYER = TradeRelation.EMPLOYER
OPEN = AccessRoute(Route.CONTINUING, open=True, composition="1 président, 2 professionnels")


def _with(*routes: AccessRoute, registration: Registration | None = None) -> Certification:
    return evolve(AIP_12976, routes=routes, registration=registration or AIP_12976.registration)


def _codes(certification: Certification) -> list[tuple[str, str]]:
    return [(f.where, f.code) for f in lint_routes(certification)]


def test_aip_and_a_declaration_without_routes_are_clean() -> None:
    """AIP's six routes and a declaration with none give no finding."""
    assert lint_routes(AIP_12976) == []
    assert lint_routes(evolve(AIP_12976, routes=())) == []


def _seat(
    role: JuryRole = JuryRole.MEMBER,
    relations: tuple[TradeRelation, ...] = (EMPLOYEE,),
    minimum: int = 1,
    maximum: int | None = None,
    voting: bool | None = None,
) -> JurySeat:
    return JurySeat(role, relations, minimum=minimum, maximum=maximum, voting=voting)


@pytest.mark.parametrize(
    ("routes", "expected"),
    [
        ((OPEN, OPEN), [("routes[continuing]", "duplicate-route")]),
        (
            (AccessRoute(Route.INITIAL, open=False, composition="un jury"),),
            [("routes[initial]", "jury-on-closed-route")],
        ),
        (
            (AccessRoute(Route.INITIAL, open=False, seats=JURY_SEATS),),
            [("routes[initial]", "jury-on-closed-route")],
        ),
        (
            (AccessRoute(Route.VAE, open=False, open_since=date(2009, 1, 1)),),
            [("routes[vae].open_since", "open-since-on-closed-route")],
        ),
        (
            (AccessRoute(Route.VAE, open=True),),
            [("routes[vae].composition", "open-route-without-composition")],
        ),
        (
            (evolve(OPEN, open_since=date(2016, 9, 8)),),
            [("routes[continuing].open_since", "route-opens-after-registration")],
        ),
        (
            (evolve(OPEN, seats=(_seat(minimum=2, maximum=1),)),),
            [("routes[continuing].seats[0]", "impossible-seat")],
        ),
        (
            (evolve(OPEN, seats=(_seat(minimum=-1),)),),
            [("routes[continuing].seats[0]", "impossible-seat")],
        ),
        (
            (evolve(OPEN, seats=(_seat(minimum=0, maximum=0),)),),
            [("routes[continuing].seats[0]", "impossible-seat")],
        ),
        (
            (evolve(OPEN, seats=(_seat(relations=()),)),),
            [("routes[continuing].seats[0]", "impossible-seat")],
        ),
        (
            (evolve(OPEN, seats=(_seat(relations=(EMPLOYEE, EMPLOYER)), _seat(minimum=2))),),
            [("routes[continuing].seats[1]", "unreachable-seat")],
        ),
        (
            (evolve(OPEN, seats=(_seat(), _seat(relations=(EMPLOYEE, EMPLOYER)))),),
            [("routes[continuing].seats[1]", "overlapping-seats")],
        ),
        (
            (evolve(OPEN, seats=(_seat(voting=False), _seat(JuryRole.PRESIDENT, voting=False))),),
            [("routes[continuing].seats", "no-voting-seat")],
        ),
    ],
)
def test_each_mistake_is_found_and_placed(
    routes: tuple[AccessRoute, ...], expected: list[tuple[str, str]]
) -> None:
    """Each mistake gives exactly its finding, at its place in the declaration."""
    assert _codes(_with(*routes)) == expected


def test_seats_of_different_roles_do_not_overlap() -> None:
    """A president and a member may both be employees: different roles, different seats."""
    seats = (_seat(JuryRole.PRESIDENT, maximum=1), _seat(minimum=2))
    assert _codes(_with(evolve(OPEN, seats=seats))) == []


def test_plugin_check_lints_routes() -> None:
    """lint_certification, behind ``rulekit plugin check``, includes the route findings."""
    broken = _with(OPEN, OPEN)
    assert ("routes[continuing]", "duplicate-route") in [
        (f.where, f.code) for f in lint_certification(broken)
    ]
    (finding,) = lint_routes(broken)
    assert str(finding) == (
        "aip_12976 v1 routes[continuing]: route continuing is declared twice: which declaration "
        "holds is undefined [duplicate-route]"
    )
