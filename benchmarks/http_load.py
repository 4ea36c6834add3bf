"""Load benchmark of the HTTP service on loopback: throughput, latency, errors, by concurrency.

Not a test: it prints figures. It starts ``rulekit serve`` on a free loopback port (or
uses ``--url``), then for each concurrency level (1, 8, 32, 128 by default) keeps that
many keep-alive connections busy on two endpoints, ``GET /healthz`` (trivial: the floor of
the HTTP stack) and ``POST /v1/evaluate`` (64 distinct dossiers made from the bundled
example, so that nothing is answered from a cache), and reports for each: requests per
second, p50 and p99 latency, errors (non-200 answers, timeouts) and resets, the server's
CPU time per request (its processes' user and system time, from ``/proc``) and the
client's (this process), with the share of the run the client was busy: a client near
100 % is the bottleneck, and the throughput figures then understate the server.

The two endpoints alternate in :data:`SLICES` slices per level on the same connections
(healthz, evaluate, healthz, ...), so both see the same load from the other programs on
the machine; their ratio is therefore fairer than two runs one after the other. Then the
ratios of the run: ``/v1/evaluate`` throughput over ``/healthz`` throughput, and
throughput at 32 over throughput at 1.

The client is one asyncio process speaking HTTP/1.1 on raw sockets (no client library),
so that it costs little; it still shares the machine's cores with the server, which the
figures include. Every wait is bounded and the run stops by itself.

With ``--instructions`` it measures instead what one request costs the server in machine
instructions, which the machine's load does not move: the application and uvicorn's
protocol (:class:`rulekit.web.protocol.RulekitH11Protocol`) run in this process on an
in-memory transport (no sockets, so no system calls are counted), fed the same requests
one after the other, under Valgrind's callgrind; each figure is the difference between
two counts of requests, so start-up and warm-up cancel out (hash seed fixed).

Usage: ``.venv/bin/python benchmarks/http_load.py [--workers 2] [--duration 3]``, or
``... --instructions [--access-log]`` (needs ``valgrind``; about two minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import callgrind
from attrs import frozen

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "examples" / "casp_national.json").read_bytes())
LEVELS = (1, 8, 32, 128)
DOSSIERS = 64
"""Distinct dossiers sent to ``/v1/evaluate`` (the example with another learner id)."""
SLICES = 6
"""Slices per level, the endpoints taking turns (three each)."""
TIMEOUT = 30.0
"""Longest wait for any one answer or connection (then it counts as an error)."""
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@frozen
class Endpoint:
    """Requests sent again and again, each connection starting at its own one."""

    name: str
    requests: tuple[bytes, ...]


@frozen
class Result:
    """What one level of one endpoint gave (its slices added up)."""

    endpoint: str
    concurrency: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    resets: int
    server_cpu: float | None
    """Seconds of CPU the server's processes spent in this endpoint's slices."""
    client_cpu: float
    """Seconds of CPU this process spent in them."""

    @property
    def rate(self) -> float:
        """Requests answered 200 per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def per_request_ms(self, cpu: float | None) -> float:
        """``cpu`` seconds per answered request, in milliseconds."""
        if cpu is None or not self.requests:
            return float("nan")
        return cpu / self.requests * 1000


def dossiers(count: int) -> list[bytes]:
    """``count`` distinct dossiers: the bundled example, each with its own learner id."""
    out = []
    for index in range(count):
        dossier = dict(EXAMPLE)
        dossier["learner"] = {**EXAMPLE["learner"], "id": f"LOAD{index:04d}"}
        out.append(json.dumps(dossier, ensure_ascii=False).encode("utf-8"))
    return out


