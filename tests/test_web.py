"""The HTTP service's API surface, in process (Starlette's TestClient and raw ASGI calls)."""

from __future__ import annotations

import json
import logging
import stat
import time
from collections.abc import AsyncGenerator, Iterator, MutableMapping
from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

import rulekit
from rulekit.catalogue_of import plain_rules
from rulekit.cli import main
from rulekit.declaration import (
    Bloc,
    Certification,
    ChoiceGroup,
    CustomRequirement,
    ExperienceCounting,
    ExperienceRule,
    InternshipRule,
    Registration,
    Track,
    Unit,
)
from rulekit.log.signing import generate
from rulekit.registry import Registry
from rulekit.web.app import JsonLinesStream, create_app
from rulekit.web.errors import MAX_LISTED
from rulekit.web.settings import Settings
from rulekit.web.tokens import add_token
from tests.conftest import EXAMPLES

EXAMPLE = (EXAMPLES / "casp_national.json").read_bytes()
JSON = {"content-type": "application/json"}
JSONL = {"content-type": "application/x-ndjson"}
AS_OF = "as_of=2023-07-01"


def client(installed: Registry, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(**settings), installed), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def open_client(installed: Registry) -> Iterator[TestClient]:
    """A server without a token file (no authentication) and without a decision log."""
    with client(installed) as test_client:
        yield test_client


def assert_errors(response: Any, status: int, *paths: str) -> dict[str, Any]:
    """The answer is rulekit.errors/1 JSON with ``status``, naming each of ``paths``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    payload: dict[str, Any] = response.json()
    assert payload["format"] == "rulekit.errors/1"
    assert payload["request_id"] == response.headers["x-request-id"]
    assert payload["error_count"] >= len(payload["errors"]) >= 1
    named = {error["path"] for error in payload["errors"]}
    assert set(paths) <= named, named
    return payload


def test_health_and_request_ids(open_client: TestClient) -> None:
    """/healthz answers; a client's safe request id is echoed, an unsafe one replaced."""
    response = open_client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.headers["x-request-id"] == "abc-123"
    replaced = open_client.get("/healthz", headers={"x-request-id": "bad id\t<script>"})
    assert replaced.headers["x-request-id"] != "bad id\t<script>"
    assert len(replaced.headers["x-request-id"]) == 32


def test_evaluate_gives_the_api_decision(open_client: TestClient, installed: Registry) -> None:
    """POST /v1/evaluate answers the bytes rulekit.evaluate publishes, for the same date."""
    response = open_client.post(f"/v1/evaluate?{AS_OF}", content=EXAMPLE, headers=JSON)
    assert response.status_code == 200
    expected = rulekit.evaluate(EXAMPLE, as_of=date(2023, 7, 1), registry=installed)
    assert response.content == rulekit.decision_to_json(expected).encode()  # one newline
    assert response.json()["outcome"] == "eligible"


def test_evaluate_track_and_certification(open_client: TestClient) -> None:
    """?track chooses the track; an unknown certification or track is 404 naming it."""
    other = open_client.post(
        f"/v1/evaluate?{AS_OF}&track=nouvelle-aquitaine", content=EXAMPLE, headers=JSON
    )
    assert other.status_code == 200
    assert other.json()["track"] == "nouvelle-aquitaine"
    assert other.json()["outcome"] == "not_eligible"
    unknown = open_client.post(
        f"/v1/evaluate?{AS_OF}&certification=nope_1", content=EXAMPLE, headers=JSON
    )
    assert "nope_1" in assert_errors(unknown, 404, "?certification")["errors"][0]["message"]
    track = open_client.post(f"/v1/evaluate?{AS_OF}&track=nowhere", content=EXAMPLE, headers=JSON)
    assert_errors(track, 404, "?track")
    version = open_client.post(
        f"/v1/evaluate?{AS_OF}&ruleset_version=99", content=EXAMPLE, headers=JSON
    )
    assert_errors(version, 404, "?ruleset_version")


def test_dossier_errors_are_422_with_every_path(open_client: TestClient) -> None:
    """An invalid dossier: 422 listing each problem with its JSON path."""
    dossier = json.loads(EXAMPLE)
    dossier["experience"][0]["end"] = "2018-01-01"
    dossier["units"][0]["code"] = "tet099"
    dossier["colour"] = "blue"
    response = open_client.post(
        f"/v1/evaluate?{AS_OF}", content=json.dumps(dossier).encode(), headers=JSON
    )
    assert_errors(response, 422, "experience[0].end", "units[0].code", "colour")


