"""Crash safety and concurrent writers, on SQLite and PostgreSQL, with real processes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from rulekit.api import evaluate
from rulekit.codec import decision_to_json
from rulekit.log import open_log, verify
from rulekit.registry import Registry
from tests.audit.helpers import EXAMPLE, ROOT

ROUNDS = 6
PER_WRITER = 60


def _inputs(tmp_path: Path, registry: Registry) -> tuple[Path, Path]:

    decision = evaluate(EXAMPLE.read_bytes(), as_of=date(2023, 7, 1), registry=registry)
    decision_file = tmp_path / "decision.json"
    decision_file.write_text(decision_to_json(decision), encoding="utf-8")
    return EXAMPLE, decision_file


def _writer(
    target: str, dossier: Path, decision: Path, count: int, *extra: str
) -> subprocess.Popen[str]:
    command = ["-m", "tests.audit.writer", target, str(dossier), str(decision), str(count)]
    return subprocess.Popen(
        [sys.executable, *command, *extra],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _acks(output: str) -> dict[int, str]:
    acks = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ack":  # a line cut by the kill is not an ack
            acks[int(parts[1])] = parts[2]
    return acks


def _stored(target: str) -> dict[int, str]:
    with open_log(target) as log:
        report = verify(log)
        assert report.ok, f"verify failed: {report.problem}"
        return {record.seq: record.hash for record in log.records()}


def test_writer_killed_mid_append_loses_nothing_acknowledged(
    log_target: str, tmp_path: Path, audit_registry: Registry
) -> None:
    """SIGKILL at random moments: the chain verifies and every acknowledged record is kept."""
    seed = int.from_bytes(os.urandom(4), "big")
    chance = random.Random(seed)
    dossier, decision = _inputs(tmp_path, audit_registry)
    acknowledged: dict[int, str] = {}
    for _ in range(ROUNDS):
        writer = _writer(log_target, dossier, decision, 100_000)
        assert writer.stdout is not None
        first = writer.stdout.readline()  # the writer is appending from here on
        time.sleep(chance.uniform(0, 0.05))
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate()
        acknowledged.update(_acks(first + rest))
    stored = _stored(log_target)
    missing = {seq: h for seq, h in acknowledged.items() if stored.get(seq) != h}
    assert not missing, f"acknowledged records lost (seed {seed}): {sorted(missing)[:5]}"
    assert len(acknowledged) >= ROUNDS
    assert sorted(stored) == list(range(1, len(stored) + 1))


def test_concurrent_writers_never_fork_the_chain(
    log_target: str, tmp_path: Path, audit_registry: Registry
) -> None:
    """Four processes appending at once give one gapless chain holding all their records."""
    dossier, decision = _inputs(tmp_path, audit_registry)
    with open_log(log_target, create=True):
        pass  # create the tables once, so the writers race on appends only
    writers = [_writer(log_target, dossier, decision, PER_WRITER, "--wait") for _ in range(4)]
    for writer in writers:  # all are connected: let them go at once
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outputs = [writer.communicate() for writer in writers]
    for writer, (_, errors) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, errors
    acknowledged: dict[int, str] = {}
    for out, _ in outputs:
        acks = _acks(out)
        assert len(acks) == PER_WRITER
        assert not set(acks) & set(acknowledged), "two writers got the same sequence number"
        acknowledged.update(acks)
    assert _stored(log_target) == acknowledged
    assert sorted(acknowledged) == list(range(1, 4 * PER_WRITER + 1))
