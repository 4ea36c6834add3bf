"""What the endpoints do, as plain functions on a :class:`Service` (no HTTP, no asyncio).

The routes in :mod:`rulekit.web.app` read and check the request, then call these in a
worker thread: an evaluation is CPU work that must not stall the event loop, which keeps
answering ``/healthz`` and other clients meanwhile. The one exception is a small dossier
evaluated without recording (:data:`rulekit.web.app.INLINE_BYTES`), which takes less time
than the hop to a thread and is evaluated on the loop. Only the public Python API is used
(:func:`rulekit.evaluate`, :mod:`rulekit.log`, :mod:`rulekit.replay`), so that the service
decides exactly what the command line decides.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

import orjson
from attrs import define, frozen

import rulekit
from rulekit.catalogue_of import catalogue
from rulekit.errors import (
    DossierError,
    InputError,
    RulekitError,
    UnknownCertification,
    UnknownRuleSetVersion,
    UnknownTrack,
)
from rulekit.listing import installed_listing
from rulekit.log import (
    DecisionLog,
    LogError,
    Signer,
    Verifier,
    load_signer,
    load_verifier,
    open_log,
    record_decision,
)
from rulekit.log.page import render_page
from rulekit.log.record import Record
from rulekit.log.verify import require_intact
from rulekit.registry import Registry
from rulekit.replay import replay_current, replay_exact
from rulekit.version import ENGINE_VERSION
from rulekit.web.errors import ApiError, errors_payload, json_bytes, problem
from rulekit.web.inputs import check_text
from rulekit.web.settings import Settings

LOG = logging.getLogger("rulekit.web")

GROUP = 32
"""Batch lines evaluated (and recorded, in one log session) per worker-thread call."""


@frozen
class Options:
    """The evaluation parameters of one request, checked (:mod:`rulekit.web.inputs`)."""

    as_of: date
    certification: str | None = None
    track: str | None = None
    ruleset_version: str | None = None
    record: bool = False


@frozen
class Evaluated:
    """A decision's published bytes and, when it was recorded, its record."""

    decision: bytes
    record: Record | None


def _where(name: str, given: str | None) -> str:
    return f"?{name}" if given is not None else name


def refusal(exc: RulekitError, options: Options) -> ApiError:
    """Return the HTTP refusal for an error of :func:`rulekit.evaluate`."""
    if isinstance(exc, DossierError):
        return ApiError(422, exc.listed, count=exc.total)
    if isinstance(exc, UnknownTrack):
        return problem(404, _where("track", options.track), str(exc))
    if isinstance(exc, UnknownCertification):
        return problem(404, _where("certification", options.certification), str(exc))
    if isinstance(exc, UnknownRuleSetVersion):
        return problem(404, "?ruleset_version", str(exc))
    if isinstance(exc, LogError):
        return problem(503, "$", f"the decision log cannot be written: {exc}")
    return problem(422, "$", str(exc))


@define
class BatchState:
    """Where a batch is: the next line to read, the counts, whether its body is done."""

    line: int = 0
    decisions: int = 0
    errors: int = 0
    recorded: int = 0
    done: bool = False
    request: str = "-"
    """The request id, for the server log of an internal error on a line."""


