"""Is this jury lawful? A jury compared with the composition a certification declares.

The composition is the structured one of the route the jury sat for
(:attr:`rulekit.declaration.AccessRoute.seats`). Each member holds the first seat, in the
declaration's order, whose role is the member's and whose relations to the trade include
the member's (``rulekit plugin check`` flags seats of one role whose relations overlap,
where that order would decide). Then each shortfall is a finding:

- ``route_closed``: the route is declared closed; ``route_not_yet_open``: the jury sat
  before the route's ``open_since``;
- ``seat_short``: fewer holders of a seat than its ``minimum`` (a missing vice-president,
  too few professionals); ``seat_excess``: more than its ``maximum``;
- ``voting_mismatch``: a holder votes on a consultative seat (a teaching member voting), or
  has a consultative voice only on a deliberative seat;
- ``member_without_seat``: a member fits no seat the composition provides for.

A jury with no finding is lawful. The rule set is the one in force on the jury's date.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import frozen

from rulekit.decision import Message
from rulekit.declaration import AccessRoute, Certification, JurySeat, Route
from rulekit.digest import ruleset_digest
from rulekit.errors import InputError, RulekitError
from rulekit.french import day
from rulekit.jury import words
from rulekit.jury.io import JuryFileError
from rulekit.jury.model import Jury, Member
from rulekit.registry import Registry, default_registry

CHECK_FORMAT = "rulekit.jury-check/1"
NNBSP = words.NNBSP


class JuryCheckError(RulekitError):
    """The jury cannot be checked: no structured composition, or the route is ambiguous."""


@frozen
class JuryFinding:
    """One shortfall of a jury: a stable ``code``, what it is about, and the sentence.

    ``seat`` is the index of the seat in the route's composition and ``member`` the
    member's position in the jury file (from 1), where they apply.
    """

    code: str
    message: Message
    seat: int | None = None
    member: int | None = None


@frozen
class JuryCheck:
    """The result of a jury check: lawful or not, and why."""

    certification: Certification
    routes: tuple[Route, ...]
    """The route checked, or, when none was named, every open route sharing the composition."""
    jury: Jury
    composition: str
    """The composition in the fiche's words."""
    findings: tuple[JuryFinding, ...]

    @property
    def lawful(self) -> bool:
        """No shortfall was found."""
        return not self.findings

    def summary(self) -> Message:
        """One sentence: lawful, or how many shortfalls."""
        if self.lawful:
            return Message(
                fr="Jury conforme à la composition prévue par la fiche "
                f"({words.routes_fr(self.routes)}).",
                en="The jury matches the composition the RNCP fiche provides for "
                f"({words.routes_en(self.routes)}).",
            )
        count = len(self.findings)
        return Message(
            fr=f"Jury non conforme à la composition prévue par la fiche "
            f"({words.routes_fr(self.routes)}){NNBSP}: {count} écart{'s' if count > 1 else ''}.",
            en=f"The jury does not match the composition the RNCP fiche provides for "
            f"({words.routes_en(self.routes)}): {count} shortfall{'s' if count > 1 else ''}.",
        )

    def to_dict(self) -> dict[str, Any]:
        """The check as plain JSON (format ``rulekit.jury-check/1``)."""
        summary = self.summary()
        findings: list[dict[str, Any]] = []
        for finding in self.findings:
            item: dict[str, Any] = {
                "code": finding.code,
                "message": {"fr": finding.message.fr, "en": finding.message.en},
            }
            if finding.seat is not None:
                item["seat"] = finding.seat
            if finding.member is not None:
                item["member"] = finding.member
            findings.append(item)
        cert = self.certification
        return {
            "format": CHECK_FORMAT,
            "certification": {
                "id": cert.id,
                "rncp": cert.rncp,
                "ruleset_version": cert.version,
                "ruleset_digest": ruleset_digest(cert),
            },
            "routes": [route.value for route in self.routes],
            "date": self.jury.date.isoformat(),
            "composition": self.composition,
            "lawful": self.lawful,
            "summary": {"fr": summary.fr, "en": summary.en},
            "findings": findings,
        }


def _member_fr(member: Member) -> str:
    details = [member.name] if member.name else []
    if member.role.value != "member":
        details.append(words.ROLE_FR[member.role][0])
    details.append(words.RELATION_FR[member.relation])
    return f"Le membre n°{words.NBSP}{member.position} du jury ({', '.join(details)})"


