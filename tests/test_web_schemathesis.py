"""schemathesis against GET /openapi.json, on a `rulekit serve` this test starts.

For every operation of the document, requests generated from its schemas (valid and
invalid ones) must never get a 5xx, and every answer must have a documented status and
content type and conform to the schema the document gives for it. The run is bounded (a
few dozen examples per operation) so the suite stays fast; the server has a decision log
with records, so that the auditors' endpoints answer real records too.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from tests.conftest import EXAMPLES
from tests.test_web_server import RULEKIT, Server

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schemathesis.serializer("application/x-ndjson")
def json_lines(context: Any, value: Any) -> bytes:
    """A batch body: the generated text as it is, or anything else as one JSON line."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode("utf-8") + b"\n"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    log = tmp / "decisions.sqlite"
    for day in ("2023-07-01", "2020-01-01"):
        subprocess.run(
            [*RULEKIT, "evaluate", str(EXAMPLES / "casp_national.json"), "--as-of", day,
             "--record", "--log", str(log)],
            check=False, capture_output=True,
        )  # fmt: skip
    server = Server(tmp, "--log", str(log), "--no-access-log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def web_schema(live: Server) -> Any:
    return schemathesis.openapi.from_url(f"{live.url}/openapi.json")


OPERATIONS = [
    ("POST", "/v1/evaluate"),
    ("POST", "/v1/batch"),
    ("GET", "/v1/certifications"),
    ("GET", "/v1/certifications/{id}"),
    ("GET", "/v1/decisions/{seq}"),
    ("GET", "/v1/decisions/{seq}/replay"),
    ("GET", "/v1/schemas/{name}"),
    ("GET", "/openapi.json"),
    ("GET", "/healthz"),
]
WITHOUT_CONSTRAINTS = {"/v1/certifications", "/v1/schemas/{name}", "/openapi.json", "/healthz"}
"""Operations with no constrained input: no request can break their schema (no negative)."""
CASES = [
    pytest.param(method, path, mode, id=f"{method} {path} {mode.value}")
    for method, path in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or path not in WITHOUT_CONSTRAINTS
]


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_api_conforms_to_its_document(
    web_schema: Any, method: str, path: str, mode: GenerationMode
) -> None:
    """No 5xx; status, content type and body as the OpenAPI document says."""
    operation = web_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


def test_the_run_covers_every_operation(web_schema: Any) -> None:
    """The document schemathesis reads has the service's operations (nothing skipped)."""
    operations = {f"{op.method.upper()} {op.path}" for op in _operations(web_schema)}
    assert {
        "POST /v1/evaluate",
        "POST /v1/batch",
        "GET /v1/certifications/{id}",
        "GET /v1/decisions/{seq}",
        "GET /v1/decisions/{seq}/replay",
    } <= operations


def _operations(loaded: Any) -> Iterator[Any]:
    for result in loaded.get_all_operations():
        yield result.ok()


def test_log_has_records(live: Server) -> None:
    """The auditors' endpoints are explored against real records."""
    status, record = live.get("/v1/decisions/1")
    assert status == 200
    assert record["seq"] == 1
