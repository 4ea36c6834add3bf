"""The one way in: input -> a dossier and the rule set to evaluate it with, or every error.

Every front end goes through :func:`read_input`: the Python API (:func:`rulekit.evaluate`,
hence replay and the kit's witnesses, which call it), the command line (``rulekit
evaluate``) and HTTP (``POST /v1/evaluate``). So the same body gives the same errors
everywhere, in one :class:`~rulekit.errors.DossierError`: the format's errors (shape,
calendar: a date that does not exist, a period ending before it starts) and the waiver
errors (a waiver naming a requirement the certification lacks), together, each with its
JSON path (specs/core.md, "Bad input").

Reading is :func:`rulekit.dossier_io.read_any`'s: the fast path for valid JSON text, the
full reader otherwise, each date parsed once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from attrs import frozen

from rulekit.dossier import Dossier
from rulekit.dossier_format import REQUIREMENT_ID
from rulekit.dossier_io import dossier_from_dict, fast_read, parse_json
from rulekit.engine.compiled import CompiledCertification
from rulekit.engine.evaluate import waiver_errors
from rulekit.errors import DossierError, InputError, RulekitError
from rulekit.registry import Registry

Source = Dossier | Mapping[str, Any] | str | bytes
"""What a front end may hand over: JSON text (bytes or str), parsed JSON, or a dossier."""


@frozen
class Input:
    """A valid dossier and the compiled rule set it is to be evaluated with."""

    dossier: Dossier
    certification: CompiledCertification


def read_input(
    source: Source,
    *,
    registry: Registry,
    as_of: date,
    certification: str | None = None,
    ruleset_version: str | None = None,
) -> Input:
    """Read ``source`` and find its rule set: the dossier's certification unless one is named.

    :raises DossierError: every problem of the dossier, waiver errors included when its
        certification is known.
    :raises rulekit.errors.UnknownCertification: the dossier is valid but no installed
        plugin declares its certification.
    :raises rulekit.errors.UnknownRuleSetVersion: ``ruleset_version`` is not installed.
    """
    if isinstance(source, bytearray | memoryview):
        source = bytes(source)
    if isinstance(source, Dossier):
        dossier: Dossier | None = source
    elif isinstance(source, str | bytes):
        dossier = fast_read(source)
    else:
        dossier = None
    if dossier is None:
        raw = parse_json(source) if isinstance(source, str | bytes) else source
        try:
            dossier = dossier_from_dict(raw)
        except DossierError as exc:
            raise DossierError(
                [
                    *exc.listed,
                    *_raw_waiver_errors(
                        raw,
                        reported=exc.errors,
                        registry=registry,
                        certification=certification,
                        as_of=as_of,
                        version=ruleset_version,
                    ),
                ],
                more=exc.total - len(exc.listed),
            ) from None
    compiled = registry.certification(
        certification or dossier.certification, as_of, ruleset_version
    )
    if dossier.waivers:  # most dossiers have none: nothing to check, nor to prepare
        errors = waiver_errors(compiled, [waiver.requirement for waiver in dossier.waivers])
        if errors:
            raise DossierError(errors)
    return Input(dossier, compiled)


def _raw_waiver_errors(
    raw: Any,
    *,
    reported: tuple[InputError, ...],
    registry: Registry,
    certification: str | None,
    as_of: date,
    version: str | None,
) -> list[InputError]:
    """The waiver errors of an invalid dossier, so that every error is reported at once.

    Only when its certification is known: an unknown certification is reported once the
    dossier is valid. A waiver whose ``requirement`` is already reported is not reported
    twice.
    """
    if not isinstance(raw, Mapping):
        return []
    named = certification or raw.get("certification")
    waivers = raw.get("waivers")
    if not isinstance(named, str) or not isinstance(waivers, list):
        return []
    try:
        compiled = registry.certification(named, as_of, version)
    except RulekitError:
        return []
    paths = {error.path for error in reported}
    # Only ids of the right form: any other value is already reported, and quoted briefly.
    requirements = [
        r if isinstance(r, str) and REQUIREMENT_ID.match(r) else None
        for r in (w.get("requirement") if isinstance(w, Mapping) else None for w in waivers)
    ]
    return [e for e in waiver_errors(compiled, requirements) if e.path not in paths]
