"""``rulekit plugin new NAME`` and ``rulekit plugin check [ID]``: the certifier's kit."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rulekit.kit.check import check_plugins, describe, report_to_dict
from rulekit.kit.scaffold import plugin_names, scaffold
from rulekit.registry import discover


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``plugin`` sub-command and its own sub-commands ``new`` and ``check``."""
    parser = sub.add_parser(
        "plugin",
        help="scaffold or check certification plugins",
        description="The certifier's kit: scaffold a plugin distribution, or lint the "
        "installed declarations and build a witness dossier for each track.",
    )
    actions = parser.add_subparsers(dest="plugin_command", required=True, metavar="ACTION")

    new = actions.add_parser(
        "new",
        help="scaffold a plugin distribution",
        description="Write a plugin distribution NAME/ (pyproject with the rulekit entry "
        "point, declaration skeleton, README, specs, a conformance case, tests) that installs "
        "and passes its tests as generated. Exit 2 if the directory exists.",
    )
    new.add_argument("name", metavar="NAME", help="the certification id, e.g. casp_36625")
    new.add_argument("--rncp", help="RNCP number (default: RNCP + NAME's trailing digits)")
    new.add_argument("--title", help="title of the certification (default: a TODO)")
    new.add_argument(
        "--directory",
        type=Path,
        default=Path(),
        help="where to create NAME/ (default: the current directory)",
    )
    new.add_argument(
        "--specs-dir",
        type=Path,
        help="write the specs there instead of NAME/specs (a repository keeping every "
        "certification's specs at its root)",
    )
    new.set_defaults(run=run_new)

    check = actions.add_parser(
        "check",
        help="lint installed declarations",
        description="Lint the installed declarations (unit and bloc codes, choice groups, "
        "empty tracks, dates, validity, duplicate ids) and, for each track, build the "
        "smallest dossier the engine finds eligible or show that none exists. "
        "Exit 0 clean, 1 findings, 2 usage.",
    )
    check.add_argument("certification", nargs="?", metavar="ID", help="only this certification")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--no-witness", action="store_true", help="lint only; build no witness dossier"
    )
    check.set_defaults(run=run_check)


def run_new(args: argparse.Namespace) -> int:
    """Scaffold the plugin and print the files written."""
    names = plugin_names(args.name, args.rncp, args.title)
    written = scaffold(names, args.directory, args.specs_dir)
    for path in written:
        print(path)
    print(
        f"next: pip install -e {args.directory / names.id}[test], fill in "
        f"{names.package}/declaration.py, then rulekit plugin check {names.id}",
        file=sys.stderr,
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Print findings and witnesses; exit 1 when anything is wrong."""
    plugins, problems = discover()
    report = check_plugins(plugins, problems, args.certification, witnesses=not args.no_witness)
    if args.format == "json":
        print(json.dumps(report_to_dict(report), ensure_ascii=False, indent=2))
    else:
        for witness in report.witnesses:
            print(describe(witness))
        for finding in report.findings:
            print(f"finding: {finding}")
        count = len(report.findings)
        impossible = sum(1 for w in report.witnesses if w.proven_impossible)
        summary = f"{count} finding{'' if count == 1 else 's'}"
        if impossible:
            summary += (
                f", {impossible} track{'' if impossible == 1 else 's'} with no eligible dossier"
            )
        print(summary if not report.clean else "clean: no finding, every track has a witness")
    return 0 if report.clean else 1
