"""The installed certifications: plugins found, loaded one by one, declarations compiled.

This is the only module that touches pluggy; the rest of rulekit sees a typed
:class:`Registry`. Build it with :func:`load_registry` (entry points of the group
``rulekit``) or :meth:`Registry.from_plugins` (explicit plugin objects, for tests and
embedding systems); :func:`default_registry` caches one per process.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date
from importlib.metadata import entry_points
from typing import Any

import pluggy
from attrs import frozen

from rulekit import hookspecs
from rulekit.declaration import Certification
from rulekit.engine.compiled import CompiledCertification, compile_certification
from rulekit.errors import UnknownCertification, UnknownRuleSetVersion
from rulekit.kinds import CORE_KINDS
from rulekit.kinds.base import Kind, as_kind
from rulekit.rules import RuleType

ENTRY_POINT_GROUP = "rulekit"


@frozen
class PluginInfo:
    """A plugin and the distribution that provides it."""

    name: str
    distribution: str
    version: str
    plugin: object


@frozen
class PluginProblem:
    """A plugin that could not be loaded or whose declarations were refused."""

    plugin: str
    distribution: str
    version: str
    error: str

    def __str__(self) -> str:
        return f"plugin {self.plugin} ({self.distribution} {self.version}): {self.error}"


def _version_key(compiled: CompiledCertification) -> tuple[date, str]:
    return (compiled.declaration.effective_from or date.min, compiled.declaration.version)


class Registry:
    """Certifications by id, each with its rule-set versions, oldest first."""

    def __init__(
        self,
        certifications: Iterable[CompiledCertification],
        problems: Sequence[PluginProblem] = (),
        plugins: Sequence[PluginInfo] = (),
        kinds: Sequence[Kind] = CORE_KINDS,
    ) -> None:
        versions: dict[str, list[CompiledCertification]] = {}
        for compiled in certifications:
            versions.setdefault(compiled.id, []).append(compiled)
        self._versions = {key: sorted(value, key=_version_key) for key, value in versions.items()}
        self.problems: tuple[PluginProblem, ...] = tuple(problems)
        self.plugins: tuple[PluginInfo, ...] = tuple(plugins)
        self.kinds: tuple[Kind, ...] = tuple(kinds)
        """The registered requirement kinds, the core's first, in decision order."""

    @classmethod
    def from_plugins(cls, plugins: Iterable[PluginInfo]) -> Registry:
        """Load ``plugins`` one by one; a failing plugin becomes a :class:`PluginProblem`."""
        manager, loaded, problems = _register(plugins)
        rule_types: dict[str, RuleType | Kind] = {kind.kind: kind for kind in CORE_KINDS}
        for name, result in _call_each(manager, "rulekit_rule_types", loaded, problems):
            info = loaded[name]
            for rule_type in result:
                if rule_type.kind in rule_types:
                    problems.append(_problem(info, f"rule kind {rule_type.kind!r} declared twice"))
                else:
                    rule_types[rule_type.kind] = rule_type
        compiled: list[CompiledCertification] = []
        seen: set[tuple[str, str]] = set()
        for name, result in _call_each(manager, "rulekit_certifications", loaded, problems):
            info = loaded[name]
            for certification in result:
                key = (certification.id, certification.version)
                if key in seen:
                    problems.append(
                        _problem(
                            info,
                            f"{certification.id} version {certification.version} declared twice",
                        )
                    )
                    continue
                try:
                    compiled.append(
                        compile_certification(
                            certification,
                            plugin=info.distribution,
                            plugin_version=info.version,
                            rule_types=rule_types,
                        )
                    )
                except Exception as exc:  # a broken declaration is that plugin's problem only
                    problems.append(_problem(info, str(exc)))
                    continue
                seen.add(key)
        kinds = tuple(as_kind(rule_type) for rule_type in rule_types.values())
        return cls(compiled, problems, tuple(loaded.values()), kinds)

    def ids(self) -> list[str]:
        """Return the ids of the installed certifications, sorted."""
        return sorted(self._versions)

    def versions(self, certification: str) -> list[CompiledCertification]:
        """Return every installed rule-set version of ``certification``, oldest first."""
        if certification not in self._versions:
            raise UnknownCertification(certification, self.ids())
        return list(self._versions[certification])

    def certification(
        self, certification: str | None, as_of: date, version: str | None = None
    ) -> CompiledCertification:
        """Return the rule set of ``certification`` in force on ``as_of``, or the one named.

        The rule set in force is the latest whose ``effective_from`` is on or before
        ``as_of``; before the first one, the first one.

        :raises UnknownCertification: when no plugin declares it.
        :raises UnknownRuleSetVersion: when ``version`` is not installed.
        """
        if certification is None or certification not in self._versions:
            raise UnknownCertification(certification, self.ids())
        versions = self._versions[certification]
        if version is not None:
            for compiled in versions:
                if compiled.declaration.version == version:
                    return compiled
            installed = ", ".join(c.declaration.version for c in versions)
            raise UnknownRuleSetVersion(
                f"{certification} has no rule-set version {version!r}; installed: {installed}"
            )
        chosen = versions[0]
        for compiled in versions:
            start = compiled.declaration.effective_from
            if start is None or start <= as_of:
                chosen = compiled
        return chosen

    def declarations(self) -> list[Certification]:
        """Return every installed declaration, by id then version."""
        return [c.declaration for key in self.ids() for c in self._versions[key]]


