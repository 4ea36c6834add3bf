"""Benchmark (not a test): memory and time of streaming a large RNCP export.

Writes a synthetic export of about ``--megabytes`` MB into a temporary directory (copies
of the fiches of tests/data/rncp_extract.xml under made-up numbers, the fiche looked for
last), then, in a fresh interpreter each, measures the peak resident memory of:

- importing rulekit.rncp only (the baseline);
- ``find_fiche`` over the whole file (the streaming reader).

The difference is what reading costs; constant memory means it does not grow with the
file size. Usage: ``.venv/bin/python benchmarks/rncp_import.py [--megabytes 200]``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "rncp" / "export_fiches_RNCP_V4_1_extract.xml"
# The shared extract's fiches are whole (hundreds of partners each); the test fixture's are cut.
EXTRACT = SHARED if SHARED.exists() else ROOT / "tests" / "data" / "rncp_extract.xml"

PROBE = """
import resource, sys
from pathlib import Path
from rulekit.rncp.reader import find_fiche
if sys.argv[1] != "-":
    fiche = find_fiche(Path(sys.argv[1]), "RNCP37674")
    assert fiche is not None and fiche.title == "Développeur web et web mobile"
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_export(path: Path, megabytes: int) -> int:
    """Write the synthetic export; return the number of fiches written."""
    text = EXTRACT.read_text(encoding="utf-8")
    fiches = re.findall(r"  <FICHE>.*?</FICHE>\n", text, re.S)
    target = next(f for f in fiches if "<NUMERO_FICHE>RNCP37674<" in f)
    others = [f for f in fiches if f is not target]
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n')
        out.write("  <VERSION_FLUX>4.1</VERSION_FLUX>\n")
        limit = megabytes * 1024 * 1024
        while out.tell() < limit:
            fiche = others[count % len(others)]
            number = f"RNCP{900000 + count % 99999}"
            out.write(re.sub(r"<NUMERO_FICHE>RNCP\d+<", f"<NUMERO_FICHE>{number}<", fiche, count=1))
            count += 1
        out.write(target)
        out.write("</FICHES>\n")
    return count + 1


def peak_kib(argument: str) -> tuple[int, float]:
    """Run the probe in a fresh interpreter; return its peak RSS (KiB) and wall time (s)."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, argument], capture_output=True, text=True, check=True
    )
    return int(result.stdout.strip()), time.perf_counter() - start


def main() -> int:
    """Write the export, measure, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export_fiches_RNCP_V4_1_synthetic.xml"
        fiches = write_export(path, args.megabytes)
        size = path.stat().st_size / 1024 / 1024
        baseline, _ = peak_kib("-")
        peak, seconds = peak_kib(str(path))
    print(f"export: {size:.0f} MB, {fiches} fiches copied from {EXTRACT.name}, target last")
    print(f"peak RSS: {peak / 1024:.1f} MiB (baseline import only: {baseline / 1024:.1f} MiB)")
    print(f"reading cost: {(peak - baseline) / 1024:.1f} MiB; time {seconds:.1f} s")
    print(f"throughput: {size / seconds:.0f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
