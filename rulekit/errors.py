"""Errors rulekit reports to its callers: bad input, unknown names, broken plugins."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import frozen


@frozen
class InputError:
    """One problem in an input document, at a JSON path such as ``experience[0].end``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class RulekitError(Exception):
    """Base class of the errors rulekit raises on purpose; never a wrong decision."""


MAX_ERRORS = 100
"""Most problems a :class:`DossierError` lists; past that, one more entry gives the count left
out. A hostile body of a million unknown keys must not become a million-line answer, and
jury staff fix the first hundred problems before they need the rest."""


class DossierError(RulekitError):
    """The dossier is not valid; ``errors`` lists the problems found, each with its path.

    At most :data:`MAX_ERRORS` problems are listed (``listed``), in the order found; when
    there were more, ``errors`` ends with one entry at ``$`` saying how many were left out.
    ``total`` counts them all. ``more`` is the count of problems already found and left out
    by the caller (a reader that stops keeping them past the limit).
    """

    def __init__(self, errors: Iterable[InputError], *, more: int = 0) -> None:
        found = tuple(errors)
        self.total: int = len(found) + more
        self.listed: tuple[InputError, ...] = found[:MAX_ERRORS]
        left_out = self.total - len(self.listed)
        summary = (InputError("$", f"{left_out} more errors not listed"),) if left_out else ()
        self.errors: tuple[InputError, ...] = (*self.listed, *summary)
        super().__init__("\n".join(str(error) for error in self.errors))


class InvalidArgument(RulekitError, ValueError):
    """An argument of a call is outside its domain, such as an as-of date in the year 9999.

    ``name`` is the argument (``as_of``), ``message`` the reason; ``str()`` gives both.
    """

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")


class UnknownCertification(RulekitError):
    """No installed plugin declares the certification asked for."""

    def __init__(self, certification: str | None, installed: Sequence[str]) -> None:
        self.certification = certification
        self.installed = tuple(installed)
        listing = ", ".join(self.installed) or "none"
        if certification is None:
            text = "no certification named (dossier field 'certification' or --certification)"
        else:
            text = f"unknown certification {certification!r}"
        super().__init__(f"{text}; installed: {listing}")


class ContestedCertification(UnknownCertification):
    """Two distributions declare the certification: it is unavailable, never a silent choice.

    A certification id belongs to one distribution (docs/plugins.md, "Ownership"); when a
    second one declares it, whatever the versions, no rule set of that id is used until one
    of them is uninstalled or left out of the trusted distributions. A subclass of
    :class:`UnknownCertification`, so that every front end refuses it as it refuses an
    unknown id.
    """

    def __init__(self, certification: str, distributions: Sequence[str]) -> None:
        self.distributions = tuple(distributions)
        UnknownCertification.__init__(self, certification, ())
        self.args = (
            f"certification {certification!r} is unavailable: declared by "
            f"{' and '.join(self.distributions)}; uninstall the one you do not trust, or "
            "list the trusted one in RULEKIT_TRUSTED_PLUGINS",
        )

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownTrack(RulekitError):
    """The certification has no track of that name."""

    def __init__(self, certification: str, track: str, tracks: Sequence[str]) -> None:
        self.certification = certification
        self.track = track
        self.tracks = tuple(tracks)
        super().__init__(
            f"track: {certification} has no track {track!r}; its tracks: {', '.join(self.tracks)}"
        )


class UnknownRuleSetVersion(RulekitError):
    """No installed rule set of the certification has that version."""