def endpoints(host: str) -> list[Endpoint]:
    """The trivial endpoint and the evaluation, as raw HTTP/1.1 requests."""
    health = f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    evaluate = tuple(
        (
            f"POST /v1/evaluate?as_of=2023-07-01 HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        + body
        for body in dossiers(DOSSIERS)
    )
    return [Endpoint("/healthz", (health,)), Endpoint("/v1/evaluate", evaluate)]


_LENGTH = re.compile(rb"\r\ncontent-length: *([0-9]+)", re.IGNORECASE)


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one answer; return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    match = _LENGTH.search(head)
    if match is None:
        raise ValueError("answer without Content-Length")
    await reader.readexactly(int(match.group(1)))
    return status


class Connection:
    """One keep-alive connection, kept across the slices of a level."""

    def __init__(self, host: str, port: int, first: int) -> None:
        self.host, self.port = host, port
        self.next = first
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        """Open (or open again) the connection."""
        self.close()
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port), TIMEOUT
        )

    def close(self) -> None:
        """Close it, if open."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def run(self, endpoint: Endpoint, stop_at: float) -> tuple[list[float], int, int]:
        """Send ``endpoint``'s requests until ``stop_at``; return latencies, errors, resets."""
        latencies: list[float] = []
        errors = resets = 0
        requests = endpoint.requests
        while time.perf_counter() < stop_at:
            if self.writer is None or self.reader is None:
                await self.open()
                continue
            request = requests[self.next % len(requests)]
            self.next += 1
            sent = time.perf_counter()
            try:
                self.writer.write(request)
                status = await asyncio.wait_for(_answer(self.reader), TIMEOUT)
            except (ConnectionError, asyncio.IncompleteReadError):
                resets += 1
                await self.open()
                continue
            except (TimeoutError, ValueError):
                errors += 1
                self.close()
                break
            if status == 200:
                latencies.append(time.perf_counter() - sent)
            else:
                errors += 1
        return latencies, errors, resets


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (proc(5))


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (``/proc/*/stat``: the 4th field)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def server_cpu(pid: int | None) -> float | None:
    """CPU seconds of the server and its worker processes so far (``None``: unknown).

    The workers are found once, by parent, and kept (:data:`_WORKERS`): reading
    ``/proc`` whole for each slice would charge the client.
    """
    if pid is None or not Path(f"/proc/{pid}/stat").exists():
        return None
    if pid not in _WORKERS:
        _WORKERS[pid] = _children(pid)
    return _process_cpu(pid) + sum(_process_cpu(child) for child in _WORKERS[pid])


_WORKERS: dict[int, list[int]] = {}


async def run_level(
    host: str,
    port: int,
    pair: Sequence[Endpoint],
    concurrency: int,
    duration: float,
    *,
    server: int | None,
) -> list[Result]:
    """Run ``concurrency`` connections for ``duration`` seconds per endpoint of ``pair``.

    The endpoints take turns in :data:`SLICES` slices on the same connections, each
    connection starting at its own dossier.
    """
    connections = [Connection(host, port, index * 7) for index in range(concurrency)]
    await asyncio.gather(*(connection.open() for connection in connections))
    seconds = dict.fromkeys(range(len(pair)), 0.0)
    cpu: dict[int, float | None] = dict.fromkeys(range(len(pair)), 0.0)
    client = dict.fromkeys(range(len(pair)), 0.0)
    latencies: dict[int, list[float]] = {index: [] for index in range(len(pair))}
    errors = dict.fromkeys(range(len(pair)), 0)
    resets = dict.fromkeys(range(len(pair)), 0)
    slice_seconds = duration * len(pair) / SLICES
    try:
        for turn in range(SLICES):
            index = turn % len(pair)
            server_before, client_before = server_cpu(server), time.process_time()
            began = time.perf_counter()
            stop_at = began + slice_seconds
            outcomes = await asyncio.gather(
                *(connection.run(pair[index], stop_at) for connection in connections),
                return_exceptions=True,
            )
            seconds[index] += time.perf_counter() - began
            client[index] += time.process_time() - client_before
            server_after = server_cpu(server)
            spent = cpu[index]
            if spent is None or server_before is None or server_after is None:
                cpu[index] = None
            else:
                cpu[index] = spent + server_after - server_before
            for outcome in outcomes:
                if isinstance(outcome, BaseException):
                    errors[index] += 1
                    continue
                latencies[index].extend(outcome[0])
                errors[index] += outcome[1]
                resets[index] += outcome[2]
    finally:
        for connection in connections:
            connection.close()
    return [
        Result(
            endpoint.name,
            concurrency,
            len(latencies[index]),
            seconds[index],
            _percentile(latencies[index], 0.50),
            _percentile(latencies[index], 0.99),
            errors[index],
            resets[index],
            cpu[index],
            client[index],
        )
        for index, endpoint in enumerate(pair)
    ]


def start_server(workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``rulekit serve`` on a free loopback port; return it and its URL."""
    rulekit = str(Path(sys.executable).with_name("rulekit"))
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RULEKIT_")}
    with log.open("wb") as err:
        process = subprocess.Popen(
            [rulekit, "serve", "--port", "0", "--workers", str(workers), "--no-access-log"],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=environ,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        match = re.search(r"serving on (http://127\.0\.0\.1:\d+)", log.read_text())
        if match:
            url = match.group(1)
            for _ in range(600):
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=5):
                        return process, url
                except OSError:
                    time.sleep(0.1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise SystemExit(f"rulekit serve did not start: {log.read_text()}")


async def run_all(
    url: str, levels: tuple[int, ...], duration: float, server: int | None
) -> list[Result]:
    """Every level, both endpoints taking turns at each."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    pair = endpoints(host)
    results = []
    for concurrency in levels:
        for result in await run_level(host, port, pair, concurrency, duration, server=server):
            results.append(result)
            print(_row(result), flush=True)
    return results


def _row(result: Result) -> str:
    busy = result.client_cpu / result.seconds * 100 if result.seconds else float("nan")
    return (
        f"{result.endpoint:<14} c={result.concurrency:<4} {result.rate:8.1f} req/s  "
        f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
        f"errors {result.errors}  resets {result.resets}  "
        f"CPU/request server {result.per_request_ms(result.server_cpu):5.2f} ms "
        f"client {result.per_request_ms(result.client_cpu):5.2f} ms (client busy {busy:3.0f} %)"
    )


def summary(results: list[Result], levels: tuple[int, ...]) -> list[str]:
    """The ratios of the run: evaluate over healthz per level, 32 (or the top) over 1."""
    rate = {(r.endpoint, r.concurrency): r.rate for r in results}
    lines = []
    for concurrency in levels:
        floor = rate[("/healthz", concurrency)]
        ratio = rate[("/v1/evaluate", concurrency)] / floor if floor else float("nan")
        lines.append(f"c={concurrency}: /v1/evaluate / /healthz throughput = {ratio:.2f}")
    top = 32 if 32 in levels else levels[-1]
    for name in ("/healthz", "/v1/evaluate"):
        base = rate[(name, levels[0])]
        ratio = rate[(name, top)] / base if base else float("nan")
        lines.append(f"{name}: throughput at c={top} / c={levels[0]} = {ratio:.2f}")
    for name in ("/healthz", "/v1/evaluate"):
        mine = [r for r in results if r.endpoint == name]
        served = sum(r.requests for r in mine)
        spent = [r.server_cpu for r in mine]
        if served and all(cpu is not None for cpu in spent):
            total = sum(cpu for cpu in spent if cpu is not None)
            lines.append(f"{name}: server CPU {total / served * 1000:.3f} ms per request")
    errors = sum(r.errors for r in results)
    resets = sum(r.resets for r in results)
    lines.append(f"errors {errors}, resets {resets}, requests {sum(r.requests for r in results)}")
    return lines


class MemoryTransport(asyncio.Transport):
    """A transport that keeps what the protocol writes and calls back once per answer."""

    def __init__(self, on_write: Callable[[], None]) -> None:
        super().__init__()
        self.written = bytearray()
        self.on_write = on_write
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Keep ``data``, then let the driver look for a whole answer."""
        self.written += data
        self.on_write()

    def get_extra_info(self, name: str, default: object = None) -> object:
        """The addresses of a loopback connection."""
        names = {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}
        return names.get(name, default)

    def is_closing(self) -> bool:
        """Whether the protocol closed it."""
        return self.closed

    def close(self) -> None:
        """Mark it closed."""
        self.closed = True

    def can_write_eof(self) -> bool:
        """Like a TCP socket."""
        return True

    def write_eof(self) -> None:
        """Nothing to do in memory."""

    def pause_reading(self) -> None:
        """Nothing to do in memory."""

    def resume_reading(self) -> None:
        """Nothing to do in memory."""

    def get_write_buffer_size(self) -> int:
        """Nothing waits: every write is kept at once."""
        return 0


async def drive(name: str, count: int, access_log: bool) -> None:
    """Send ``count`` requests of endpoint ``name`` through the protocol, in memory."""
    import uvicorn  # noqa: PLC0415 (only this mode loads the server in this process)
    from uvicorn.server import ServerState  # noqa: PLC0415

    from rulekit.web.app import ACCESS_LOG, configure_logging, create_app  # noqa: PLC0415
    from rulekit.web.protocol import RulekitH11Protocol  # noqa: PLC0415
    from rulekit.web.settings import Settings  # noqa: PLC0415

    if access_log:
        configure_logging()
        for handler in ACCESS_LOG.handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(open(os.devnull, "w"))  # noqa: SIM115
    app = create_app(Settings(access_log=access_log))
    config = uvicorn.Config(
        app, http=RulekitH11Protocol, lifespan="off", access_log=False, log_config=None
    )
    config.load()
    loop = asyncio.get_running_loop()
    waiting: list[asyncio.Future[None]] = []

    def on_write() -> None:
        head, found, rest = bytes(transport.written).partition(b"\r\n\r\n")
        match = _LENGTH.search(head)
        if found and match and len(rest) >= int(match.group(1)) and waiting:
            transport.written.clear()
            waiting.pop().set_result(None)

    transport = MemoryTransport(on_write)
    protocol = RulekitH11Protocol(config=config, server_state=ServerState(), app_state={})
    protocol.connection_made(transport)
    requests = next(e for e in endpoints("127.0.0.1") if e.name == name).requests
    for index in range(len(requests) + count):  # one warm-up pass first
        answered = loop.create_future()
        waiting.append(answered)
        protocol.data_received(requests[index % len(requests)])
        await asyncio.wait_for(answered, TIMEOUT)
    protocol.connection_lost(None)


def instructions(name: str, count: int, access_log: bool) -> int:
    """Instructions callgrind counts for a process serving ``count`` requests of ``name``."""
    arguments = [__file__, "--drive", name, str(count)]
    return callgrind.count(arguments + (["--access-log"] if access_log else []), name)


def count_instructions(access_log: bool, few: int, many: int) -> None:
    """Print the instructions per request of each endpoint, and their ratio."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    log = "on" if access_log else "off"
    print(f"in-process protocol under callgrind, access log {log}, {many} - {few} requests")
    per: dict[str, float] = {}
    for name in ("/healthz", "/v1/evaluate"):
        spent = instructions(name, many, access_log) - instructions(name, few, access_log)
        per[name] = spent / (many - few)
        print(f"{name:<14} {per[name] / 1e6:6.3f} M instructions per request", flush=True)
    ratio = per["/healthz"] / per["/v1/evaluate"]
    print(
        f"/healthz / /v1/evaluate instructions = {ratio:.2f} "
        "(their throughput ratio when the server alone is the limit)"
    )


def main() -> None:
    """Parse options, start the server (unless --url), run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an already running server (loopback only)")
    parser.add_argument("--workers", type=int, default=2, help="server workers (default 2)")
    parser.add_argument(
        "--duration", type=float, default=3.0, help="seconds per level and endpoint"
    )
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="e.g. 1,8,32,128")
    parser.add_argument(
        "--instructions", action="store_true", help="instructions per request (callgrind)"
    )
    parser.add_argument("--access-log", action="store_true", help="with --instructions")
    parser.add_argument("--drive", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        asyncio.run(drive(args.drive[0], int(args.drive[1]), args.access_log))
        return
    if args.instructions:
        count_instructions(args.access_log, DOSSIERS, 5 * DOSSIERS)
        return
    levels = tuple(int(level) for level in args.levels.split(","))
    duration = min(max(args.duration, 0.5), 30.0)
    if args.url and urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("--url must be a loopback address")
    process = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            url = args.url
        else:
            process, url = start_server(args.workers, Path(tmp) / "serve.err")
        try:
            workers = "?" if args.url else str(args.workers)
            print(
                f"server {url}, {workers} worker(s), {duration:g} s per level and endpoint "
                f"in {SLICES} alternating slices, {os.cpu_count()} CPU(s), load average "
                + " ".join(f"{load:.1f}" for load in os.getloadavg()),
                flush=True,
            )
            server = process.pid if process is not None else None
            results = asyncio.run(run_all(url, levels, duration, server))
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    for line in summary(results, levels):
        print(line)


if __name__ == "__main__":
    main()
