"""``rulekit certifications``: what is installed, and which plugins failed to load."""

from __future__ import annotations

import argparse
import json
import sys

from rulekit.listing import installed_listing
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
    listing = installed_listing(registry)
    if args.format == "json":
        print(json.dumps(listing, ensure_ascii=False, indent=2))
    else:
        for row in listing["certifications"]:
            print(
                f"{row['id']}\t{row['rncp']}\t{row['title']}\t"
                f"tracks: {', '.join(row['tracks'])}\tv{row['ruleset_version']}\t"
                f"{row['plugin']} {row['plugin_version']}"
            )
    for problem in registry.problems:
        print(f"rulekit: warning: {problem}", file=sys.stderr)
    return 1 if registry.problems else 0
