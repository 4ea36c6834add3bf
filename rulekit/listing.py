"""What is installed, as JSON, for `rulekit certifications` and `GET /v1/certifications`."""

from __future__ import annotations

from typing import Any

from rulekit.registry import Registry


def installed_listing(registry: Registry) -> dict[str, Any]:
    """Return every installed rule set (id, RNCP code, title, tracks, plugin) and plugin problem.

    ``unavailable`` lists each id that two distributions declare (so none is used), with
    both distributions and their versions.
    """
    rows = []
    for key in registry.ids():
        for compiled in registry.versions(key):
            declaration = compiled.declaration
            effective = declaration.effective_from
            rows.append(
                {
                    "id": declaration.id,
                    "rncp": declaration.rncp,
                    "title": declaration.title,
                    "tracks": [track.id for track in declaration.tracks],
                    "ruleset_version": declaration.version,
                    "effective_from": effective.isoformat() if effective else None,
                    "plugin": compiled.ref.plugin,
                    "plugin_version": compiled.ref.plugin_version,
                    "ruleset_digest": compiled.ref.ruleset_digest,
                }
            )
    problems = [
        {"plugin": p.plugin, "distribution": p.distribution, "version": p.version, "error": p.error}
        for p in registry.problems
    ]
    unavailable = [
        {"id": key, "distributions": list(distributions)}
        for key, distributions in registry.contested_ids().items()
    ]
    return {"certifications": rows, "unavailable": unavailable, "problems": problems}
