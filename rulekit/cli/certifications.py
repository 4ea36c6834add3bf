"""``rulekit certifications``: what is installed, and which plugins failed to load."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rulekit.registry import default_registry


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``certifications`` sub-command."""
    parser = sub.add_parser(
        "certifications",
        help="list installed certifications",
        description="List installed certifications (id, RNCP code, title, tracks, plugin "
        "distribution and version). Exit 1 when a plugin failed to load.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the installed certifications; report broken plugins on stderr."""
    registry = default_registry()
    rows: list[dict[str, Any]] = []
    lines: list[str] = []
    for certification in registry.ids():
        for compiled in registry.versions(certification):
            declaration = compiled.declaration
            tracks = [track.id for track in declaration.tracks]
            effective = declaration.effective_from
            rows.append(
                {
                    "id": declaration.id,
                    "rncp": declaration.rncp,
                    "title": declaration.title,
                    "tracks": tracks,
                    "ruleset_version": declaration.version,
                    "effective_from": effective.isoformat() if effective else None,
                    "plugin": compiled.ref.plugin,
                    "plugin_version": compiled.ref.plugin_version,
                    "ruleset_digest": compiled.ref.ruleset_digest,
                }
            )
            lines.append(
                f"{declaration.id}\t{declaration.rncp}\t{declaration.title}\t"
                f"tracks: {', '.join(tracks)}\tv{declaration.version}\t"
                f"{compiled.ref.plugin} {compiled.ref.plugin_version}"
            )
    if args.format == "json":
        problems = [
            {
                "plugin": p.plugin,
                "distribution": p.distribution,
                "version": p.version,
                "error": p.error,
            }
            for p in registry.problems
        ]
        payload = {"certifications": rows, "problems": problems}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("\n".join(lines))
    for problem in registry.problems:
        print(f"rulekit: warning: {problem}", file=sys.stderr)
    return 1 if registry.problems else 0