def _member_en(member: Member) -> str:
    details = [member.name] if member.name else []
    if member.role.value != "member":
        details.append(words.ROLE_EN[member.role][0])
    details.append(words.RELATION_EN[member.relation])
    return f"Jury member {member.position} ({', '.join(details)})"


def _short(index: int, seat: JurySeat, count: int) -> JuryFinding:
    need = seat.minimum
    if count == 0:
        has_fr, has_en = "n'en compte aucun", "has none"
    elif count == 1:
        has_fr, has_en = "n'en compte qu'un", "has only 1"
    else:
        has_fr, has_en = f"n'en compte que {count}", f"has only {count}"
    verb = "are" if need > 1 else "is"
    exact = seat.maximum == need
    at_least_fr, at_least_en = ("", "") if exact else ("au moins ", "At least ")
    needed_en = f"{at_least_en}{need} {words.seat_en(seat, need)} {verb} required"
    return JuryFinding(
        "seat_short",
        Message(
            fr=f"Il faut {at_least_fr}{need} {words.seat_fr(seat, need)}, le jury {has_fr}.",
            en=f"{needed_en[0].upper()}{needed_en[1:]}; the jury {has_en}.",
        ),
        seat=index,
    )


def _excess(index: int, seat: JurySeat, count: int) -> JuryFinding:
    most = seat.maximum if seat.maximum is not None else count
    return JuryFinding(
        "seat_excess",
        Message(
            fr=f"La fiche prévoit au plus {most} {words.seat_fr(seat, most)}, "
            f"le jury en compte {count}.",
            en=f"The RNCP fiche provides for at most {most} {words.seat_en(seat, most)}; "
            f"the jury has {count}.",
        ),
        seat=index,
    )


def _voting(index: int, member: Member) -> JuryFinding:
    if member.voting:
        fr = "a voix délibérative, alors que la fiche ne lui donne qu'une voix consultative"
        en = "has a deliberative vote, whereas the RNCP fiche gives this seat a consultative voice"
    else:
        fr = "n'a qu'une voix consultative, alors que la fiche lui donne voix délibérative"
        en = "has a consultative voice only, whereas the RNCP fiche gives this seat a vote"
    return JuryFinding(
        "voting_mismatch",
        Message(fr=f"{_member_fr(member)} {fr}.", en=f"{_member_en(member)} {en}."),
        seat=index,
        member=member.position,
    )


def _without_seat(member: Member) -> JuryFinding:
    return JuryFinding(
        "member_without_seat",
        Message(
            fr=f"{_member_fr(member)} n'occupe aucun siège prévu par la fiche.",
            en=f"{_member_en(member)} holds no seat the RNCP fiche provides for.",
        ),
        member=member.position,
    )


def _seat_of(member: Member, seats: Sequence[JurySeat]) -> int | None:
    for index, seat in enumerate(seats):
        if seat.role is member.role and member.relation in seat.relations:
            return index
    return None


def compare(jury: Jury, seats: Sequence[JurySeat]) -> list[JuryFinding]:
    """Return the shortfalls of ``jury`` against ``seats`` (rules in the module doc)."""
    holders: list[list[Member]] = [[] for _ in seats]
    findings: list[JuryFinding] = []
    unseated: list[Member] = []
    for member in jury.members:
        index = _seat_of(member, seats)
        if index is None:
            unseated.append(member)
        else:
            holders[index].append(member)
    for index, seat in enumerate(seats):
        count = len(holders[index])
        if count < seat.minimum:
            findings.append(_short(index, seat, count))
        if seat.maximum is not None and count > seat.maximum:
            findings.append(_excess(index, seat, count))
    for index, seat in enumerate(seats):
        if seat.voting is None:
            continue
        findings.extend(
            _voting(index, member) for member in holders[index] if member.voting != seat.voting
        )
    findings.extend(_without_seat(member) for member in unseated)
    return findings


