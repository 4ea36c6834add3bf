"""Load benchmark of the HTTP service on loopback: throughput, latency, errors, by concurrency.

Not a test: it prints figures. It starts ``rulekit serve`` on a free loopback port (or
uses ``--url``), then for each concurrency level (1, 8, 32, 128 by default) and each of two
endpoints, ``GET /healthz`` (trivial: the floor of the HTTP stack) and ``POST
/v1/evaluate`` (the bundled example dossier), keeps that many keep-alive connections busy
for ``--duration`` seconds and reports requests per second, p50 and p99 latency, and
errors (non-200 answers, resets, timeouts). Then two ratios from the same run:
``/v1/evaluate`` throughput over ``/healthz`` throughput, and throughput at 32 over
throughput at 1.

The client is one asyncio process speaking HTTP/1.1 on raw sockets (no client library),
so that it costs little; it still shares the machine's cores with the server, which the
figures include. Every wait is bounded and the run stops by itself.

Usage: ``.venv/bin/python benchmarks/http_load.py [--workers 2] [--duration 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from attrs import frozen

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "casp_national.json").read_bytes()
LEVELS = (1, 8, 32, 128)
TIMEOUT = 30.0
"""Longest wait for any one answer or connection (then it counts as an error)."""


@frozen
class Endpoint:
    """One request, sent again and again."""

    name: str
    request: bytes


@frozen
class Result:
    """What one level of one endpoint gave."""

    endpoint: str
    concurrency: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    resets: int

    @property
    def rate(self) -> float:
        """Requests answered 200 per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def endpoints(host: str) -> list[Endpoint]:
    """The trivial endpoint and the evaluation, as raw HTTP/1.1 requests."""
    health = f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    evaluate = (
        f"POST /v1/evaluate?as_of=2023-07-01 HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(EXAMPLE)}\r\n\r\n"
    ).encode() + EXAMPLE
    return [Endpoint("/healthz", health), Endpoint("/v1/evaluate", evaluate)]


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


async def _client(
    host: str, port: int, endpoint: Endpoint, start: asyncio.Event, stop_at: list[float]
) -> tuple[list[float], int, int]:
    """Keep one connection busy until the deadline; return latencies, errors, resets."""
    latencies: list[float] = []
    errors = resets = 0
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), TIMEOUT)
    await start.wait()
    try:
        while time.perf_counter() < stop_at[0]:
            sent = time.perf_counter()
            try:
                writer.write(endpoint.request)
                status = await asyncio.wait_for(_answer(reader), TIMEOUT)
            except (ConnectionError, asyncio.IncompleteReadError):
                resets += 1
                writer.close()
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(host, port), TIMEOUT
                )
                continue
            except (TimeoutError, ValueError):
                errors += 1
                break
            if status == 200:
                latencies.append(time.perf_counter() - sent)
            else:
                errors += 1
    finally:
        writer.close()
    return latencies, errors, resets


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def run_level(
    host: str, port: int, endpoint: Endpoint, concurrency: int, duration: float
) -> Result:
    """Run ``concurrency`` connections on ``endpoint`` for ``duration`` seconds."""
    start = asyncio.Event()
    stop_at = [float("inf")]
    tasks = [
        asyncio.create_task(_client(host, port, endpoint, start, stop_at))
        for _ in range(concurrency)
    ]
    await asyncio.sleep(0.2)  # connections opened before the clock starts
    began = time.perf_counter()
    stop_at[0] = began + duration
    start.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.perf_counter() - began
    latencies: list[float] = []
    errors = resets = 0
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            errors += 1
            continue
        latencies.extend(outcome[0])
        errors += outcome[1]
        resets += outcome[2]
    return Result(
        endpoint.name,
        concurrency,
        len(latencies),
        elapsed,
        _percentile(latencies, 0.50),
        _percentile(latencies, 0.99),
        errors,
        resets,
    )


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


async def run_all(url: str, levels: tuple[int, ...], duration: float) -> list[Result]:
    """Every level of every endpoint, the trivial one first at each level."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    results = []
    for concurrency in levels:
        for endpoint in endpoints(host):
            results.append(await run_level(host, port, endpoint, concurrency, duration))
            print(_row(results[-1]), flush=True)
    return results


def _row(result: Result) -> str:
    return (
        f"{result.endpoint:<14} c={result.concurrency:<4} {result.rate:8.1f} req/s  "
        f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
        f"errors {result.errors}  resets {result.resets}"
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
    errors = sum(r.errors for r in results)
    resets = sum(r.resets for r in results)
    lines.append(f"errors {errors}, resets {resets}, requests {sum(r.requests for r in results)}")
    return lines


def main() -> None:
    """Parse options, start the server (unless --url), run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an already running server (loopback only)")
    parser.add_argument("--workers", type=int, default=2, help="server workers (default 2)")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per level")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="e.g. 1,8,32,128")
    args = parser.parse_args()
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
            print(f"server {url}, {args.workers} worker(s), {duration:g} s per level", flush=True)
            results = asyncio.run(run_all(url, levels, duration))
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
    for line in summary(results, levels):
        print(line)


if __name__ == "__main__":
    main()
