"""uvicorn's HTTP/1.1 protocol (h11) with limits that hold against slow and idle clients.

The stock protocol leaves a connection that never sends a request open for ever (no timer
runs until a first response), lets a client send its request head one byte a minute, keeps
draining a body it refused until the client stops, and answers its own errors (over the
concurrency limit, a malformed request) in plain text. Here:

- **head timeout**: a connection must deliver each request head within
  :attr:`Limits.head_timeout` seconds of being opened or of its last answer; when the time
  is up it gets a JSON 408 if it had started one, and is closed either way. An idle
  keep-alive connection is still closed sooner, after uvicorn's ``timeout_keep_alive``;
- **connection cap**: beyond :attr:`Limits.max_connections` open connections, a new one is
  answered at once with a JSON 503 (``Retry-After``) and closed, so descriptors stay
  bounded and a crowd of idle sockets can delay other clients by at most the head timeout;
- **bounded drain and lingering close**: after an early answer (413, 408...) the rest of
  the body is read and dropped, and a connection is closed by first ending the sending
  side only (``write_eof``), then reading and dropping what still comes for at most
  :data:`LINGER` seconds: closing a socket with unread data sends a reset, and the
  client, which usually sends all of its body before it reads, would lose the answer.
  Never more than :attr:`Limits.drain_bytes` bytes are dropped;
- **bounded head**: a request line and headers over :attr:`Limits.max_head_bytes` get a
  JSON 431 (h11's own bound applies only to a head that arrives in several reads);
- a malformed request gets a JSON 400;
- **one write per answer**: what the protocol writes in one turn of the event loop (an
  answer's head and its body) goes to the socket in one system call
  (:meth:`LingeringTransport.write`).

uvicorn picks the protocol class by import path (``Config(http=...)``), in every worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import h11
from attrs import frozen
from uvicorn.protocols.http.h11_impl import H11Protocol

from rulekit.errors import InputError
from rulekit.web.errors import JSON_TYPE, errors_payload, json_bytes


@frozen
class Limits:
    """The limits of every connection of this process (module doc)."""

    head_timeout: float = 10.0
    max_connections: int = 1000
    drain_bytes: int = 16 * 1024 * 1024
    max_head_bytes: int = 16 * 1024


ACCESS_LOG = logging.getLogger("rulekit.web.access")
"""The access log: the protocol's own answers (503, 408, 431, 400) get a line too."""

REFUSED_LINGER = 1.0
"""Seconds a refused connection stays open for its request to arrive (then read, dropped)."""

LINGER = 2.0
"""Seconds a closing connection keeps reading (and dropping) what the client still sends."""

LIMITS = Limits()
"""Set by :func:`configure` in each worker before it serves."""


def configure(limits: Limits) -> None:
    """Use ``limits`` for the connections this process accepts from now on."""
    global LIMITS  # noqa: PLW0603 - one setting per worker process, read per connection
    LIMITS = limits


def raw_answer(status: int, reason: str, message: str, extra: str = "") -> bytes:
    """Return a complete HTTP/1.1 answer with a ``rulekit.errors/1`` body, closing."""
    body = json_bytes(errors_payload([InputError("$", message)], None))
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: {JSON_TYPE}\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n{extra}\r\n"
    )
    return head.encode("ascii") + body


