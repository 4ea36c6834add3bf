"""Lint of access routes and jury compositions (``rulekit plugin check``).

Mistakes in :attr:`rulekit.declaration.Certification.routes` that compile and then make
``rulekit jury check`` (and the route rule) answer wrongly: a route declared twice (which
one holds is undefined), a jury on a closed route, an open route without the fiche's words
for its jury, a route that opens after the registration ends, and structured compositions
that cannot be met: a seat whose bounds contradict each other, a seat nobody may hold, a
seat that earlier seats of the same role always take the members of, a jury where nobody
votes. Each is a :class:`rulekit.kit.lint.Finding`.
"""

from __future__ import annotations

from rulekit.declaration import AccessRoute, Certification, JurySeat
from rulekit.kit.lint import Finding


class _RouteLinter:
    def __init__(self, certification: Certification) -> None:
        self.certification = certification
        self.findings: list[Finding] = []

    def add(self, where: str, code: str, message: str) -> None:
        cert = self.certification
        self.findings.append(Finding(cert.id, cert.version, where, code, message))

    def run(self) -> list[Finding]:
        seen: set[str] = set()
        for route in self.certification.routes:
            name = route.route.value
            where = f"routes[{name}]"
            if name in seen:
                self.add(
                    where,
                    "duplicate-route",
                    f"route {name} is declared twice: which declaration holds is undefined",
                )
            seen.add(name)
            if route.open:
                self._open(route, where)
            else:
                self._closed(route, where)
            self._seats(route, where)
        return self.findings

    def _closed(self, route: AccessRoute, where: str) -> None:
        if route.composition or route.seats:
            self.add(
                where,
                "jury-on-closed-route",
                "the route is closed yet declares a jury composition: either the route is "
                "open or the composition belongs to another route",
            )
        if route.open_since is not None:
            self.add(
                f"{where}.open_since",
                "open-since-on-closed-route",
                f"the route is closed yet declares it is open since {route.open_since}",
            )

    def _open(self, route: AccessRoute, where: str) -> None:
        if not route.composition:
            self.add(
                f"{where}.composition",
                "open-route-without-composition",
                "the route is open but gives no jury composition in the fiche's words: "
                "auditors cannot compare a jury with the fiche",
            )
        registration = self.certification.registration
        since = route.open_since
        if registration is not None and since is not None and since > registration.registered_until:
            self.add(
                f"{where}.open_since",
                "route-opens-after-registration",
                f"the route opens on {since}, after the registration ends on "
                f"{registration.registered_until}: it can never be used",
            )

    def _seats(self, route: AccessRoute, where: str) -> None:
        seats = route.seats
        for index, seat in enumerate(seats):
            self._seat(seat, f"{where}.seats[{index}]")
            earlier: set[object] = set()
            overlapping = False
            for before in seats[:index]:
                if before.role is seat.role:
                    earlier.update(before.relations)
                    overlapping = overlapping or bool(set(before.relations) & set(seat.relations))
            if seat.relations and set(seat.relations) <= earlier:
                self.add(
                    f"{where}.seats[{index}]",
                    "unreachable-seat",
                    f"every {seat.role.value} who could hold this seat holds an earlier seat "
                    "first (a member takes the first seat that fits): nobody ever holds it",
                )
            elif overlapping:
                self.add(
                    f"{where}.seats[{index}]",
                    "overlapping-seats",
                    "an earlier seat of the same role accepts some of the same relations to "
                    "the trade: members fitting both always take the earlier one",
                )
        if seats and all(seat.voting is False for seat in seats):
            self.add(
                f"{where}.seats",
                "no-voting-seat",
                "every seat has a consultative voice only: such a jury cannot decide",
            )

    def _seat(self, seat: JurySeat, where: str) -> None:
        if seat.minimum < 0:
            self.add(where, "impossible-seat", f"minimum {seat.minimum} is negative")
        if seat.maximum is not None and seat.maximum < max(seat.minimum, 1):
            self.add(
                where,
                "impossible-seat",
                f"maximum {seat.maximum} is below the minimum {seat.minimum} (or zero): no "
                "jury can meet it",
            )
        if not seat.relations:
            self.add(
                where,
                "impossible-seat",
                "the seat accepts no relation to the trade: nobody can hold it",
            )


def lint_routes(certification: Certification) -> list[Finding]:
    """Return the findings on the access routes and jury compositions of one declaration."""
    return _RouteLinter(certification).run()