def _register(
    plugins: Iterable[PluginInfo],
) -> tuple[pluggy.PluginManager, dict[str, PluginInfo], list[PluginProblem]]:
    """Register ``plugins`` one by one with a new manager; a refused one becomes a problem."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    problems: list[PluginProblem] = []
    loaded: dict[str, PluginInfo] = {}
    for info in plugins:
        try:
            manager.register(info.plugin, name=info.name)
        except Exception as exc:  # a broken plugin must not take the others down
            problems.append(_problem(info, repr(exc)))
            continue
        loaded[info.name] = info
    return manager, loaded, problems


def _problem(info: PluginInfo, error: str) -> PluginProblem:
    return PluginProblem(info.name, info.distribution, info.version, error)


def _call_each(
    manager: pluggy.PluginManager,
    hook_name: str,
    loaded: dict[str, PluginInfo],
    problems: list[PluginProblem],
) -> list[tuple[str, list[Any]]]:
    """Call one hook plugin by plugin, so that one raising does not hide the others."""
    results: list[tuple[str, list[Any]]] = []
    caller = getattr(manager.hook, hook_name)
    for impl in sorted(caller.get_hookimpls(), key=lambda impl: impl.plugin_name):
        info = loaded[impl.plugin_name]
        try:
            results.append((impl.plugin_name, list(impl.function())))
        except Exception as exc:  # reported by name; the other plugins still work
            problems.append(_problem(info, f"{hook_name} failed: {exc!r}"))
    return results


def declared_certifications(
    plugins: Iterable[PluginInfo],
) -> tuple[list[tuple[PluginInfo, Certification]], list[PluginProblem]]:
    """Return every declaration of ``plugins`` as declared, before compilation.

    For ``rulekit plugin check``, which lints declarations that the registry would refuse
    (and so never compile). Plugins are called one by one, as by :meth:`Registry.from_plugins`;
    a failing one is a :class:`PluginProblem`.
    """
    manager, loaded, problems = _register(plugins)
    declared = [
        (loaded[name], certification)
        for name, result in _call_each(manager, "rulekit_certifications", loaded, problems)
        for certification in result
    ]
    return declared, problems


def discover() -> tuple[list[PluginInfo], list[PluginProblem]]:
    """Import every plugin of the entry-point group ``rulekit``, each on its own."""
    plugins: list[PluginInfo] = []
    problems: list[PluginProblem] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        distribution = point.dist.name if point.dist is not None else "?"
        version = point.dist.version if point.dist is not None else "?"
        try:
            plugin = point.load()
        except Exception as exc:  # a plugin that fails to import is reported, not fatal
            problems.append(
                PluginProblem(point.name, distribution, version, f"import failed: {exc!r}")
            )
            continue
        plugins.append(PluginInfo(point.name, distribution, version, plugin))
    return plugins, problems


def load_registry() -> Registry:
    """Return a registry of every installed plugin (entry-point group ``rulekit``)."""
    plugins, problems = discover()
    registry = Registry.from_plugins(plugins)
    return Registry(
        (c for key in registry.ids() for c in registry.versions(key)),
        [*problems, *registry.problems],
        registry.plugins,
        registry.kinds,
    )


@functools.cache
def default_registry() -> Registry:
    """Return the registry of installed plugins, built once per process."""
    return load_registry()
