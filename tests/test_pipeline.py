"""One input pipeline: the API, the command line and HTTP report the same errors.

The same body is sent through :func:`rulekit.evaluate`, ``rulekit evaluate`` and
``POST /v1/evaluate``; each must give the same list of errors (schema, calendar and waiver
errors together, each at its JSON path), and unknown names at the field or parameter that
gave them.
"""

from __future__ import annotations

import json
from datetime import date
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from rulekit.api import evaluate
from rulekit.cli import main
from rulekit.errors import DossierError
from rulekit.registry import Registry
from rulekit.web.app import create_app
from rulekit.web.settings import Settings
from tests.conftest import EXAMPLES

AS_OF = "2023-07-01"


def _waiver(requirement: str) -> dict[str, str]:
    return {
        "requirement": requirement,
        "granted_by": "Jury fictif",
        "date": "2023-01-10",
        "reason": "Décision fictive",
    }


BAD: dict[str, Any] = {
    "format": "rulekit.dossier/1",
    "learner": {"id": "T1"},
    "certification": "casp_36625",
    "units": [{"code": "TET099", "result": "passed", "date": "2021-02-29"}],
    "experience": [{"start": "2019-01-01", "end": "2018-01-01", "in_field": True}],
    "waivers": [_waiver("diploma"), _waiver("experience")],
    "colour": "blue",
}
"""A schema error, two calendar errors and a waiver error, all to be reported at once."""

WAIVER_ONLY: dict[str, Any] = {
    "format": "rulekit.dossier/1",
    "learner": {"id": "T2"},
    "certification": "casp_36625",
    "waivers": [_waiver("experience"), _waiver("no_such_requirement")],
}
"""A dossier valid in itself whose only error is a waiver the certification cannot take."""


def api_errors(body: bytes, installed: Registry) -> list[tuple[str, str]]:
    with pytest.raises(DossierError) as raised:
        evaluate(body, as_of=date.fromisoformat(AS_OF), registry=installed)
    return [(e.path, e.message) for e in raised.value.errors]


def cli_errors(body: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[Any]:
    path = tmp_path / "dossier.json"
    path.write_bytes(body)
    assert main(["evaluate", str(path), "--as-of", AS_OF, "--format", "json"]) == 2
    payload = json.loads(capsys.readouterr().out)
    return [(e["path"], e["message"]) for e in payload["errors"]]


def web_evaluate(
    body: bytes, query: dict[str, str], registry: Registry
) -> tuple[int, dict[str, Any]]:
    """``POST /v1/evaluate`` on the HTTP service (in process, no authentication)."""
    app = create_app(Settings(), registry)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        answer = test_client.post(
            "/v1/evaluate",
            params=query,
            content=body,
            headers={"content-type": "application/json"},
        )
    return answer.status_code, answer.json()


def http_errors(body: bytes, installed: Registry) -> list[tuple[str, str]]:
    status, payload = web_evaluate(body, {"as_of": AS_OF}, installed)
    assert status == HTTPStatus.UNPROCESSABLE_ENTITY
    return [(e["path"], e["message"]) for e in payload["errors"]]


@pytest.mark.parametrize("value", [BAD, WAIVER_ONLY], ids=["invalid", "waiver-only"])
def test_same_errors_from_api_cli_and_http(
    value: dict[str, Any],
    installed: Registry,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One body, three front ends, one list of errors, waiver errors included."""
    body = json.dumps(value).encode()
    from_api = api_errors(body, installed)
    assert from_api == cli_errors(body, tmp_path, capsys) == http_errors(body, installed)
    assert any(path.startswith("waivers[") for path, _ in from_api)


def test_every_kind_of_error_at_once(installed: Registry) -> None:
    """Schema, calendar and waiver errors come together, in one error, each at its path."""
    paths = [path for path, _ in api_errors(json.dumps(BAD).encode(), installed)]
    assert paths == ["colour", "units[0].date", "experience[0].end", "waivers[0].requirement"]


@pytest.mark.parametrize(
    ("query", "dossier", "path"),
    [
        ({"track": "paris"}, {}, "?track"),
        ({}, {"track": "paris"}, "track"),
        ({"certification": "nope"}, {}, "?certification"),
        ({}, {"certification": "nope"}, "certification"),
    ],
)
def test_http_blames_the_name_where_it_was_given(
    installed: Registry, query: dict[str, str], dossier: dict[str, str], path: str
) -> None:
    """An unknown track or certification is blamed on the parameter or field that named it."""
    value = {**json.loads((EXAMPLES / "casp_national.json").read_bytes()), **dossier}
    status, payload = web_evaluate(json.dumps(value).encode(), {"as_of": AS_OF, **query}, installed)
    assert status == HTTPStatus.NOT_FOUND
    assert [e["path"] for e in payload["errors"]] == [path]
