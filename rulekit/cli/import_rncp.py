"""``rulekit import-rncp EXPORT.xml --fiche RNCPnnnnn``: a declaration skeleton from a fiche."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rulekit.dossier_io import CERTIFICATION_ID
from rulekit.rncp.reader import FICHE_NUMBER, RncpError, find_fiche
from rulekit.rncp.skeleton import render_declaration


def _fiche_number(text: str) -> str:
    number = text.strip().upper()
    if not FICHE_NUMBER.match(number):
        raise argparse.ArgumentTypeError(f"{text!r} is not a fiche number (e.g. RNCP37674)")
    return number


def _certification_id(text: str) -> str:
    if not CERTIFICATION_ID.match(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a certification id ({CERTIFICATION_ID.pattern}, e.g. dwwm_37674)"
        )
    return text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import-rncp`` sub-command."""
    parser = sub.add_parser(
        "import-rncp",
        help="declaration skeleton from an RNCP fiche",
        description="Read France Compétences' open-data export (format V4.1, streamed: the "
        "national file is several hundred MB) and print a declaration skeleton (Python) "
        "for one fiche: title, level, NSF and ROME codes, blocs, registration dates, award "
        "deadline, former and new certifications. What the fiche does not give is a TODO. "
        "Exit 0 printed, 2 bad input or fiche not found.",
    )
    parser.add_argument("export", type=Path, metavar="EXPORT.xml", help="the export file")
    parser.add_argument(
        "--fiche", required=True, type=_fiche_number, help="fiche number, e.g. RNCP37674"
    )
    parser.add_argument(
        "--id",
        type=_certification_id,
        help="certification id to declare (default: the fiche number in lower case)",
    )
    parser.add_argument("--output", type=Path, help="write there instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Find the fiche and print (or write) its declaration skeleton."""
    fiche = find_fiche(args.export, args.fiche)
    if fiche is None:
        raise RncpError(f"{args.export}: no fiche {args.fiche} in this export")
    source = render_declaration(fiche, args.id)
    if args.output is None:
        sys.stdout.write(source)
    else:
        try:
            args.output.write_text(source, encoding="utf-8")
        except OSError as exc:
            raise RncpError(f"--output {args.output}: {exc.strerror or exc}") from None
    return 0
