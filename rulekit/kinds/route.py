"""Kind ``route``: the dossier's route of access is open for the title on the as-of date.

RNCP fiches state, for each route of access (voie d'accès), whether it is open and which
jury composition applies (seed 003's table "CONDITIONS D'INSCRIPTION À LA CERTIFICATION";
the export's ``SI_JURY_*`` elements). When a certification declares its routes and the
dossier gives its ``route``, the requirement ``route`` is met iff that route is declared
open on the as-of date (``open_since`` on or before it). When the certification declares
routes and the dossier gives none, no requirement appears: the flag ``route_not_given``
tells the jury (specs/core.md, "Access routes").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from attrs import frozen

from rulekit.decision import Basis, Flag, Message, Missing, RequirementResult
from rulekit.declaration import AccessRoute, Certification, Route, Track
from rulekit.engine.context import Context
from rulekit.french import colon, day
from rulekit.kinds.base import Kind
from rulekit.rules import Rule

if TYPE_CHECKING:
    from rulekit.testing.reference import Plain

ID = "route"
"""The requirement id of this kind."""

NAMES: dict[Route, tuple[str, str]] = {
    Route.INITIAL: (
        "formation initiale (élève ou étudiant)",
        "initial training (pupil or student)",
    ),
    Route.APPRENTICESHIP: ("contrat d'apprentissage", "apprenticeship"),
    Route.CONTINUING: ("formation continue", "continuing education"),
    Route.PROFESSIONALISATION: ("contrat de professionnalisation", "professionalisation contract"),
    Route.INDEPENDENT: ("candidature individuelle", "independent application"),
    Route.VAE: (
        "validation des acquis de l'expérience (VAE)",
        "accreditation of prior experience (VAE)",
    ),
}
"""Each route as RNCP fiches name it, in French and English."""


def is_open(declared: AccessRoute | None, on: date) -> bool:
    """Whether a declared route is open on ``on`` (``open_since`` on or before it)."""
    if declared is None or not declared.open:
        return False
    return declared.open_since is None or declared.open_since <= on


@frozen
class RouteOpen:
    """The dossier's route is one the certification declares open on the as-of date."""

    routes: tuple[AccessRoute, ...]
    id: str = ID

    def applies(self, ctx: Context) -> bool:
        """Only a dossier that gives its route is checked (else the flag tells the jury)."""
        return ctx.dossier.route is not None

    def evaluate(self, ctx: Context) -> RequirementResult:
        """Return whether the route is open, or why not (closed, not open yet, unknown)."""
        route = ctx.dossier.route
        assert route is not None
        declared = next((r for r in self.routes if r.route is route), None)
        fr, en = NAMES[route]
        if is_open(declared, ctx.as_of):
            return RequirementResult(
                id=self.id,
                met=True,
                basis=Basis.ROUTE_OPEN,
                missing=(),
                evidence=(),
                message=Message(
                    fr=f"Voie d'accès{colon('fr')} {fr}, ouverte pour ce titre à cette date.",
                    en=f"Route of access: {en}, open for this title on that date.",
                ),
            )
        if declared is not None and declared.open and declared.open_since is not None:
            since_fr, since_en = day(declared.open_since, "fr"), day(declared.open_since, "en")
            return _closed(
                Missing(kind="route", reason="route_not_yet_open", date=declared.open_since),
                f"Voie d'accès non encore ouverte à cette date{colon('fr')} {fr}, ouverte "
                f"à partir du {since_fr}.",
                f"Route of access not yet open on that date: {en}, open from {since_en}.",
            )
        return _closed(
            Missing(kind="route", reason="route_closed"),
            f"Voie d'accès non ouverte pour ce titre{colon('fr')} {fr}.",
            f"Route of access not open for this title: {en}.",
        )


def _closed(missing: Missing, fr: str, en: str) -> RequirementResult:
    return RequirementResult(
        id=ID,
        met=False,
        basis=None,
        missing=(missing,),
        evidence=(),
        message=Message(fr=fr, en=en),
    )


class RouteKind(Kind):
    """The access routes a certification declares (voies d'accès)."""

    kind = ID
    requirement_ids = (ID,)

    def requirements(self, certification: Certification, track: Track) -> Sequence[Rule]:
        """One ``route`` rule, shared by every track, when the certification declares routes."""
        return (RouteOpen(certification.routes),) if certification.routes else ()

    def asks(self, certification: Certification, track: Track) -> bool:
        """A route asks for no evidence."""
        return False

    def fields(self, requirement_id: str) -> tuple[str, ...]:
        """The declared routes."""
        return ("routes",)

    def flags(
        self,
        ctx: Context,
        certification: Certification,
        results: Mapping[str, RequirementResult],
    ) -> Iterable[Flag]:
        """``route_not_given``: routes are declared and the dossier names none."""
        if not certification.routes or ctx.dossier.route is not None:
            return
        key = (id(certification.routes), ctx.as_of)
        known = _NOT_GIVEN.get(key)
        if known is None or known[0] is not certification.routes:
            if len(_NOT_GIVEN) >= _NOT_GIVEN_KEPT:
                _NOT_GIVEN.clear()
            known = _NOT_GIVEN[key] = (
                certification.routes,
                _route_not_given(ctx.as_of, certification.routes),
            )
        yield known[1]

    def reference(
        self,
        certification: Certification,
        track: Track,
        dossier: Mapping[str, Any],
        as_of: date,
        plain: Plain,
    ) -> Mapping[str, bool] | None:
        """Met iff the named route is declared open and open since on or before as-of."""
        named = dossier.get("route")
        if not certification.routes or named is None:
            return {}
        for declared in certification.routes:
            if declared.route.value == named:
                since = declared.open_since
                return {ID: declared.open and (since is None or since <= as_of)}
        return {ID: False}


_NOT_GIVEN: dict[tuple[int, date], tuple[tuple[AccessRoute, ...], Flag]] = {}
"""The flag by declared routes (by identity, kept alive here) and day: it is the same for
every dossier of a day, so a session's dossiers build it once."""
_NOT_GIVEN_KEPT = 256


def _route_not_given(as_of: date, routes: tuple[AccessRoute, ...]) -> Flag:
    """The flag for a dossier naming no route: the routes open on ``as_of``."""
    opened = [NAMES[r.route] for r in routes if is_open(r, as_of)]
    listed_fr = ", ".join(fr for fr, _ in opened) or "aucune"
    listed_en = ", ".join(en for _, en in opened) or "none"
    return Flag(
        code="route_not_given",
        message=Message(
            fr="Le dossier n'indique pas la voie d'accès du candidat; voies ouvertes pour "
            f"ce titre à cette date{colon('fr')} {listed_fr}.".replace(";", "\u202f;"),
            en="The dossier does not give the learner's route of access; routes open for "
            f"this title on that date: {listed_en}.",
        ),
    )


KIND = RouteKind()
