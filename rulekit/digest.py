"""The rule-set digest: a hash of the canonical form of a declaration.

The same declaration gives the same digest on any machine and Python version (canonical
JSON: sorted keys, no floats' platform dependence, UTF-8), and any change of substance, a
unit, a number, a date, changes it. Message wording is not part of a declaration, so it
never changes a digest.

**Defaults are omitted** (format ``rulekit.ruleset/2``): a field left at its attrs default
is not written in the canonical form. So adding a field with a default to a declaration
class changes no existing digest, and a rule set that does not use a feature hashes as it
did before the feature existed; setting the field to any other value changes the digest.
The consequence to keep in mind: changing a field's *default* changes the meaning of every
declaration that left it out without changing its digest, so a default, once published,
never changes (docs/plugins.md, "Rule-set digests").

The form before this one (``rulekit.ruleset/1``, engine 0.1.x) wrote every field, default
or not. :func:`legacy_ruleset_digest` still computes it, so that replay can tell a
decision recorded by that engine under the same rule set (only the digest's definition
changed) from one recorded under a rule set changed since.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from typing import Any

import attrs

from rulekit.codec import canonical_json, sha256_digest
from rulekit.declaration import (
    Bloc,
    Certification,
    ChoiceGroup,
    CustomRequirement,
    ExperienceRule,
    InternshipRule,
    Registration,
    Track,
    Unit,
)

RULESET_FORMAT = "rulekit.ruleset/2"

LEGACY_RULESET_FORMAT = "rulekit.ruleset/1"
"""The canonical form of engine 0.1.x: every field written, defaults included."""

LEGACY_FIELDS: Mapping[type, frozenset[str]] = {
    Unit: frozenset({"code", "title", "ects"}),
    ChoiceGroup: frozenset({"choose", "units"}),
    Track: frozenset({"id", "title", "mandatory", "choices", "source"}),
    ExperienceRule: frozenset({"months", "counting", "attested_by"}),
    InternshipRule: frozenset(
        {"months", "required_below_in_field_months", "in_field_only", "attested_by"}
    ),
    Bloc: frozenset({"code", "title"}),
    Registration: frozenset({"registered_from", "registered_until", "award_deadline"}),
    CustomRequirement: frozenset({"kind", "id", "params"}),
    Certification: frozenset(
        {
            "id",
            "rncp",
            "title",
            "certifier",
            "level",
            "tracks",
            "registration",
            "experience",
            "internship",
            "validity_years",
            "blocs",
            "blocs_required",
            "custom",
            "version",
            "effective_from",
            "sources",
        }
    ),
}
"""The fields each declaration class had in engine 0.1.x, which ``rulekit.ruleset/1``
always wrote. A field added since is left out of that form: a rule set recorded by 0.1.x
could not state it, so the recorded digest vouches for the fields it knew, and what a
newer field changes is the newer engine's (replay says so, as ``engine_changed``)."""


def _is_default(field: attrs.Attribute[Any], value: object) -> bool:
    """Whether ``value`` is the field's attrs default (same type and equal: 0 is not False)."""
    default: Any = field.default
    if default is attrs.NOTHING:
        return False
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return False
        default = default.factory()
    return type(value) is type(default) and value == default


def _canonical(value: object, always: Callable[[type], frozenset[str]]) -> Any:
    """The JSON form of a declaration value: attrs objects by their *runtime* class.

    A field is written when it is in ``always(cls)`` or not at its default; dates are ISO
    strings, enums their values, tuples lists.
    """
    cls = type(value)
    if attrs.has(cls):
        kept = always(cls)
        body = {}
        for field in attrs.fields(cls):
            item = getattr(value, field.name)
            if field.name in kept or not _is_default(field, item):
                body[field.name] = _canonical(item, always)
        return body
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_canonical(item, always) for item in value]
    return value


def _nothing_always(cls: type) -> frozenset[str]:
    return frozenset()


def _legacy_always(cls: type) -> frozenset[str]:
    """The 0.1.x fields of ``cls`` (of its nearest base in :data:`LEGACY_FIELDS`)."""
    for base in cls.__mro__:
        if base in LEGACY_FIELDS:
            return LEGACY_FIELDS[base]
    return frozenset()


def canonical_declaration(certification: Certification) -> bytes:
    """Return the canonical bytes of a declaration (what the digest hashes), defaults omitted."""
    body = _canonical(certification, _nothing_always)
    return canonical_json({"format": RULESET_FORMAT, "declaration": body})


def ruleset_digest(certification: Certification) -> str:
    """Return ``"sha256:<hex>"`` of the declaration's canonical form."""
    return sha256_digest(canonical_declaration(certification))


def _legacy(value: object) -> Any:
    """The ``rulekit.ruleset/1`` form: every 0.1.x field of a 0.1.x class, nothing newer."""
    cls = type(value)
    if attrs.has(cls):
        known = _legacy_always(cls)
        return {
            field.name: _legacy(getattr(value, field.name))
            for field in attrs.fields(cls)
            if field.name in known
            or (not known and not _is_default(field, getattr(value, field.name)))
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_legacy(item) for item in value]
    return value


def legacy_ruleset_digest(certification: Certification) -> str:
    """Return the digest engine 0.1.x gave this declaration (form ``rulekit.ruleset/1``).

    For replay only: a decision recorded by engine 0.1.x carries this digest; equal to the
    installed declaration's, it proves the rule set is the one recorded, as far as 0.1.x
    could state it.
    """
    body = _legacy(certification)
    return sha256_digest(canonical_json({"format": LEGACY_RULESET_FORMAT, "declaration": body}))
