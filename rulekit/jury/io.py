"""Reading jury files: JSON text -> validated :class:`~rulekit.jury.model.Jury`.

Like dossiers (:mod:`rulekit.dossier_io`), a jury file is parsed strictly (UTF-8, no
duplicate keys, no NaN, bounded size) and every problem is reported at once with its JSON
path (``members[2].voting``); a jury is only built once the file is known to be valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rulekit.calendar import parse_iso_date
from rulekit.declaration import JuryRole, Route, TradeRelation
from rulekit.dossier_io import CERTIFICATION_ID, parse_json
from rulekit.errors import DossierError, InputError
from rulekit.jury.model import JURY_FORMAT, Jury, Member

MAX_BYTES = 256 * 1024
"""Largest jury file accepted; a real one lists a handful of members."""
MAX_MEMBERS = 200
"""Most members a jury file may list."""
MAX_NAME = 200
"""Longest member name accepted."""

ROLES = tuple(role.value for role in JuryRole)
RELATIONS = tuple(relation.value for relation in TradeRelation)
ROUTES = tuple(route.value for route in Route)

_TOP = ("format", "date", "certification", "route", "members")
_MEMBER = ("name", "role", "voting", "relation")


class JuryFileError(DossierError):
    """The jury file is not valid; ``errors`` lists every problem with its JSON path."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        super().__init__(errors)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _unknown(value: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> list[InputError]:
    return [
        InputError(f"{prefix}{key}", "unknown field") for key in sorted(value) if key not in known
    ]


def _required(value: Mapping[str, Any], key: str, where: str, errors: list[InputError]) -> bool:
    if key not in value:
        errors.append(InputError(where, "required field is missing"))
        return False
    if value[key] is None:
        errors.append(InputError(where, "must not be null"))
        return False
    return True


def _choice(value: Any, options: tuple[str, ...], where: str, errors: list[InputError]) -> None:
    if not isinstance(value, str) or value not in options:
        shown = repr(value) if isinstance(value, str) else _kind(value)
        errors.append(InputError(where, f"{shown} is not one of {', '.join(options)}"))


def _date(value: Any, where: str, errors: list[InputError]) -> None:
    if not isinstance(value, str):
        errors.append(InputError(where, f"expected a date YYYY-MM-DD, got {_kind(value)}"))
        return
    try:
        parse_iso_date(value)
    except ValueError as exc:
        errors.append(InputError(where, str(exc)))


def _member(value: Any, where: str, errors: list[InputError]) -> None:
    if not isinstance(value, dict):
        errors.append(InputError(where, f"expected an object, got {_kind(value)}"))
        return
    errors.extend(_unknown(value, _MEMBER, f"{where}."))
    if _required(value, "role", f"{where}.role", errors):
        _choice(value["role"], ROLES, f"{where}.role", errors)
    if _required(value, "relation", f"{where}.relation", errors):
        _choice(value["relation"], RELATIONS, f"{where}.relation", errors)
    if _required(value, "voting", f"{where}.voting", errors) and not isinstance(
        value["voting"], bool
    ):
        errors.append(
            InputError(f"{where}.voting", f"expected true or false, got {_kind(value['voting'])}")
        )
    name = value.get("name")
    if name is not None:
        if not isinstance(name, str):
            errors.append(InputError(f"{where}.name", f"expected a string, got {_kind(name)}"))
        elif not name.strip():
            errors.append(InputError(f"{where}.name", "must not be empty"))
        elif len(name) > MAX_NAME:
            errors.append(InputError(f"{where}.name", f"longer than {MAX_NAME} characters"))


def validate_jury(value: Any) -> list[InputError]:
    """Return every problem of a parsed jury file (empty when it is valid)."""
    if not isinstance(value, dict):
        return [InputError("$", f"expected an object, got {_kind(value)}")]
    errors = _unknown(value, _TOP, "")
    if _required(value, "format", "format", errors) and value["format"] != JURY_FORMAT:
        shown = (
            repr(value["format"]) if isinstance(value["format"], str) else _kind(value["format"])
        )
        errors.append(
            InputError("format", f"{shown} is not a supported format; expected {JURY_FORMAT}")
        )
    if _required(value, "date", "date", errors):
        _date(value["date"], "date", errors)
    certification = value.get("certification")
    if certification is not None and (
        not isinstance(certification, str) or not CERTIFICATION_ID.match(certification)
    ):
        shown = repr(certification) if isinstance(certification, str) else _kind(certification)
        errors.append(
            InputError("certification", f"{shown} is not a certification id (e.g. aip_12976)")
        )
    if value.get("route") is not None:
        _choice(value["route"], ROUTES, "route", errors)
    if _required(value, "members", "members", errors):
        members = value["members"]
        if not isinstance(members, list):
            errors.append(InputError("members", f"expected a list, got {_kind(members)}"))
        elif not members:
            errors.append(InputError("members", "a jury has at least one member"))
        elif len(members) > MAX_MEMBERS:
            errors.append(InputError("members", f"more than {MAX_MEMBERS} items"))
        else:
            for index, member in enumerate(members):
                _member(member, f"members[{index}]", errors)
    return errors


def jury_from_dict(value: Any) -> Jury:
    """Validate a parsed jury file and return the jury.

    :raises JuryFileError: listing every problem, when the file is not valid.
    """
    errors = validate_jury(value)
    if errors:
        raise JuryFileError(errors)
    route = value.get("route")
    return Jury(
        date=parse_iso_date(value["date"]),
        members=tuple(
            Member(
                position=index + 1,
                role=JuryRole(member["role"]),
                voting=member["voting"],
                relation=TradeRelation(member["relation"]),
                name=member.get("name"),
            )
            for index, member in enumerate(value["members"])
        ),
        certification=value.get("certification"),
        route=Route(route) if route is not None else None,
    )


def load_jury(data: str | bytes) -> Jury:
    """Parse and validate a jury file from JSON text.

    :raises JuryFileError: listing every problem found.
    """
    try:
        value = parse_json(data, what="jury file", limit=MAX_BYTES)
    except DossierError as exc:
        raise JuryFileError(exc.errors) from None
    return jury_from_dict(value)


def read_jury(path: Path) -> Jury:
    """Read and validate the jury file at ``path``.

    :raises JuryFileError: when it cannot be read (path ``$``) or is not valid.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise JuryFileError(
            [InputError("$", f"cannot read {path}: {exc.strerror or exc}")]
        ) from None
    return load_jury(data)
