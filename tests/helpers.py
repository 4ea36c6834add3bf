"""Small builders shared by the core's tests (all data fictitious)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from rulekit.registry import PluginInfo, Registry


def registry_of(*modules: object) -> Registry:
    """Return a registry of the given plugin objects (no entry points involved)."""
    return Registry.from_plugins(
        PluginInfo(
            name=getattr(module, "__name__", type(module).__name__),
            distribution="tests-" + getattr(module, "__name__", type(module).__name__),
            version="0",
            plugin=module,
        )
        for module in modules
    )


def dossier(**fields: Any) -> dict[str, Any]:
    """Return a dossier JSON object with a fictitious learner and ``fields``."""
    return {"format": "rulekit.dossier/1", "learner": {"id": "T1", "name": "Fictitious"}, **fields}


def passed(code: str, day: str, **extra: Any) -> dict[str, Any]:
    """Return a passed unit."""
    return {"code": code, "result": "passed", "date": day, **extra}


def block(code: str, day: str, result: str = "passed") -> dict[str, Any]:
    """Return a bloc result."""
    return {"code": code, "result": result, "date": day}


def job(start: str, end: str | None, *, in_field: bool = True, fte: float = 1.0) -> dict[str, Any]:
    """Return an experience period."""
    return {"start": start, "end": end, "in_field": in_field, "fte": fte}


def module_name(module: ModuleType) -> str:
    """Return a module's name (for ids)."""
    return module.__name__
