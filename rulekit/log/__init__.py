"""The decision log: append-only, hash-chained records of decisions and their dossiers.

- :func:`open_log` opens a SQLite file (default) or a ``postgresql://`` database;
- :func:`evaluate_and_record`, :func:`evaluate_and_record_many`, :func:`record_decision`
  append decisions (one transaction each); :class:`GroupRecorder` appends them in groups,
  one transaction per group (``rulekit batch --record``);
- :func:`verify` names the first record that is not as it was appended (or, given public
  keys, not signed by one of them: :mod:`rulekit.log.signing`);
- :mod:`rulekit.log.export` writes pseudonymised copies, :mod:`rulekit.log.page` the
  auditor's HTML page of one record.

There is deliberately no update or delete anywhere in this API.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from rulekit.log.postgres import PostgresLog, is_postgres_url
from rulekit.log.record import GENESIS, LOG_FORMAT, LogError, Record, record_hash
from rulekit.log.recording import (
    GroupRecorder,
    Recorded,
    evaluate_and_record,
    evaluate_and_record_many,
    record_decision,
)
from rulekit.log.signing import Signer, Verifier, load_signer, load_verifier
from rulekit.log.sqlite import SQLiteLog
from rulekit.log.store import DecisionLog
from rulekit.log.verify import Problem, VerifyReport, verify

LOG_ENV = "RULEKIT_LOG"
"""The environment variable naming the log when ``--log`` is not given."""


def open_log(
    target: str | Path, *, create: bool = False, signer: Signer | None = None
) -> DecisionLog:
    """Open the log at ``target``: a ``postgresql://`` URL or a SQLite file path.

    :param create: create the log (file and tables) if it does not exist, for writers;
        readers leave it false so that a mistyped path is an error, not an empty log. A
        database that holds anything but a rulekit log is refused, never converted.
    :param signer: the writer's signing key (:func:`load_signer`): every record appended
        is signed; without one, records are unsigned (and a signed log refuses them).
    :raises LogError: when it cannot be opened.
    """
    text = str(target)
    if is_postgres_url(text):
        return PostgresLog(text, create=create, signer=signer)
    return SQLiteLog(Path(text), create=create, signer=signer)


def log_target(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """Return the log named by ``--log`` or else :data:`LOG_ENV`.

    :raises LogError: when neither names one.
    """
    env = os.environ if environ is None else environ
    target = option or env.get(LOG_ENV)
    if not target:
        raise LogError(f"no decision log named: use --log PATH|URL or set {LOG_ENV}")
    return target


__all__ = [
    "GENESIS",
    "LOG_ENV",
    "LOG_FORMAT",
    "DecisionLog",
    "GroupRecorder",
    "LogError",
    "PostgresLog",
    "Problem",
    "Record",
    "Recorded",
    "SQLiteLog",
    "Signer",
    "Verifier",
    "VerifyReport",
    "evaluate_and_record",
    "evaluate_and_record_many",
    "load_signer",
    "load_verifier",
    "log_target",
    "open_log",
    "record_decision",
    "record_hash",
    "verify",
]
