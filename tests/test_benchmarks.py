"""The benchmarks run (with tiny counts): figures are not checked here, only that they come."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _run(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_prints_a_row_per_certification_with_its_ratios() -> None:
    """bench.py prints eligible share, floor, whole job, evaluation and both ratios."""
    lines = _run("benchmarks/bench.py", "--count", "4", "--repeat", "1").splitlines()
    assert lines[0].split() == [
        "certification",
        "dossiers",
        "eligible",
        "floor",
        "µs",
        "whole",
        "µs",
        "eval",
        "µs",
        "whole/floor",
        "eval/floor",
    ]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert {"casp_36625", "aip_12976", "dwwm_37674"} <= set(rows)
    for row in rows.values():
        assert row[2].endswith("%") and row[-1].endswith("x") and row[-2].endswith("x")


def test_cold_start_prints_ratios() -> None:
    """cold_start.py prints the median of each command as a ratio of python -c pass."""
    out = _run("benchmarks/cold_start.py", "--runs", "1")
    assert "rulekit evaluate FILE" in out and "python -c pass" in out


def test_batch_benchmark_prints_its_ratios() -> None:
    """batch.py prints the 1-worker and 2-worker ratios and both memory comparisons."""
    out = _run("benchmarks/batch.py", "--count", "20", "--small", "10", "--large", "20",
               "--repeat", "1")  # fmt: skip
    assert "% of in-process (target >= 80 %)" in out
    assert "x 1 worker (target >= 1.8x)" in out
    assert "memory without --record: 20 vs 10 dossiers" in out
    assert "memory with --record: 20 vs 10 dossiers" in out


def test_bench_dates_prints_a_row_per_certification_with_its_ratios() -> None:
    """bench_dates.py prints, per certification, the cost of dates=True against without."""
    lines = _run("benchmarks/bench_dates.py", "--count", "4", "--repeat", "1").splitlines()
    assert lines[0].split()[:3] == ["certification", "dossiers", "dated"]
    assert len(lines) >= 3
    for line in lines[1:]:
        assert line.split()[-3].endswith("x")


def test_instructions_work_runs_every_stage() -> None:
    """instructions.py's counted work (what callgrind runs) does each stage without error."""
    for stage in ("floor", "whole", "evaluation"):
        _run("benchmarks/instructions.py", "--work", "dwwm_37674", stage, "3")
