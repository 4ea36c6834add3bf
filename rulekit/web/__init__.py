"""The HTTP service: a Starlette application served by uvicorn (``rulekit serve``).

- :func:`create_app` builds the application (:mod:`rulekit.web.app`);
- :mod:`rulekit.web.protocol` is the HTTP/1.1 protocol it is served with, whose limits
  hold against slow, idle and too many clients;
- :mod:`rulekit.web.server` starts uvicorn with those limits and several workers;
- :mod:`rulekit.web.tokens` keeps the bearer tokens, hashed, with their roles.

Importing this package is cheap; the web stack (Starlette, uvicorn: about half a second)
loads with :mod:`rulekit.web.app`, so other ``rulekit`` commands do not pay for it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from rulekit.web.app import create_app  # noqa: PLC0415 (the web stack, on first use)

        return create_app
    if name == "Settings":
        from rulekit.web.settings import Settings  # noqa: PLC0415

        return Settings
    raise AttributeError(name)
