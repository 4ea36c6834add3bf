"""`rulekit serve` end to end: a real server in a subprocess, on a free loopback port.

The integrator's journey (token, evaluate with record, fetch the decision, OpenAPI) over
real HTTP with two workers, then the limits that must hold against hostile or careless
clients: idle sockets beyond the connection cap, a request head sent too slowly, endless
and oversized bodies, malformed requests. Every answer is JSON; none hangs.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rulekit.cli import main
from tests.conftest import EXAMPLES, ROOT

EXAMPLE = (EXAMPLES / "casp_national.json").read_bytes()
RULEKIT = [str(Path(sys.executable).with_name("rulekit"))]
SERVING = re.compile(r"serving on http://127\.0\.0\.1:(\d+)")


class Server:
    """A `rulekit serve` subprocess; its standard error goes to a file (never a full pipe)."""

    def __init__(self, tmp: Path, *args: str, descriptors: int | None = None) -> None:
        self.log = tmp / f"serve-{time.monotonic_ns()}.err"
        self.stderr = self.log.open("wb")
        environ = {k: v for k, v in os.environ.items() if not k.startswith("RULEKIT_")}
        limit = (
            []
            if descriptors is None
            else ["sh", "-c", f'ulimit -n {descriptors} && exec "$0" "$@"']
        )
        self.process = subprocess.Popen(
            [*limit, *RULEKIT, "serve", "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            env=environ,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            match = SERVING.search(self.errors())
            if match:
                self.port = int(match.group(1))
                break
            if self.process.poll() is not None:
                raise AssertionError(f"rulekit serve exited: {self.errors()}")
            time.sleep(0.05)
        else:
            raise AssertionError(f"rulekit serve did not start: {self.errors()}")
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"no answer on /healthz: {self.errors()}")

    def errors(self) -> str:
        """Everything the server wrote on standard error so far (start line, access log)."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def call(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; return the status, headers (lower-case names) and body."""
        request = urllib.request.Request(
            self.url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, _lower(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, _lower(error.headers), error.read()

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """GET ``path``; return the status and the JSON body."""
        status, _, body = self.call("GET", path, headers=headers)
        return status, json.loads(body)

    def stop(self) -> None:
        """Stop the server (SIGTERM: uvicorn's graceful shutdown)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.stderr.close()


def _lower(headers: Any) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


@pytest.fixture(scope="module")
def tmp_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def tight(tmp_module: Path) -> Iterator[Server]:
    """One worker, 8 connections, 1 s for a request head or a stalled body, 1 s keep-alive."""
    server = Server(
        tmp_module,
        "--max-connections", "8", "--head-timeout", "1", "--body-timeout", "1",
        "--keep-alive", "1",
    )  # fmt: skip
    yield server
    server.stop()


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.settimeout(10)
    return sock


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one HTTP answer with a Content-Length body; fail rather than wait for ever."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before an answer: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:length]


def assert_json_error(answer: tuple[int, dict[str, str], bytes], status: int) -> None:
    assert answer[0] == status, answer
    assert answer[1]["content-type"] == "application/json; charset=utf-8"
    assert json.loads(answer[2])["format"] == "rulekit.errors/1"


def test_integrator_journey(tmp_module: Path) -> None:
    """Token, two workers, evaluate with record, fetch the decision, OpenAPI, access log."""
    tokens = tmp_module / "tokens.json"
    made = subprocess.run(
        [*RULEKIT, "serve", "token", "add", "--role", "evaluate", "--role", "record",
         "--role", "audit", "--tokens", str(tokens)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    token = made.stdout.strip()
    assert token not in tokens.read_text(encoding="utf-8")
    log = tmp_module / "decisions.sqlite"
    server = Server(tmp_module, "--workers", "2", "--tokens", str(tokens), "--log", str(log))
    try:
        assert "2 worker(s)" in server.errors()
        auth = {"Authorization": f"Bearer {token}"}
        status, headers, body = server.call(
            "POST",
            "/v1/evaluate?as_of=2023-07-01&record=true",
            EXAMPLE,
            {**auth, "Content-Type": "application/json", "X-Request-Id": "journey-1"},
        )
        assert status == 201, body
        assert headers["location"] == "/v1/decisions/1"
        assert headers["x-request-id"] == "journey-1"
        decision = json.loads(body)
        assert decision["outcome"] == "eligible"
        status, record = server.get("/v1/decisions/1", auth)
        assert status == 200
        assert record["decision"] == decision
        assert server.get("/v1/decisions/1/replay", auth)[1]["results"][0]["status"] == (
            "identical"
        )
        assert server.get("/v1/decisions/1")[0] == 401
        status, document = server.get("/openapi.json")
        assert document["openapi"] == "3.1.0"
        lines = [json.loads(line) for line in server.errors().splitlines() if line.startswith("{")]
        mine = [line for line in lines if line["request_id"] == "journey-1"]
        assert mine[0]["status"] == 201
        assert mine[0]["path"] == "/v1/evaluate"
    finally:
        server.stop()


def test_without_tokens_loopback_only(monkeypatch: pytest.MonkeyPatch, tight: Server) -> None:
    """No token file: the start message says so, and another interface is refused (exit 2)."""
    assert "no authentication, so loopback only" in tight.errors()
    monkeypatch.delenv("RULEKIT_TOKENS", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2


def test_keep_alive(tight: Server) -> None:
    """HTTP/1.1 keep-alive: several requests on one connection."""
    with connect(tight.port) as sock:
        for _ in range(3):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            status, headers, body = read_answer(sock)
            assert status == 200
            assert "connection" not in headers
            assert json.loads(body)["status"] == "ok"


def test_idle_connections_beyond_the_cap(tight: Server) -> None:
    """More idle sockets than the cap: /healthz gets a JSON 503 at once, never hangs.

    Once the head timeout has passed, the idle sockets are closed by the server and
    /healthz answers 200 again.
    """
    idle = [connect(tight.port) for _ in range(20)]
    try:
        started = time.monotonic()
        with connect(tight.port) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            answer = read_answer(sock)
        assert time.monotonic() - started < 5
        assert_json_error(answer, 503)
        assert answer[1]["retry-after"] == "1"
        time.sleep(1.6)
        for sock in idle:  # closed by the server: at once, or after a 503 if over the cap
            sock.settimeout(5)
            data = sock.recv(65536)
            assert data == b"" or data.startswith(b"HTTP/1.1 503 "), data
        status, _ = tight.get("/healthz")
        assert status == 200
    finally:
        for sock in idle:
            sock.close()


def test_idle_sockets_are_closed_by_the_server(tight: Server) -> None:
    """A connection that never sends a request is closed after the head timeout."""
    with connect(tight.port) as sock:
        started = time.monotonic()
        assert sock.recv(1024) == b""
        assert 0.5 < time.monotonic() - started < 5


def test_slow_request_head_is_408(tight: Server) -> None:
    """A request head still incomplete after the head timeout: JSON 408, then closed."""
    with connect(tight.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        time.sleep(0.3)
        sock.sendall(b"s")
        assert_json_error(read_answer(sock), 408)
        assert sock.recv(1024) == b""


def test_head_timeout_counts_from_the_last_answer(tight: Server) -> None:
    """On a keep-alive connection the head timeout runs from each answer, not the first.

    The protocol's one timer per connection is moved on lazily by each answer: a head
    that starts late after a second answer still gets its full second, then a 408.
    """
    with connect(tight.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        assert read_answer(sock)[0] == 200
        time.sleep(0.6)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        assert read_answer(sock)[0] == 200
        answered = time.monotonic()
        time.sleep(0.6)  # past the first answer's deadline, within the second's
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        assert_json_error(read_answer(sock), 408)
        assert 0.9 < time.monotonic() - answered < 5
        assert sock.recv(1024) == b""


def test_malformed_request_is_json_400(tight: Server) -> None:
    """A request h11 cannot parse: JSON 400; a head too large: JSON 431."""
    with connect(tight.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nno colon here\r\n\r\n")
        assert_json_error(read_answer(sock), 400)
    with connect(tight.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n")
        assert_json_error(read_answer(sock), 431)
    logged = [json.loads(line) for line in tight.errors().splitlines() if line.startswith("{")]
    own = {line["status"] for line in logged if line["request_id"] is None}
    assert {400, 431} <= own


def test_declared_oversize_is_413_at_once(tight: Server) -> None:
    """A Content-Length over the limit is refused before any of the body is sent."""
    with connect(tight.port) as sock:
        sock.sendall(
            b"POST /v1/evaluate HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000000000000\r\n\r\n"
        )
        assert_json_error(read_answer(sock), 413)


def test_endless_body_is_413(tight: Server) -> None:
    """A chunked body that never ends: the client gets a JSON 413, not a reset."""
    with connect(tight.port) as sock:
        sock.sendall(
            b"POST /v1/evaluate HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        stop = threading.Event()

        def flood() -> None:
            chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
            deadline = time.monotonic() + 20
            try:
                while not stop.is_set() and time.monotonic() < deadline:
                    sock.sendall(chunk)
            except OSError:
                pass

        sender = threading.Thread(target=flood, daemon=True)
        sender.start()
        try:
            assert_json_error(read_answer(sock), 413)
        finally:
            stop.set()
            sender.join(timeout=30)


def test_stalled_body_is_408(tight: Server) -> None:
    """A body shorter than its Content-Length, then silence: JSON 408 after the timeout."""
    with connect(tight.port) as sock:
        sock.sendall(
            b"POST /v1/evaluate HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n{"
        )
        assert_json_error(read_answer(sock), 408)


def test_surrogate_over_http(tight: Server) -> None:
    """A lone surrogate in a name: a JSON 422 answer, never a dropped connection."""
    body = b'{"format":"rulekit.dossier/1","learner":{"id":"A1","name":"\\ud800"}}'
    status, _, answer = tight.call(
        "POST", "/v1/evaluate?as_of=2023-07-01", body, {"Content-Type": "application/json"}
    )
    assert status == 422
    assert json.loads(answer)["errors"][0]["path"] == "learner.name"


def test_idle_sockets_under_a_low_descriptor_limit(tmp_module: Path) -> None:
    """With `ulimit -n 64` and 80 idle sockets: the server keeps answering, JSON 503 or 200."""
    server = Server(tmp_module, "--head-timeout", "1", descriptors=64)
    try:
        assert "with 1 worker(s)" in server.errors()
        idle = []
        for _ in range(80):
            idle.append(socket.create_connection(("127.0.0.1", server.port), timeout=10))
        started = time.monotonic()
        with connect(server.port) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            answer = read_answer(sock)
        assert answer[0] in (200, 503), answer
        assert json.loads(answer[2])
        assert time.monotonic() - started < 10
        for sock in idle:
            sock.close()
        time.sleep(1.5)
        assert server.get("/healthz")[0] == 200
    finally:
        server.stop()


def test_oversized_upload_gets_its_413(tight: Server) -> None:
    """A 6 MB body sent whole by a client that reads only afterwards: it reads a JSON 413."""
    status, _, body = tight.call(
        "POST", "/v1/evaluate", b" " * (6 * 1024 * 1024), {"Content-Type": "application/json"}
    )
    assert status == 413
    assert json.loads(body)["errors"][0]["path"] == "$"


def test_batch_over_http_chunked(tight: Server) -> None:
    """A chunked JSON Lines upload: one answer line per dossier, then the summary."""
    line = json.dumps(json.loads(EXAMPLE)).encode()
    lines = [line, b"{broken", line]
    with connect(tight.port) as sock:
        sock.sendall(
            b"POST /v1/batch?as_of=2023-07-01 HTTP/1.1\r\nHost: t\r\n"
            b"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for part in lines:
            data = part + b"\n"
            sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        sock.sendall(b"0\r\n\r\n")
        received = b""
        while not received.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            assert chunk, received
            received += chunk
    head, _, chunked = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert b"transfer-encoding: chunked" in head.lower()
    body = b""
    while chunked:
        size_text, _, rest = chunked.partition(b"\r\n")
        size = int(size_text, 16)
        body, chunked = body + rest[:size], rest[size + 2 :]
        if size == 0:
            break
    answers = [json.loads(text) for text in body.splitlines()]
    assert [answer.get("line") for answer in answers] == [1, 2, 3, None]
    assert answers[1]["status"] == 422
    assert answers[-1]["summary"] == {"lines": 3, "decisions": 2, "errors": 1, "recorded": 0}


def test_start_message_hides_a_log_password(tmp_module: Path) -> None:
    """A PostgreSQL log URL is named without its password when the server starts."""
    server = Server(
        tmp_module, "--log", "postgresql://clerk:s3cret@127.0.0.1:1/log?password=s3cret"
    )
    try:
        assert "postgresql://clerk:***@127.0.0.1:1/log?password=***" in server.errors()
        assert "s3cret" not in server.errors()
    finally:
        server.stop()


def test_http_load_benchmark_runs() -> None:
    """benchmarks/http_load.py runs (tiny): both endpoints, no error, server CPU shown.

    Its in-process driver (what ``--instructions`` runs under callgrind) answers too.
    """
    script = str(ROOT / "benchmarks" / "http_load.py")
    done = subprocess.run(
        [sys.executable, script, "--levels", "1", "--duration", "0.5", "--workers", "1"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if "req/s" in line]
    assert [row.split()[0] for row in rows] == ["/healthz", "/v1/evaluate"]
    assert all("CPU/request server" in row for row in rows)
    assert "errors 0, resets 0" in done.stdout
    for name in ("/healthz", "/v1/evaluate"):
        driven = subprocess.run(
            [sys.executable, script, "--drive", name, "3", "--access-log"],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert driven.returncode == 0, driven.stderr