def test_error_list_is_bounded(open_client: TestClient) -> None:
    """Thousands of unknown keys: at most 100 errors listed, then their count."""
    dossier = json.loads(EXAMPLE)
    dossier.update({f"unknown_{index}": index for index in range(3000)})
    body = json.dumps(dossier).encode()
    response = open_client.post(f"/v1/evaluate?{AS_OF}", content=body, headers=JSON)
    payload = assert_errors(response, 422)
    assert len(payload["errors"]) == MAX_LISTED
    assert payload["error_count"] == 3000
    assert len(response.content) < 12_000


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b'{"format":"rulekit.dossier/1","learner":{"id":"T1","name":"\\ud800"}}', "learner.name"),
        (b'{"format":"rulekit.dossier/1","learner":{"id":"\\udfff"}}', "learner.id"),
    ],
)
def test_lone_surrogates_are_422(open_client: TestClient, body: bytes, path: str) -> None:
    """A lone UTF-16 surrogate in a string is bad input (422 with its path), never a crash."""
    response = open_client.post(f"/v1/evaluate?{AS_OF}", content=body, headers=JSON)
    assert_errors(response, 422, path)


def test_paired_surrogates_are_text(open_client: TestClient) -> None:
    """An escaped pair (an emoji) is ordinary text and evaluates."""
    dossier = json.loads(EXAMPLE)
    body = json.dumps(dossier).replace("Camille", "Camille \\ud83d\\ude00").encode()
    response = open_client.post(f"/v1/evaluate?{AS_OF}", content=body, headers=JSON)
    assert response.status_code == 200
    assert response.json()["learner"]["name"].startswith("Camille \U0001f600")


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("as_of=2019-13-01", "?as_of"),
        ("as_of=2019-9-1", "?as_of"),
        ("as_of=%EF%BC%92%EF%BC%90%EF%BC%91%EF%BC%99-09-01", "?as_of"),  # full-width digits
        ("as_of=2019-09-01%0A", "?as_of"),  # trailing newline
        ("as_of=9999-12-31", "?as_of"),
        ("as_of=1899-12-31", "?as_of"),
        ("as_of=", "?as_of"),
        ("colour=blue", "?colour"),
        ("as_of=2023-07-01&as_of=2023-07-02", "?as_of"),
        ("record=yes", "?record"),
        ("certification=CASP", "?certification"),
        ("track=%20national", "?track"),
        ("ruleset_version=..", "?ruleset_version"),
        ("as_of=%FF", "?"),
    ],
)
def test_bad_parameters_are_400(open_client: TestClient, query: str, path: str) -> None:
    """Each malformed or unknown query parameter is a 400 naming it."""
    response = open_client.post(f"/v1/evaluate?{query}", content=EXAMPLE, headers=JSON)
    assert_errors(response, 400, path)


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_wrong_content_type_is_415(open_client: TestClient, content_type: str | None) -> None:
    """A body that is not declared as UTF-8 JSON is refused with 415."""
    headers = {} if content_type is None else {"content-type": content_type}
    response = open_client.post(f"/v1/evaluate?{AS_OF}", content=EXAMPLE, headers=headers)
    assert_errors(response, 415, "$")


def test_json_content_type_variants_are_accepted(open_client: TestClient) -> None:
    """``application/json; charset=UTF-8`` is JSON."""
    headers = {"content-type": "Application/JSON; charset=UTF-8"}
    response = open_client.post(f"/v1/evaluate?{AS_OF}", content=EXAMPLE, headers=headers)
    assert response.status_code == 200


def test_methods_and_routes(open_client: TestClient) -> None:
    """Wrong method: JSON 405 with Allow; OPTIONS: 204 with Allow; no route: JSON 404."""
    for method in ("PUT", "DELETE", "PATCH", "GET"):
        response = open_client.request(method, "/v1/evaluate")
        assert_errors(response, 405, "$")
        assert response.headers["allow"] == "POST"
    options = open_client.options("/v1/evaluate")
    assert options.status_code == 204
    assert options.headers["allow"] == "POST"
    assert open_client.post("/healthz").headers["allow"] == "GET, HEAD"
    assert_errors(open_client.get("/v1/nowhere"), 404, "$")
    assert_errors(open_client.get("/"), 404, "$")


