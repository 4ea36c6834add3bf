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
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="also print each certification's access routes and jury composition, as the "
        "fiche words them (the catalogue: rulekit.catalogue)",
    )
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
            if args.verbose:
                _routes(row["id"])
        for row in listing["unavailable"]:
            print(f"{row['id']}\tunavailable: declared by {' and '.join(row['distributions'])}")
    for problem in registry.problems:
        print(f"rulekit: warning: {problem}", file=sys.stderr)
    return 1 if registry.problems else 0


def _routes(certification: str) -> None:
    """Print the access routes of the rule set in force today, with the jury's composition."""
    from rulekit.api import today  # noqa: PLC0415 - only --verbose needs the catalogue
    from rulekit.catalogue_of import catalogue  # noqa: PLC0415

    entry = catalogue(certification, as_of=today())
    routes = entry.get("routes") or []
    if not routes:
        print("    routes: none declared (the sources give none)")
        return
    for route in routes:
        state = "open" if route["open"] else "closed"
        since = f" since {route['open_since']}" if route.get("open_since") else ""
        print(f"    route {route['route']} ({route['label']['en']}): {state}{since}")
        if route.get("composition"):
            print(f"        jury: {route['composition']}")
        if route["open"] and not route.get("structured"):
            print("        jury check: no structured composition declared (prose only)")
