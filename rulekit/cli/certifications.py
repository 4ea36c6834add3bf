"""``rulekit certifications``: what is installed, and which plugins failed to load."""

from __future__ import annotations

import argparse
import json
import sys

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
    rows = []
    for certification in registry.ids():
        for compiled in registry.versions(certification):
            declaration = compiled.declaration
            rows.append(
                {
                    "id": declaration.id,
                    "rncp": declaration.rncp,
                    "title": declaration.title,
                    "tracks": [track.id for track in declaration.tracks],
                    "ruleset_version": declaration.version,
                    "effective_from": (
                        declaration.effective_from.isoformat() if declaration.effective_from else None
                    ),
                    "plugin": compiled.ref.plugin,
                    "plugin_version": compiled.ref.plugin_version,
                    "ruleset_digest": compiled.ref.ruleset_digest,
                }
            )
    if args.format == "json":
        problems = [
            {"plugin": p.plugin, "distribution": p.distribution, "version": p.version, "error": p.error}
            for p in registry.problems
        ]
        print(json.dumps({"certifications": rows, "problems": problems}, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(
                f"{row['id']}\t{row['rncp']}\t{row['title']}\ttracks: {', '.join(row['tracks'])}"
                f"\tv{row['ruleset_version']}\t{row['plugin']} {row['plugin_version']}"
            )
    for problem in registry.problems:
        print(f"rulekit: warning: {problem}", file=sys.stderr)
    return 1 if registry.problems else 0
