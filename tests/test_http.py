"""The HTTP interface, against a real server on a free local port."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from rulekit.http import RulekitServer
from rulekit.registry import Registry
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def base_url(installed: Registry) -> Iterator[str]:
    server = RulekitServer(("127.0.0.1", 0), installed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def call(url: str, body: bytes | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_evaluate_returns_decision(base_url: str) -> None:
    """POST a dossier: 200 and the same decision as the API."""
    body = (EXAMPLES / "casp_national.json").read_bytes()
    status, decision = call(f"{base_url}/v1/evaluate?as_of=2023-07-01", body)
    assert status == 200
    assert decision["outcome"] == "eligible" and decision["as_of"] == "2023-07-01"


def test_bad_dossier_is_422_with_paths(base_url: str) -> None:
    """A bad dossier gives 422 and every error with its path."""
    status, payload = call(f"{base_url}/v1/evaluate?as_of=2023-07-01", b'{"format": "x"}')
    assert status == 422
    assert {e["path"] for e in payload["errors"]} == {"format", "learner"}


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("as_of=2023-02-30", 400),
        ("colour=blue", 400),
        ("certification=nope", 404),
        ("track=x", 404),
    ],
)
def test_bad_parameters(base_url: str, query: str, status: int) -> None:
    """Bad or unknown parameters and unknown names are client errors, not decisions."""
    body = (EXAMPLES / "casp_national.json").read_bytes()
    got, payload = call(f"{base_url}/v1/evaluate?{query}", body)
    assert got == status and payload["format"] == "rulekit.errors/1"


def test_listing_and_health(base_url: str) -> None:
    """The listing names the installed certifications; the health check answers."""
    status, listing = call(f"{base_url}/v1/certifications")
    assert status == 200
    assert {"casp_36625", "aip_12976"} <= {c["id"] for c in listing["certifications"]}
    assert call(f"{base_url}/healthz") == (200, {"status": "ok"})