class Service:
    """The registry, the settings and the keys one worker process serves with."""

    def __init__(self, settings: Settings, registry: Registry) -> None:
        self.settings = settings
        self.registry = registry
        self.signer: Signer | None = None
        self.verifier: Verifier | None = None
        if settings.log is not None:
            key = settings.signing_key_file
            self.signer = load_signer(Path(key) if key else None)
            self.verifier = load_verifier([Path(p) for p in settings.public_key_files] or None)

    # Evaluation

    def _decide(self, data: bytes, options: Options) -> rulekit.Decision:
        check_text(data)
        return rulekit.evaluate(
            data,
            certification=options.certification,
            track=options.track,
            as_of=options.as_of,
            ruleset_version=options.ruleset_version,
            registry=self.registry,
        )

    def whatif(self, data: bytes, options: Options) -> bytes:
        """The decision as if the plan happened, against today's: ``{dossier, plan}`` in.

        :raises ApiError: 422 for a bad body, dossier or plan (each error with its path:
            ``dossier…`` or ``plan…``), 404 for an unknown name.
        """
        from rulekit.dossier_io import parse_json  # noqa: PLC0415
        from rulekit.what_if import whatif, whatif_to_dict  # noqa: PLC0415

        try:
            check_text(data)
            body = parse_json(data, what="request")
            if not isinstance(body, dict) or set(body) != {"dossier", "plan"}:
                raise DossierError(
                    [InputError("$", "expected an object with exactly 'dossier' and 'plan'")]
                )
            result = whatif(
                body["dossier"],
                body["plan"],
                certification=options.certification,
                track=options.track,
                as_of=options.as_of,
                ruleset_version=options.ruleset_version,
                registry=self.registry,
            )
            return orjson.dumps(whatif_to_dict(result)) + b"\n"
        except RulekitError as exc:
            raise refusal(exc, options) from None

    def require_log(self) -> str:
        """Return the decision log's target; refuse ``record=true`` on a server without one.

        :raises ApiError: 400.
        """
        if self.settings.log is None:
            raise problem(400, "?record", "this server keeps no decision log (serve --log)")
        return self.settings.log

    def evaluate(self, data: bytes, options: Options) -> Evaluated:
        """Evaluate one dossier; record it first when asked (a shown decision is recorded).

        :raises ApiError: 422 for a bad dossier, 404 for an unknown name, 503 when the log
            cannot be written.
        """
        try:
            decision = self._decide(data, options)
            published = rulekit.decision_to_json(decision).encode("utf-8")
            if not options.record:
                return Evaluated(published, None)
            with open_log(self.require_log(), create=True, signer=self.signer) as log:
                return Evaluated(published, record_decision(log, data, decision))
        except RulekitError as exc:
            raise refusal(exc, options) from None
        except UnicodeEncodeError:
            raise problem(422, "$", "the dossier holds text that is not Unicode") from None

    def batch_group(self, spool: IO[bytes], options: Options, state: BatchState) -> list[bytes]:
        """Read and answer up to :data:`GROUP` lines of a batch; return the answer lines.

        Each non-blank line is a dossier; the answer line carries its line number and
        either its decision (and record) or its errors, every one with its path: a bad
        line never stops the batch. After the last line, the summary line is returned and
        ``state.done`` is set.
        """
        limit = self.settings.max_body_bytes
        answers: list[bytes] = []
        pending: list[tuple[int, bytes | ApiError]] = []
        while len(pending) < GROUP and not state.done:
            if state.line >= self.settings.max_batch_lines:
                extra = spool.readline(limit + 1)
                if extra.strip():
                    message = (
                        f"more than {self.settings.max_batch_lines} lines; the rest is not read"
                    )
                    pending.append((state.line + 1, problem(413, "$", message)))
                state.done = True
                break
            raw = spool.readline(limit + 1)
            if not raw:
                state.done = True
                break
            state.line += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):
                    raw = spool.readline(limit + 1)
                pending.append((state.line, problem(413, "$", f"line longer than {limit} bytes")))
            elif raw.strip():
                pending.append((state.line, raw.rstrip(b"\r\n")))
        if pending:
            answers.extend(self._answer_lines(pending, options, state))
        if state.done:
            summary = {
                "summary": {
                    "lines": state.line,
                    "decisions": state.decisions,
                    "errors": state.errors,
                    "recorded": state.recorded,
                }
            }
            answers.append(json_bytes(summary))
        return answers

    def _answer_lines(
        self, pending: list[tuple[int, bytes | ApiError]], options: Options, state: BatchState
    ) -> Iterator[bytes]:
        """Answer each pending line; a failure, even an internal one, is that line's answer."""
        log: DecisionLog | None = None
        unavailable: ApiError | None = None
        if options.record:
            try:
                log = open_log(self.require_log(), create=True, signer=self.signer)
            except LogError as exc:
                unavailable = problem(503, "$", f"the decision log cannot be written: {exc}")
        try:
            for line, item in pending:
                answer: dict[str, Any] = {"line": line}
                try:
                    answer.update(self._answer_line(item, options, log, unavailable, state))
                except ApiError as exc:
                    answer["status"] = exc.status
                    answer["error"] = errors_payload(exc.errors, None, exc.count)
                    state.errors += 1
                yield json_bytes(answer)
        finally:
            if log is not None:
                log.close()

    def _answer_line(
        self,
        item: bytes | ApiError,
        options: Options,
        log: DecisionLog | None,
        unavailable: ApiError | None,
        state: BatchState,
    ) -> dict[str, Any]:
        """Return one line's decision (and record), or raise its :class:`ApiError`."""
        if isinstance(item, ApiError):
            raise item
        answer: dict[str, Any] = {}
        try:
            decision = self._decide(item, options)
            published = rulekit.decision_to_json(decision)
            if unavailable is not None:
                raise unavailable  # valid, but it cannot be recorded: never shown unrecorded
            if log is not None:
                record = record_decision(log, item, decision)
                answer["record"] = {"seq": record.seq, "hash": record.hash}
                state.recorded += 1
        except RulekitError as exc:
            raise refusal(exc, options) from None
        except ApiError:
            raise
        except Exception:
            LOG.exception(
                "internal error on line %d of batch request %s", state.line, state.request
            )
            raise problem(
                500, "$", f"internal error on this line; the server log has request {state.request}"
            ) from None
        answer["decision"] = json.loads(published)
        state.decisions += 1
        return answer

    # Catalogue

    def listing(self) -> dict[str, Any]:
        """Return what is installed (as ``rulekit certifications --format json``)."""
        return installed_listing(self.registry)

    def catalogue(self, key: str, as_of: date, version: str | None) -> dict[str, Any]:
        """Return the catalogue of ``key``'s rule set in force on ``as_of`` (or ``version``).

        :raises ApiError: 404 for an unknown or contested id or version.
        """
        try:
            return catalogue(key, as_of=as_of, version=version, registry=self.registry)
        except UnknownRuleSetVersion as exc:
            raise problem(404, "?ruleset_version", str(exc)) from None
        except RulekitError as exc:
            raise problem(404, "{id}", str(exc)) from None

    # Audit

    def _record(self, seq: int) -> Record:
        if self.settings.log is None:
            raise problem(404, "{seq}", "this server keeps no decision log")
        try:
            with open_log(self.settings.log) as log:
                head = log.head()
                if head is None or seq > head[0]:
                    held = f"records 1 to {head[0]}" if head else "no record"
                    raise problem(404, "{seq}", f"no record {seq} (the log holds {held})")
                record = log.get(seq)
                require_intact(log, verifier=self.verifier, upto=seq)
                return record
        except LogError as exc:
            raise problem(503, "$", str(exc)) from None

    def decision(self, seq: int) -> dict[str, Any]:
        """Return record ``seq`` as ``rulekit log show --format json`` prints it.

        The chain up to it is verified first (and its signatures, with public keys).

        :raises ApiError: 404 no such record, 503 a log that cannot be read or fails
            verification.
        """
        record = self._record(seq)
        return {
            "format": "rulekit.log-record/1",
            "seq": record.seq,
            "recorded_at": record.recorded_at,
            "prev_hash": record.prev_hash,
            "hash": record.hash,
            "signature": record.signature,
            "dossier": _json_or_text(record.dossier),
            "decision": _json_or_text(record.decision),
        }

    def decision_page(self, seq: int, lang: str) -> str:
        """Return the auditor's HTML page of record ``seq`` (as ``rulekit log show``)."""
        return render_page(self._record(seq), lang)

    def replay(self, seq: int, rules_as_of: date | None) -> dict[str, Any]:
        """Replay record ``seq`` exactly, or with the rules in force on ``rules_as_of``.

        :returns: the JSON of ``rulekit replay --format json`` for that one record.
        """
        record = self._record(seq)
        if rules_as_of is None:
            result = replay_exact(record, self.registry)
        else:
            result = replay_current(record, self.registry, rules_as_of)
        return {
            "format": "rulekit.replay/1",
            "mode": "exact" if rules_as_of is None else "current",
            "rules_as_of": None if rules_as_of is None else rules_as_of.isoformat(),
            "engine_version": ENGINE_VERSION,
            "results": [result.to_json()],
        }


def _json_or_text(data: bytes) -> Any:
    """Return stored JSON bytes parsed, or as text when a damaged record holds other bytes."""
    try:
        return json.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace")