def _route_findings(jury: Jury, declared: AccessRoute) -> list[JuryFinding]:
    route = declared.route
    if not declared.open:
        return [
            JuryFinding(
                "route_closed",
                Message(
                    fr=f"La voie d'accès {words.quoted_fr(words.ROUTE_FR[route])} est fermée "
                    f"pour ce titre{NNBSP}: aucun jury ne peut le délivrer par cette voie.",
                    en=f"The access route “{words.ROUTE_EN[route]}” is closed for this title: "
                    "no jury can award it by this route.",
                ),
            )
        ]
    since = declared.open_since
    if since is not None and jury.date < since:
        return [
            JuryFinding(
                "route_not_yet_open",
                Message(
                    fr=f"La voie d'accès {words.quoted_fr(words.ROUTE_FR[route])} n'est ouverte "
                    f"qu'à partir du {day(since, 'fr')}{NNBSP}; le jury siège le "
                    f"{day(jury.date, 'fr')}.",
                    en=f"The access route “{words.ROUTE_EN[route]}” is open only from "
                    f"{day(since, 'en')}; the jury sits on {day(jury.date, 'en')}.",
                ),
            )
        ]
    return []


def _agree(name: str, given: str | None, in_file: str | None) -> str | None:
    if given is not None and in_file is not None and given != in_file:
        raise JuryFileError(
            [InputError(name, f"the file says {in_file!r}, the caller asks for {given!r}")]
        )
    return given if given is not None else in_file


def _route(route: Route | str | None) -> Route | None:
    if not isinstance(route, str):
        return route
    try:
        return Route(route)
    except ValueError:
        options = ", ".join(member.value for member in Route)
        raise JuryFileError([InputError("route", f"{route!r} is not one of {options}")]) from None


def _choose_route(
    certification: Certification, route: Route | None
) -> tuple[tuple[Route, ...], AccessRoute]:
    cert = certification
    if not cert.routes:
        raise JuryCheckError(
            f"{cert.id} declares no access route, hence no jury composition to check against"
        )
    if route is not None:
        declared = cert.route(route)
        if declared is None:
            listing = ", ".join(r.route.value for r in cert.routes)
            raise JuryCheckError(
                f"route: {cert.id} declares no route {route.value!r}; its routes: {listing}"
            )
        return (route,), declared
    structured = [r for r in cert.routes if r.open and r.seats]
    if not structured:
        raise JuryCheckError(
            f"{cert.id} declares no structured jury composition (its fiche gives prose only); "
            "nothing to check against"
        )
    if any(r.seats != structured[0].seats for r in structured[1:]):
        listing = ", ".join(r.route.value for r in structured)
        raise JuryCheckError(
            f"route: {cert.id} declares different compositions for its routes ({listing}): "
            "name the route (--route, or the jury file's route)"
        )
    return tuple(r.route for r in structured), structured[0]


def check(
    jury: Jury,
    certification: str | None = None,
    route: Route | str | None = None,
    *,
    registry: Registry | None = None,
) -> JuryCheck:
    """Compare ``jury`` with the composition ``certification`` declares for ``route``.

    :param certification: the certification id; default the jury file's.
    :param route: the route the jury sat for; default the jury file's, else every open
        route with a structured composition, provided they all share it.
    :raises JuryFileError: when the caller and the file name different certifications or
        routes, neither names a certification, or ``route`` is no route (each with its
        JSON path).
    :raises UnknownCertification: when no plugin declares the certification.
    :raises JuryCheckError: when there is no structured composition to compare with, or
        the route is ambiguous or not declared.
    """
    cert_id = _agree("certification", certification, jury.certification)
    if cert_id is None:
        raise JuryFileError(
            [InputError("certification", "name the certification (--certification or the file)")]
        )
    given = _route(route)
    in_file = jury.route.value if jury.route is not None else None
    route_name = _agree("route", given.value if given is not None else None, in_file)
    chosen = Route(route_name) if route_name is not None else None
    compiled = (registry or default_registry()).certification(cert_id, jury.date)
    declaration = compiled.declaration
    routes, declared = _choose_route(declaration, chosen)
    findings = _route_findings(jury, declared)
    if declared.open:
        if not declared.seats:
            raise JuryCheckError(
                f"{declaration.id} route {declared.route.value}: the fiche gives the jury in "
                f"prose only, with no structured composition to check against: "
                f"{declared.composition or '(no composition)'}"
            )
        findings.extend(compare(jury, declared.seats))
    return JuryCheck(declaration, routes, jury, declared.composition, tuple(findings))
