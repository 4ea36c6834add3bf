"""``rulekit certifications``: what is installed, who owns it, and which plugins failed.

Each rule set is shown with the distribution and version of the plugin that declares it,
so that an operator sees which package decides each certification; an id two
distributions declare is shown as unavailable, naming both.
"""

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
        description="List installed certifications (id, RNCP code, title, tracks, rule-set "
        "version, and the distribution and version of the plugin that owns it), then each id "
        "unavailable because two distributions declare it. Exit 1 when a plugin failed to "
        "load or was refused (docs/plugins.md, Loading and Ownership).",
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
        for row in listing["unavailable"]:
            print(f"{row['id']}\tunavailable: declared by {' and '.join(row['distributions'])}")
    for problem in registry.problems:
        print(f"rulekit: warning: {problem}", file=sys.stderr)
    return 1 if registry.problems else 0