def _no_delay(transport: asyncio.Transport) -> None:
    """Send small writes at once (TCP_NODELAY).

    asyncio sets it only on sockets whose protocol number is TCP's, and the listening
    socket that uvicorn binds for several workers is made with protocol 0, so the
    accepted ones lack it: an answer's head and body then wait for the client's delayed
    acknowledgement, about 40 ms per request on Linux.
    """
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class LingeringTransport(asyncio.Transport):
    """The connection's transport, whose :meth:`close` lingers (module doc).

    uvicorn closes the transport it was given in many places (after a ``Connection:
    close`` answer, on its keep-alive timeout, at shutdown); giving it this one makes
    every such close a lingering one. Everything else goes to the real transport.
    """

    def __init__(
        self,
        real: asyncio.Transport,
        on_linger: Callable[[], None],
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        super().__init__()
        self.real = real
        self._on_linger = on_linger
        self._loop = loop
        self._closing = False
        self._held: list[bytes] | None = None

    def flush(self) -> None:
        """Send what :meth:`write` held, in one write."""
        held, self._held = self._held, None
        if held and not self.real.is_closing():
            self.real.write(held[0] if len(held) == 1 else b"".join(held))

    def close(self) -> None:
        """End the sending side, keep reading for a while, then close (module doc)."""
        if self._closing:
            return
        self.flush()
        self._closing = True
        if self.real.is_closing():
            return
        if not self.real.can_write_eof():
            self.real.close()
            return
        try:
            self.real.write_eof()
        except OSError:
            self.real.close()
            return
        self._on_linger()

    def is_closing(self) -> bool:
        """Whether a close was asked for (nothing more may be written)."""
        return self._closing or self.real.is_closing()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Send ``data`` unless the connection is closing, at the end of this loop turn.

        uvicorn writes an answer's head, then its body, each as it is given; sent apart
        they cost two system calls and two packets (the socket has TCP_NODELAY), and the
        client wakes up twice. What is written in one turn of the event loop is held
        and sent in one write just after it.
        """
        if self._closing or not data:
            return
        if self._held is None:
            self._held = [bytes(data)]
            self._loop.call_soon(self.flush)
        else:
            self._held.append(bytes(data))

    def abort(self) -> None:
        """Close at once (what is held is dropped)."""
        self._closing = True
        self._held = None
        self.real.abort()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """The real transport's information (peer name, socket...)."""
        return self.real.get_extra_info(name, default)

    def pause_reading(self) -> None:
        """Stop reading (flow control)."""
        self.real.pause_reading()

    def resume_reading(self) -> None:
        """Read again (flow control)."""
        self.real.resume_reading()

    def is_reading(self) -> bool:
        """Whether the real transport reads."""
        return self.real.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        """Hand the connection to another protocol (an upgrade)."""
        self.real.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        """The protocol the real transport feeds."""
        return self.real.get_protocol()

    def can_write_eof(self) -> bool:
        """Whether the sending side can be ended alone."""
        return self.real.can_write_eof()

    def write_eof(self) -> None:
        """End the sending side, after what is held."""
        self.flush()
        self.real.write_eof()

    def get_write_buffer_size(self) -> int:
        """Bytes waiting to be sent, held ones included."""
        held = sum(len(data) for data in self._held) if self._held else 0
        return self.real.get_write_buffer_size() + held

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        """Flow-control marks of the real transport."""
        self.real.set_write_buffer_limits(high, low)

    def get_write_buffer_limits(self) -> tuple[int, int]:
        """Flow-control marks of the real transport."""
        return self.real.get_write_buffer_limits()


class RulekitH11Protocol(H11Protocol):
    """The h11 protocol with the limits of :data:`LIMITS` (module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = LIMITS
        self.limit_concurrency = None  # the cap below answers in JSON instead
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_deadline: float | None = None
        self._refused = False
        self._drained = 0
        self._lingering = False
        self._linger_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Accept the connection, or answer 503 when the process is at its cap.

        The refused connection is closed once its request has been read (or after a
        second): closing with unread data would reset it, and the client might then
        never read the answer.
        """
        super().connection_made(transport)
        _no_delay(transport)
        self.transport = LingeringTransport(transport, self._linger, self.loop)
        if len(self.connections) > self.limits.max_connections:
            self._refused = True
            self.connections.discard(self)
            self._answer(
                503,
                "Service Unavailable",
                f"the server has {self.limits.max_connections} open connections; retry",
                "retry-after: 1\r\n",
            )
            self._head_timer = self.loop.call_later(REFUSED_LINGER, self.transport.close)
            return
        self._arm_head_timer()

    def _answer(self, status: int, reason: str, message: str, extra: str = "") -> None:
        """Send an answer of the protocol's own, and write its access-log line."""
        data = raw_answer(status, reason, message, extra)
        line = {
            "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "request_id": None,
            "method": None,
            "path": None,
            "status": status,
            "bytes": len(data),
            "client": self.client[0] if self.client else None,
            "reason": message,
        }
        ACCESS_LOG.info(json.dumps(line, ensure_ascii=True, separators=(",", ":")))
        self.transport.write(data)  # after the log line: whoever reads the answer finds it

    def _linger(self) -> None:
        """The sending side is ended: drop what comes, close after :data:`LINGER` seconds."""
        self._lingering = True
        self._cancel_head_timer()
        self.connections.discard(self)  # it serves nothing more: not counted in the cap
        self.flow.resume_reading()  # reading may be paused by flow control: drain anyway
        real = self.transport.real if isinstance(self.transport, LingeringTransport) else None
        if real is not None:
            self._linger_timer = self.loop.call_later(LINGER, real.close)

    def _arm_head_timer(self) -> None:
        """Give the next request head :attr:`Limits.head_timeout` seconds from now.

        One timer per connection, moved lazily: arming sets the deadline and starts the
        timer only when none is running; when it fires early (the deadline was moved on
        by later answers) it starts again for the rest. A keep-alive connection serving
        request after request thus schedules and cancels no timer per request.
        """
        self._head_deadline = self.loop.time() + self.limits.head_timeout
        if self._head_timer is None:
            self._head_timer = self.loop.call_at(self._head_deadline, self._head_check)

    def _pause_head_timer(self) -> None:
        """A request head arrived: no deadline until its answer is complete."""
        self._head_deadline = None

    def _cancel_head_timer(self) -> None:
        self._head_deadline = None
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_check(self) -> None:
        self._head_timer = None
        deadline = self._head_deadline
        if deadline is None:
            return
        if self.loop.time() < deadline:
            self._head_timer = self.loop.call_at(deadline, self._head_check)
            return
        self._head_deadline = None
        self._head_timed_out()

    def _head_timed_out(self) -> None:
        if self.transport.is_closing():
            return
        busy = self.cycle is not None and not self.cycle.response_complete
        if busy:
            return  # a request is being answered: the application has its own timeouts
        if self.conn.our_state is h11.IDLE and self.conn.trailing_data[0]:
            self._answer(
                408,
                "Request Timeout",
                f"the request head did not arrive within {self.limits.head_timeout:g} s",
            )
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        """Feed the request in; drop, within bounds, what follows an early answer."""
        if self._lingering:
            self._drained += len(data)
            if self._drained > self.limits.drain_bytes:
                self.transport.abort()
            return
        if self._refused:
            self.transport.close()
            return
        if self.conn.their_state is h11.IDLE and self._head_too_large(data):
            self._answer(
                431,
                "Request Header Fields Too Large",
                f"the request head is larger than {self.limits.max_head_bytes} bytes",
            )
            self.transport.close()
            return
        if self.conn.our_state is h11.DONE and self.conn.their_state is h11.SEND_BODY:
            self._drained += len(data)
            if self._drained > self.limits.drain_bytes:
                self.transport.close()
                return
        super().data_received(data)

    def _head_too_large(self, data: bytes) -> bool:
        """Whether the request head being read, with ``data``, is over the limit."""
        buffered = self.conn.trailing_data[0] + data
        end = buffered.find(b"\r\n\r\n")
        size = len(buffered) if end < 0 else end
        return size > self.limits.max_head_bytes

    def handle_events(self) -> None:
        """Process events; a request head that arrived stops its timer."""
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:
            self._pause_head_timer()

    def on_response_complete(self) -> None:
        """After an answer: send it now, time the next request head (or the body's drain)."""
        if isinstance(self.transport, LingeringTransport):
            self.transport.flush()  # at once: not a turn of the loop later
        super().on_response_complete()
        if not self.transport.is_closing():
            self._drained = 0
            self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the timers of a closed connection."""
        self._cancel_head_timer()
        if self._linger_timer is not None:
            self._linger_timer.cancel()
            self._linger_timer = None
        if self._refused:
            return
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """Answer a malformed request in JSON, then close."""
        self._answer(400, "Bad Request", f"not a valid HTTP request: {msg}")
        self.transport.close()