class Asgi:
    """Calls an ASGI app with a request whose head and body parts the test chooses."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def call(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        parts: list[bytes],
        *,
        stall: bool = False,
        pause: float = 0.0,
    ) -> tuple[int, dict[str, str], bytes]:
        """Return the status, headers and body of the answer (``pause`` s before each part)."""
        answer: dict[str, Any] = {"body": b""}

        async def run() -> None:
            pending = list(parts)

            async def receive() -> dict[str, Any]:
                if pending:
                    if pause:
                        await anyio.sleep(pause)
                    return {"type": "http.request", "body": pending.pop(0), "more_body": True}
                if stall:
                    await anyio.sleep(60)
                return {"type": "http.request", "body": b"", "more_body": False}

            async def send(message: MutableMapping[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    answer["status"] = message["status"]
                    answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
                else:
                    answer["body"] += message.get("body", b"")

            target, _, query = path.partition("?")
            scope = {
                "type": "http",
                "asgi": {"version": "3.0", "spec_version": "2.3"},
                "http_version": "1.1",
                "method": method,
                "scheme": "http",
                "path": target,
                "raw_path": target.encode(),
                "query_string": query.encode(),
                "root_path": "",
                "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
                "client": ("127.0.0.1", 1),
                "server": ("127.0.0.1", 80),
                "state": {},
            }
            await self.app(scope, receive, send)

        anyio.run(run)
        return answer["status"], answer["headers"], answer["body"]


def test_body_without_length_is_411(installed: Registry) -> None:
    """A POST with neither Content-Length nor chunked encoding: 411."""
    status, _, body = Asgi(create_app(Settings(), installed)).call(
        "POST", f"/v1/evaluate?{AS_OF}", JSON, []
    )
    assert status == 411
    assert json.loads(body)["errors"][0]["path"] == "$"


def test_oversized_bodies_are_413(installed: Registry) -> None:
    """A declared length over the limit, or a chunked body that goes over it: 413."""
    asgi = Asgi(create_app(Settings(max_body_bytes=1000), installed))
    declared = {**JSON, "content-length": "5000"}
    assert asgi.call("POST", "/v1/evaluate", declared, [b"x" * 5000])[0] == 413
    chunked = {**JSON, "transfer-encoding": "chunked"}
    status, headers, body = asgi.call("POST", "/v1/evaluate", chunked, [b"x" * 400] * 100)
    assert status == 413
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert "1000 bytes" in json.loads(body)["errors"][0]["message"]


def test_chunked_body_is_accepted(installed: Registry) -> None:
    """A chunked body within the limit is evaluated (no 411 for chunked encoding)."""
    asgi = Asgi(create_app(Settings(), installed))
    chunked = {**JSON, "transfer-encoding": "chunked"}
    parts = [EXAMPLE[i : i + 100] for i in range(0, len(EXAMPLE), 100)]
    status, _, body = asgi.call("POST", f"/v1/evaluate?{AS_OF}", chunked, parts)
    assert status == 200
    assert json.loads(body)["outcome"] == "eligible"


def test_slow_steady_body_is_read(installed: Registry) -> None:
    """The body timeout runs from the last part, not the first: a slow upload is read."""
    asgi = Asgi(create_app(Settings(body_timeout=0.3), installed))
    chunked = {**JSON, "transfer-encoding": "chunked"}
    parts = [EXAMPLE[i : i + 400] for i in range(0, len(EXAMPLE), 400)]  # 5 parts, 0.75 s
    status, _, body = asgi.call("POST", f"/v1/evaluate?{AS_OF}", chunked, parts, pause=0.15)
    assert status == 200, body
    assert json.loads(body)["outcome"] == "eligible"


def test_stalled_body_is_408(installed: Registry) -> None:
    """A body that stops arriving gets 408 after the body timeout."""
    asgi = Asgi(create_app(Settings(body_timeout=0.2), installed))
    chunked = {**JSON, "transfer-encoding": "chunked"}
    status, headers, body = asgi.call("POST", "/v1/evaluate", chunked, [b"{"], stall=True)
    assert status == 408
    assert headers["connection"] == "close"
    assert json.loads(body)["format"] == "rulekit.errors/1"


def test_internal_error_is_json_500(
    installed: Registry, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected exception: JSON 500 naming the request id; the traceback goes to the log."""
    app = create_app(Settings(), installed)

    def broken(*args: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(app.state.service, "evaluate", broken)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.post(f"/v1/evaluate?{AS_OF}", content=EXAMPLE, headers=JSON)
    payload = assert_errors(response, 500, "$")
    assert response.headers["x-request-id"] in payload["errors"][0]["message"]
    assert "boom" not in response.text
    assert "Traceback" not in response.text
    assert any("ZeroDivisionError" in (r.exc_text or "") for r in caplog.records)


def test_access_log_is_one_json_line(
    open_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Each request writes one JSON line: id, method, path, status, size, time."""
    with caplog.at_level(logging.INFO, logger="rulekit.web.access"):
        response = open_client.get("/v1/nowhere", headers={"x-request-id": "trace-1"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "rulekit.web.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "trace-1"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/v1/nowhere", 404)
    assert line["bytes"] == len(response.content)
    assert line["ms"] >= 0


# Catalogue, listing, schemas, OpenAPI


def test_listing(open_client: TestClient) -> None:
    """GET /v1/certifications lists the installed rule sets with their plugins."""
    payload = open_client.get("/v1/certifications").json()
    ids = {row["id"] for row in payload["certifications"]}
    assert {"casp_36625", "aip_12976"} <= ids
    assert_errors(open_client.get("/v1/certifications?x=1"), 400, "?x")


def test_catalogue_has_titles_ects_and_plain_rules(open_client: TestClient) -> None:
    """The catalogue gives each track's units with titles, the choice groups and the rules."""
    response = open_client.get("/v1/certifications/casp_36625")
    assert response.status_code == 200
    catalogue = response.json()
    assert catalogue["format"] == "rulekit.catalogue/1"
    national = next(track for track in catalogue["tracks"] if track["id"] == "national")
    first = national["mandatory"][0]
    assert first["code"] == "TET099"
    assert first["title"] == "La méthode du récit de vie : se connaître pour mieux accompagner"
    assert "ects" in first
    assert national["choices"][0]["choose"] == 1
    assert next(bloc["code"] for bloc in catalogue["blocs"]) == "RNCP36625BC01"
    rules = {(rule["id"], rule["track"]): rule for rule in catalogue["rules"]}
    experience = rules[("experience", None)]
    assert "18 mois" in experience["fr"]
    assert "\u202f;" in experience["fr"]
    assert "18 months" in experience["en"]
    assert "UE au choix parmi UEV010, TET010, PSY001" in rules[("choice", "national")]["fr"]


def test_catalogue_is_the_python_apis(open_client: TestClient, installed: Registry) -> None:
    """GET /v1/certifications/{id} answers what rulekit.catalogue(id) returns, for each one."""
    for cert_id in installed.ids():
        given = open_client.get(f"/v1/certifications/{cert_id}?as_of=2023-07-01").json()
        assert given == rulekit.catalogue(cert_id, as_of=date(2023, 7, 1), registry=installed)
        assert given["rules"]
        assert [v["ruleset_version"] for v in given["versions"]] == [
            compiled.declaration.version for compiled in installed.versions(cert_id)
        ]


def test_catalogue_dates_in_french(open_client: TestClient) -> None:
    """Registration dates are written as French prose writes them (« 1er septembre 2023 »)."""
    catalogue = open_client.get("/v1/certifications/dwwm_37674").json()
    registration = next(rule for rule in catalogue["rules"] if rule["id"] == "registration")
    assert "du 1er septembre 2023 au 1er septembre 2028" in registration["fr"]
    assert "from 1 September 2023 to 1 September 2028" in registration["en"]


def test_catalogue_errors(open_client: TestClient) -> None:
    """Unknown or malformed id and unknown version: 404; a bad date: 400."""
    assert_errors(open_client.get("/v1/certifications/nope_1"), 404, "{id}")
    assert_errors(open_client.get("/v1/certifications/NOPE"), 404, "{id}")
    assert_errors(
        open_client.get("/v1/certifications/casp_36625?ruleset_version=9"), 404, "?ruleset_version"
    )
    assert_errors(open_client.get("/v1/certifications/casp_36625?as_of=2023"), 400, "?as_of")


def test_schemas(open_client: TestClient) -> None:
    """The published JSON Schemas, as they are in rulekit/schemas/."""
    response = open_client.get("/v1/schemas/dossier")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    assert response.json()["title"] == "rulekit.dossier/1"
    assert (
        open_client.get("/v1/schemas/decision.schema.json")
        .json()["title"]
        .startswith("rulekit.decision")
    )
    assert_errors(open_client.get("/v1/schemas/secrets"), 404, "{name}")


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref":
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def test_openapi_reuses_the_schemas(open_client: TestClient) -> None:
    """OpenAPI 3.1 whose Dossier is the published schema; every reference resolves."""
    document = open_client.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    components = document["components"]
    schema = json.loads(Path("rulekit/schemas/dossier.schema.json").read_text(encoding="utf-8"))
    assert components["schemas"]["Dossier"]["required"] == schema["required"]
    assert components["schemas"]["Dossier.unit"]["properties"].keys() == (
        schema["$defs"]["unit"]["properties"].keys()
    )
    for ref in _refs(document):
        section, name = ref.removeprefix("#/components/").split("/")
        assert name in components[section], ref
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert ("/v1/evaluate", "post") in operations
    assert ("/v1/decisions/{seq}/replay", "get") in operations


# Batch


def _line(dossier: bytes) -> bytes:
    return json.dumps(json.loads(dossier)).encode()


def test_batch_streams_one_answer_per_line(open_client: TestClient) -> None:
    """Good, bad-JSON, invalid and blank lines: one answer each, in order, then a summary."""
    invalid = json.loads(EXAMPLE)
    invalid["experience"][0]["end"] = "2018-01-01"
    invalid["colour"] = 1
    body = b"\n".join(
        [_line(EXAMPLE), b"{not json", b"", json.dumps(invalid).encode(), _line(EXAMPLE), b""]
    )
    response = open_client.post(f"/v1/batch?{AS_OF}", content=body, headers=JSONL)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line.get("line") for line in lines[:-1]] == [1, 2, 4, 5]
    assert lines[0]["decision"]["outcome"] == "eligible"
    assert lines[1]["status"] == 422
    assert lines[1]["error"]["errors"][0]["path"] == "$"
    paths = {error["path"] for error in lines[2]["error"]["errors"]}
    assert {"experience[0].end", "colour"} <= paths
    assert lines[3]["decision"]["outcome"] == "eligible"
    assert lines[-1] == {"summary": {"lines": 5, "decisions": 2, "errors": 2, "recorded": 0}}


def test_batch_limits(installed: Registry) -> None:
    """A line over the dossier limit and lines past the count limit are error lines."""
    with client(installed, max_body_bytes=len(EXAMPLE) + 10, max_batch_lines=3) as small:
        body = b"\n".join([_line(EXAMPLE), b"[" * (len(EXAMPLE) + 50), _line(EXAMPLE), b"{}"])
        response = small.post(f"/v1/batch?{AS_OF}", content=body, headers=JSONL)
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines[0]["decision"]["outcome"] == "eligible"
    assert (lines[1]["line"], lines[1]["status"]) == (2, 413)
    assert lines[2]["line"] == 3
    assert lines[3]["status"] == 413
    assert "more than 3 lines" in lines[3]["error"]["errors"][0]["message"]
    assert lines[-1]["summary"]["decisions"] == 2


def test_batch_needs_json_lines(open_client: TestClient) -> None:
    """The batch takes JSON Lines: another content type is 415."""
    response = open_client.post("/v1/batch", content=EXAMPLE, headers=JSON)
    assert_errors(response, 415, "$")


# Authentication, recording, auditors


@pytest.fixture
def tokens(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "tokens.json"
    return {
        "evaluate": add_token(path, ["evaluate"])[0],
        "record": add_token(path, ["evaluate", "record"])[0],
        "audit": add_token(path, ["audit"])[0],
        "file": str(path),
    }


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_tokens_are_stored_hashed(tokens: dict[str, str]) -> None:
    """The file keeps hashes and roles, never a token, and only its owner may read it."""
    path = Path(tokens["file"])
    text = path.read_text(encoding="utf-8")
    for role in ("evaluate", "record", "audit"):
        assert tokens[role] not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(json.loads(text)["tokens"]) == 3


def test_authentication_and_roles(installed: Registry, tokens: dict[str, str]) -> None:
    """No token 401 (with a challenge), unknown 401, lacking a role 403; public reads open."""
    with client(installed, tokens_file=tokens["file"]) as secured:
        url = f"/v1/evaluate?{AS_OF}"
        missing = secured.post(url, content=EXAMPLE, headers=JSON)
        assert_errors(missing, 401, "Authorization")
        assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = secured.post(url, content=EXAMPLE, headers={**JSON, **bearer("rk_nope")})
        assert_errors(wrong, 401, "Authorization")
        basic = secured.post(url, content=EXAMPLE, headers={**JSON, "authorization": "Basic eA=="})
        assert_errors(basic, 401, "Authorization")
        audit_only = secured.post(url, content=EXAMPLE, headers={**JSON, **bearer(tokens["audit"])})
        assert_errors(audit_only, 403, "Authorization")
        ok = secured.post(url, content=EXAMPLE, headers={**JSON, **bearer(tokens["evaluate"])})
        assert ok.status_code == 200
        no_record = secured.post(
            url + "&record=true", content=EXAMPLE, headers={**JSON, **bearer(tokens["evaluate"])}
        )
        assert "record" in assert_errors(no_record, 403)["errors"][0]["message"]
        decisions = secured.get("/v1/decisions/1", headers=bearer(tokens["evaluate"]))
        assert_errors(decisions, 403, "Authorization")
        for public in ("/healthz", "/openapi.json", "/v1/certifications", "/v1/schemas/dossier"):
            assert secured.get(public).status_code == 200


def test_token_file_is_read_again(installed: Registry, tokens: dict[str, str]) -> None:
    """A token added while serving works at once; a removed one stops working."""
    with client(installed, tokens_file=tokens["file"]) as secured:
        token, entry = add_token(Path(tokens["file"]), ["evaluate"], "added later")
        headers = {**JSON, **bearer(token)}
        assert secured.post(f"/v1/evaluate?{AS_OF}", content=EXAMPLE, headers=headers).is_success
        assert main(["serve", "token", "remove", entry.id, "--tokens", tokens["file"]]) == 0
        gone = secured.post(f"/v1/evaluate?{AS_OF}", content=EXAMPLE, headers=headers)
        assert gone.status_code == 401


def test_record_fetch_and_replay(
    installed: Registry, tmp_path: Path, tokens: dict[str, str]
) -> None:
    """record=true: 201 with Location; the auditor reads the same decision and replays it."""
    log = str(tmp_path / "log.sqlite")
    with client(installed, tokens_file=tokens["file"], log=log) as secured:
        writer = {**JSON, **bearer(tokens["record"])}
        response = secured.post(
            f"/v1/evaluate?{AS_OF}&record=true", content=EXAMPLE, headers=writer
        )
        assert response.status_code == 201
        assert response.headers["location"] == "/v1/decisions/1"
        assert response.headers["x-rulekit-record"] == "1"
        auditor = bearer(tokens["audit"])
        record = secured.get("/v1/decisions/1", headers=auditor).json()
        assert record["format"] == "rulekit.log-record/1"
        assert record["decision"] == response.json()
        assert record["dossier"] == json.loads(EXAMPLE)
        assert record["hash"] == response.headers["x-rulekit-record-hash"]
        replay = secured.get("/v1/decisions/1/replay", headers=auditor).json()
        assert replay["results"][0]["status"] == "identical"
        current = secured.get("/v1/decisions/1/replay?rules_as_of=2024-01-01", headers=auditor)
        assert current.json()["mode"] == "current"
        page = secured.get("/v1/decisions/1?format=html&lang=en", headers=auditor)
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert "<html" in page.text.lower()
        assert_errors(secured.get("/v1/decisions/2", headers=auditor), 404, "{seq}")
        assert_errors(secured.get("/v1/decisions/0", headers=auditor), 400, "{seq}")
        assert_errors(secured.get(f"/v1/decisions/{10**30}", headers=auditor), 400, "{seq}")
        assert_errors(secured.get("/v1/decisions/x1/replay", headers=auditor), 400, "{seq}")
        batch = secured.post(
            f"/v1/batch?{AS_OF}&record=true",
            content=_line(EXAMPLE) + b"\n{}\n" + _line(EXAMPLE),
            headers={**writer, **JSONL},
        )
        lines = [json.loads(line) for line in batch.text.splitlines()]
        assert [line.get("record", {}).get("seq") for line in lines[:3]] == [2, None, 3]
        assert lines[-1]["summary"]["recorded"] == 2
    assert rulekit.log.open_log(log).head() is not None


def test_record_without_a_log_is_refused(open_client: TestClient) -> None:
    """record=true on a server that keeps no log is a 400, and nothing is decided silently."""
    response = open_client.post(f"/v1/evaluate?{AS_OF}&record=true", content=EXAMPLE, headers=JSON)
    assert_errors(response, 400, "?record")
    assert_errors(open_client.get("/v1/decisions/1"), 404, "{seq}")


def test_token_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`serve token add` prints a token once; `list` shows ids and roles, never a token."""
    path = str(tmp_path / "t.json")
    assert (
        main(["serve", "token", "add", "--role", "evaluate", "--role", "audit", "--tokens", path])
        == 0
    )
    token = capsys.readouterr().out.strip()
    assert token.startswith("rk_")
    assert main(["serve", "token", "list", "--tokens", path]) == 0
    listed = capsys.readouterr().out
    assert "evaluate,audit" in listed
    assert token not in listed
    assert main(["serve", "token", "add", "--role", "evaluate"]) == 2  # no file named


def test_plain_rules_of_every_declaration_field() -> None:
    """Each kind of rule a declaration can give is written out, with agreement and dates."""
    one = Unit("TET099", "Une unité", 6)
    declaration = Certification(
        id="demo_1",
        rncp="RNCP1",
        title="Titre fictif",
        certifier="Fictif",
        level=5,
        tracks=(
            Track(
                "solo",
                "Parcours unique",
                mandatory=(one,),
                choices=(ChoiceGroup(2, (Unit("AST004"), Unit("AST005"), Unit("PSY001"))),),
            ),
        ),
        registration=Registration(date(2020, 3, 1), date(2025, 2, 28), date(2026, 1, 1)),
        experience=ExperienceRule(1, ExperienceCounting.IN_FIELD),
        internship=InternshipRule(2, in_field_only=False),
        validity_years=1,
        blocs=(Bloc("RNCP1BC01", "Un bloc"),),
        blocs_required=True,
        custom=(CustomRequirement("credits", "ects_total", (("minimum", 60),)),),
    )
    rules = {rule["id"]: rule for rule in plain_rules(declaration)}
    assert rules["units"]["fr"] == "Parcours unique\u202f: valider l'UE obligatoire TET099."
    assert rules["units"]["en"] == "Parcours unique: pass the mandatory unit TET099."
    assert rules["choice"]["fr"].endswith("valider 2 UE au choix parmi AST004, AST005, PSY001.")
    assert rules["choice"]["en"].endswith(
        "pass 2 units of your choice among AST004, AST005, PSY001."
    )
    assert rules["experience"]["fr"] == (
        "Justifier d'au moins 1 mois d'expérience professionnelle dans le domaine du titre."
    )
    assert rules["experience"]["en"].startswith("At least 1 month of professional experience")
    assert rules["internship"]["fr"] == "Un stage d'au moins 2 mois."
    assert rules["blocs"]["fr"] == "Valider le bloc de compétences RNCP1BC01."
    assert "pendant 1 an après" in rules["validity"]["fr"]
    assert "for 1 year after" in rules["validity"]["en"]
    assert rules["registration"]["fr"] == (
        "Le titre est enregistré au RNCP du 1er mars 2020 au 28 février 2025 inclus\u202f; il "
        "peut encore être délivré jusqu'au 1er janvier 2026 aux personnes inscrites pendant "
        "cet enregistrement."
    )
    assert rules["ects_total"]["fr"] == "Exigence propre à ce titre (credits)\u202f: minimum = 60."


def test_signed_log_is_verified_before_it_is_shown(installed: Registry, tmp_path: Path) -> None:
    """Records signed by the server's key are shown; with another auditor key, refused (503)."""
    private, public = tmp_path / "signing.pem", tmp_path / "signing.pub"
    generate(private, public)
    other_private, other_public = tmp_path / "other.pem", tmp_path / "other.pub"
    generate(other_private, other_public)
    log = str(tmp_path / "signed.sqlite")
    settings = {"log": log, "signing_key_file": str(private)}
    with client(installed, **settings, public_key_files=[str(public)]) as signed:
        response = signed.post(f"/v1/evaluate?{AS_OF}&record=true", content=EXAMPLE, headers=JSON)
        assert response.status_code == 201
        record = signed.get("/v1/decisions/1").json()
        assert record["signature"].startswith("ed25519:")
    with client(installed, **settings, public_key_files=[str(other_public)]) as wrong_key:
        refused = wrong_key.get("/v1/decisions/1")
        assert "fails verification" in assert_errors(refused, 503, "$")["errors"][0]["message"]
        assert_errors(wrong_key.get("/v1/decisions/1/replay"), 503, "$")


def test_batch_answer_to_a_client_that_stops_reading(caplog: pytest.LogCaptureFixture) -> None:
    """A JSON Lines answer whose client reads nothing for the timeout is abandoned (logged)."""
    closed: list[bool] = []

    async def lines() -> AsyncGenerator[bytes, None]:
        try:
            for index in range(1000):
                yield b'{"line": %d}\n' % index
        finally:
            closed.append(True)

    async def stalled_send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.body":
            await anyio.sleep(60)

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def run() -> float:
        started = time.monotonic()
        stream = JsonLinesStream(lines(), send_timeout=0.2)
        await stream({"type": "http", "state": {"request_id": "slow-1"}}, receive, stalled_send)
        return time.monotonic() - started

    with caplog.at_level(logging.WARNING, logger="rulekit.web"):
        elapsed = anyio.run(run)
    assert elapsed < 5
    assert closed == [True]
    assert any("slow-1" in record.getMessage() for record in caplog.records)


def test_batch_goes_on_after_an_internal_error(
    installed: Registry, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected exception on one line is that line's JSON 500; the next lines go on."""
    app = create_app(Settings(), installed)
    service = app.state.service
    real = service._decide
    calls = []

    def flaky(data: bytes, options: Any) -> Any:
        calls.append(data)
        if len(calls) == 2:
            raise ZeroDivisionError("boom")
        return real(data, options)

    monkeypatch.setattr(service, "_decide", flaky)
    body = b"\n".join([_line(EXAMPLE)] * 3)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.post(f"/v1/batch?{AS_OF}", content=body, headers=JSONL)
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line.get("status") for line in lines[:3]] == [None, 500, None]
    assert lines[1]["line"] == 2
    assert "boom" not in response.text
    assert lines[-1]["summary"] == {"lines": 3, "decisions": 2, "errors": 1, "recorded": 0}
    assert any("ZeroDivisionError" in (record.exc_text or "") for record in caplog.records)


def test_batch_with_an_unwritable_log(installed: Registry, tmp_path: Path) -> None:
    """record=true when the log cannot be opened: each line gets a 503 line, none a decision."""
    with client(installed, log=str(tmp_path)) as broken:  # a directory is no SQLite file
        response = broken.post(
            f"/v1/batch?{AS_OF}&record=true", content=_line(EXAMPLE) * 1 + b"\n{}\n", headers=JSONL
        )
        single = broken.post(f"/v1/evaluate?{AS_OF}&record=true", content=EXAMPLE, headers=JSON)
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line.get("status") for line in lines[:2]] == [503, 422]
    assert "decision" not in lines[0]
    assert lines[-1]["summary"]["decisions"] == 0
    assert_errors(single, 503, "$")


def test_whatif_compares_today_with_the_plan(open_client: TestClient) -> None:
    """POST /v1/whatif: the decision as if the plan happened, against today's."""
    dossier = json.loads((EXAMPLES / "casp_half_time.json").read_bytes())
    plan = json.loads((EXAMPLES / "plans" / "casp_second_job.json").read_bytes())
    answer = open_client.post(
        "/v1/whatif?as_of=2023-06-01", json={"dossier": dossier, "plan": plan}, headers=JSON
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert json.dumps(body).count("eligible") >= 2


def test_whatif_refuses_a_bad_body_with_its_path(open_client: TestClient) -> None:
    """A body that is not {dossier, plan} is a 422 naming the reason; never a 500."""
    answer = open_client.post("/v1/whatif", content=b'{"dossier": {}}', headers=JSON)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == "$"
    answer = open_client.post("/v1/whatif?record=true", content=b"{}", headers=JSON)
    assert answer.status_code in (400, 401, 403)
