"""The installed certifications: plugins found, loaded one by one, declarations compiled.

This is the only module that touches pluggy; the rest of rulekit sees a typed
:class:`Registry`. Build it with :func:`load_registry` (entry points of the group
``rulekit``) or :meth:`Registry.from_plugins` (explicit plugin objects, for tests and
embedding systems); :func:`default_registry` caches one per process.

How plugins are loaded (docs/plugins.md, "Loading"):

- the core's own plugin modules (:data:`BUILTIN_PLUGINS`, its requirement kinds) are
  registered first, always, as datasette registers its default plugins;
- then each entry point of the group ``rulekit``, sorted by name; ``RULEKIT_LOAD_PLUGINS``
  (comma-separated entry-point names, empty for none) restricts which, and a list of
  trusted distributions (``RULEKIT_TRUSTED_PLUGINS``, ``RULEKIT_TRUSTED_PLUGINS_FILE``),
  when given, keeps every other distribution out;
- each plugin is registered once with one :class:`pluggy.PluginManager`, then
  :meth:`pluggy.PluginManager.check_pending` refuses a plugin implementing a hook that
  :mod:`rulekit.hookspecs` does not specify (a typo such as ``rulekit_certification``);
- each hook is called through ``pm.hook`` (so pluggy's hook wrappers and call monitoring
  apply), one plugin at a time with :meth:`pluggy.PluginManager.subset_hook_caller`, so
  that one raising plugin is reported by name and version and hides no other;
- a certification id belongs to one distribution: declared by two, it is unavailable
  (:class:`~rulekit.errors.ContestedCertification`), never silently given to either.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from types import TracebackType
from typing import Any

import pluggy
from attrs import frozen

from rulekit import hookspecs
from rulekit.declaration import Certification
from rulekit.engine.compiled import CompiledCertification, compile_certification
from rulekit.errors import ContestedCertification, UnknownCertification, UnknownRuleSetVersion
from rulekit.kinds import CORE_KINDS
from rulekit.kinds.base import Kind, as_kind
from rulekit.rules import RuleType
from rulekit.version import ENGINE_VERSION

ENTRY_POINT_GROUP = "rulekit"

BUILTIN_PLUGINS = ("rulekit.kinds",)
"""The core's own plugin modules, registered before any installed plugin, always."""

BUILTIN_DISTRIBUTION = "rulekit-rncp"
"""The core's distribution name (PyPI's "rulekit" is an unrelated project)."""

LOAD_PLUGINS_ENV = "RULEKIT_LOAD_PLUGINS"
"""Comma-separated entry-point names: only these installed plugins load ("" = none)."""

TRUSTED_PLUGINS_ENV = "RULEKIT_TRUSTED_PLUGINS"
"""Comma-separated distribution names: when set, no other distribution is loaded."""

TRUSTED_PLUGINS_FILE_ENV = "RULEKIT_TRUSTED_PLUGINS_FILE"
"""A file of trusted distribution names, one a line (``#`` starts a comment)."""


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
    """Certifications by id, each with its rule-set versions, oldest first.

    ``problems`` lists every plugin refused or failing, by name and distribution;
    ``plugins`` the plugins registered (the built-ins first); ``kinds`` the requirement
    kinds they register, the core's first, in decision order; ``declared`` every
    declaration as its plugin returned it, before compilation (what ``rulekit plugin
    check`` lints, including declarations refused here).
    """

    def __init__(
        self,
        certifications: Iterable[CompiledCertification],
        problems: Sequence[PluginProblem] = (),
        plugins: Sequence[PluginInfo] = (),
        *,
        contested: Mapping[str, Sequence[str]] | None = None,
        declared: Sequence[tuple[PluginInfo, Certification]] = (),
        kinds: Sequence[Kind] = CORE_KINDS,
    ) -> None:
        versions: dict[str, list[CompiledCertification]] = {}
        for compiled in certifications:
            versions.setdefault(compiled.id, []).append(compiled)
        self._contested = {key: tuple(value) for key, value in (contested or {}).items()}
        self._versions = {
            key: sorted(value, key=_version_key)
            for key, value in versions.items()
            if key not in self._contested
        }
        self.problems: tuple[PluginProblem, ...] = tuple(problems)
        self.plugins: tuple[PluginInfo, ...] = tuple(plugins)
        self.declared: tuple[tuple[PluginInfo, Certification], ...] = tuple(declared)
        self.kinds: tuple[Kind, ...] = tuple(kinds)
        """The registered requirement kinds, the core's first, in decision order."""

    @classmethod
    def from_plugins(
        cls,
        plugins: Iterable[PluginInfo],
        problems: Sequence[PluginProblem] = (),
        *,
        builtins: bool = True,
    ) -> Registry:
        """Load ``plugins`` one by one; a failing plugin becomes a :class:`PluginProblem`.

        :param problems: problems met before (plugins that failed to import, untrusted
            distributions); they come first in :attr:`problems`.
        :param builtins: register the core's own plugins (:data:`BUILTIN_PLUGINS`) first;
            turn off only to test the registry itself.
        """
        infos = [*builtin_plugins(), *plugins] if builtins else list(plugins)
        found: list[PluginProblem] = list(problems)
        manager, loaded = _register(infos, found)
        rule_types = _rule_types(manager, loaded, found)
        declared: list[tuple[PluginInfo, Certification]] = []
        for name, result in _call_each(manager, "rulekit_certifications", loaded, found):
            info = loaded[name]
            for certification in result:
                if isinstance(certification, Certification):
                    declared.append((info, certification))
                else:
                    found.append(
                        _problem(
                            info,
                            f"rulekit_certifications returned {type(certification).__name__}, "
                            "not a Certification",
                        )
                    )
        contested = _contested(declared, found)
        compiled: list[CompiledCertification] = []
        seen: set[tuple[str, str]] = set()
        for info, certification in declared:
            if certification.id in contested:
                continue
            key = (certification.id, certification.version)
            if key in seen:
                found.append(
                    _problem(
                        info, f"{certification.id} version {certification.version} declared twice"
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
                found.append(_problem(info, str(exc)))
                continue
            seen.add(key)
        return cls(
            compiled,
            _unique(found),
            tuple(loaded.values()),
            contested=contested,
            declared=declared,
            kinds=tuple(as_kind(rule_type) for rule_type in rule_types.values()),
        )

    def ids(self) -> list[str]:
        """Return the ids of the available certifications, sorted (contested ones left out)."""
        return sorted(self._versions)

    def contested(self, certification: str) -> tuple[str, ...] | None:
        """Return the distributions (``name version``) that all declare ``certification``.

        ``None`` when it is not contested (one distribution declares it, or none).
        """
        return self._contested.get(certification)

    def contested_ids(self) -> dict[str, tuple[str, ...]]:
        """Every contested id, sorted, with the distributions (``name version``) declaring it."""
        return dict(sorted(self._contested.items()))

    def _check(self, certification: str | None) -> list[CompiledCertification]:
        if certification is not None and certification in self._contested:
            raise ContestedCertification(certification, self._contested[certification])
        if certification is None or certification not in self._versions:
            raise UnknownCertification(certification, self.ids())
        return self._versions[certification]

    def versions(self, certification: str) -> list[CompiledCertification]:
        """Return every installed rule-set version of ``certification``, oldest first.

        :raises ContestedCertification: when two distributions declare it.
        :raises UnknownCertification: when no plugin declares it.
        """
        return list(self._check(certification))

    def certification(
        self, certification: str | None, as_of: date, version: str | None = None
    ) -> CompiledCertification:
        """Return the rule set of ``certification`` in force on ``as_of``, or the one named.

        The rule set in force is the latest whose ``effective_from`` is on or before
        ``as_of``; before the first one, the first one.

        :raises ContestedCertification: when two distributions declare it.
        :raises UnknownCertification: when no plugin declares it.
        :raises UnknownRuleSetVersion: when ``version`` is not installed.
        """
        versions = self._check(certification)
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
        """Return every available declaration, by id then version."""
        return [c.declaration for key in self.ids() for c in self._versions[key]]


def builtin_plugins() -> list[PluginInfo]:
    """Return the core's own plugins (:data:`BUILTIN_PLUGINS`), distribution ``rulekit``."""
    return [
        PluginInfo(name, BUILTIN_DISTRIBUTION, ENGINE_VERSION, importlib.import_module(name))
        for name in BUILTIN_PLUGINS
    ]


def _problem(info: PluginInfo, error: str) -> PluginProblem:
    return PluginProblem(info.name, info.distribution, info.version, error)


def _unique(problems: Iterable[PluginProblem]) -> list[PluginProblem]:
    """``problems`` in order, each once (a failing hook wrapper fails every call)."""
    return list(dict.fromkeys(problems))


def _register(
    plugins: Iterable[PluginInfo], problems: list[PluginProblem]
) -> tuple[pluggy.PluginManager, dict[str, PluginInfo]]:
    """Register each plugin once with a new manager, then refuse those with unknown hooks.

    A plugin pluggy refuses (a hook's arguments not in its specification, a name or an
    object registered twice) or one implementing a hook :mod:`rulekit.hookspecs` does not
    specify is a problem, unregistered; the others stay.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    loaded: dict[str, PluginInfo] = {}
    for info in plugins:
        try:
            manager.register(info.plugin, name=info.name)
        except Exception as exc:  # a broken plugin must not take the others down
            problems.append(_problem(info, repr(exc)))
            continue
        loaded[info.name] = info
    while True:
        try:
            manager.check_pending()
        except pluggy.PluginValidationError as exc:
            name = manager.get_name(exc.plugin)
            if name is None or name not in loaded:  # cannot happen: pluggy names them all
                raise
            problems.append(_problem(loaded.pop(name), _unknown_hooks(manager, exc.plugin)))
            manager.unregister(exc.plugin)
            continue
        return manager, loaded


def _unknown_hooks(manager: pluggy.PluginManager, plugin: object) -> str:
    """Say which hooks of ``plugin`` have no specification, with the nearest known name."""
    callers = {name: caller for name, caller in vars(manager.hook).items() if name[0] != "_"}
    known = sorted(name for name, caller in callers.items() if caller.has_spec())
    parts = []
    for name in sorted(callers):
        caller = callers[name]
        if caller.has_spec() or all(i.plugin is not plugin for i in caller.get_hookimpls()):
            continue
        import difflib  # noqa: PLC0415 - only a refused plugin needs it

        near = difflib.get_close_matches(name, known, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {near[0]!r}?)" if near else ""))
    return (
        f"unknown hook {', '.join(parts)}: rulekit/hookspecs.py specifies "
        f"{', '.join(known)}; plugin not loaded"
    )


def _order(names: Iterable[str], loaded: Mapping[str, PluginInfo]) -> list[str]:
    """The built-in plugins first, in their order, then the others by name."""
    rank = {name: index for index, name in enumerate(BUILTIN_PLUGINS)}
    builtin = [n for n in names if n in rank and loaded[n].distribution == BUILTIN_DISTRIBUTION]
    others = sorted(n for n in names if n not in builtin)
    return sorted(builtin, key=rank.__getitem__) + others


def _call_each(
    manager: pluggy.PluginManager,
    hook_name: str,
    loaded: Mapping[str, PluginInfo],
    problems: list[PluginProblem],
) -> list[tuple[str, list[Any]]]:
    """Call one hook through ``pm.hook`` plugin by plugin; one raising hides no other.

    Each call is ``pm.subset_hook_caller`` leaving out every other plugin's implementation
    (and keeping every hook wrapper, which so wraps each plugin's call), so pluggy's
    wrappers, tracing and call monitoring apply as to ``pm.hook.<name>()``. An exception is
    reported against the plugin whose implementation raised it (found in the traceback: a
    wrapper's own failure is its plugin's), the plugin called otherwise.
    """
    caller: pluggy.HookCaller = getattr(manager.hook, hook_name)
    impls = caller.get_hookimpls()
    plain = {impl.plugin_name: impl for impl in impls if not (impl.wrapper or impl.hookwrapper)}
    results: list[tuple[str, list[Any]]] = []
    for name in _order(plain, loaded):
        others = [impl.plugin for key, impl in plain.items() if key != name]
        try:
            returned = manager.subset_hook_caller(hook_name, others)()
            items = [item for result in returned for item in result]
        except Exception as exc:  # reported by name; the other plugins still work
            culprit = _culprit(exc.__traceback__, impls) or name
            problems.append(_problem(loaded[culprit], f"{hook_name} failed: {exc!r}"))
            continue
        results.append((name, items))
    return results


def _culprit(trace: TracebackType | None, impls: Sequence[pluggy.HookImpl]) -> str | None:
    """The plugin whose implementation is the innermost frame of ``trace``, if any."""
    codes = {getattr(impl.function, "__code__", None): impl.plugin_name for impl in impls}
    culprit = None
    while trace is not None:
        culprit = codes.get(trace.tb_frame.f_code, culprit)
        trace = trace.tb_next
    return culprit


def _rule_types(
    manager: pluggy.PluginManager, loaded: Mapping[str, PluginInfo], problems: list[PluginProblem]
) -> dict[str, RuleType | Kind]:
    """Every rule type by kind; a kind declared twice keeps the first (the core's first)."""
    rule_types: dict[str, RuleType | Kind] = {}
    for name, result in _call_each(manager, "rulekit_rule_types", loaded, problems):
        info = loaded[name]
        for rule_type in result:
            kind = getattr(rule_type, "kind", None)
            if not isinstance(kind, str):
                problems.append(
                    _problem(info, f"rulekit_rule_types returned {rule_type!r}, without a kind")
                )
            elif kind in rule_types:
                problems.append(_problem(info, f"rule kind {kind!r} declared twice"))
            else:
                rule_types[kind] = rule_type
    return rule_types


def _contested(
    declared: Sequence[tuple[PluginInfo, Certification]], problems: list[PluginProblem]
) -> dict[str, tuple[str, ...]]:
    """Ids declared by more than one distribution, each with those distributions.

    A certification id belongs to one distribution: a second one declaring it, whatever
    its versions, makes the id unavailable. Each plugin declaring a contested id gets a
    problem naming every distribution, so that no report blames the genuine plugin alone.
    """
    owners: dict[str, dict[str, str]] = {}
    for info, certification in declared:
        owners.setdefault(certification.id, {}).setdefault(info.distribution, info.version)
    contested = {
        cert_id: tuple(f"{name} {version}" for name, version in sorted(found.items()))
        for cert_id, found in sorted(owners.items())
        if len(found) > 1
    }
    for info, certification in declared:
        if certification.id in contested:
            problems.append(
                _problem(
                    info, str(ContestedCertification(certification.id, contested[certification.id]))
                )
            )
    return contested


def _names(value: str) -> set[str]:
    return {part.strip() for part in value.split(",") if part.strip()}


def normalise_distribution(name: str) -> str:
    """A distribution name as packaging compares them (PEP 503: case, ``-_.`` alike)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def trusted_distributions(
    environ: Mapping[str, str],
) -> tuple[frozenset[str] | None, list[PluginProblem]]:
    """Return the trusted distributions (normalised), ``None`` when no list is given.

    The names of ``RULEKIT_TRUSTED_PLUGINS`` (comma-separated) and of the file named by
    ``RULEKIT_TRUSTED_PLUGINS_FILE`` (one a line, ``#`` comments) together. A file that
    cannot be read is a problem and trusts nothing from it: an allow-list fails closed.
    """
    listed = environ.get(TRUSTED_PLUGINS_ENV)
    path = environ.get(TRUSTED_PLUGINS_FILE_ENV)
    if listed is None and path is None:
        return None, []
    names = _names(listed or "")
    problems: list[PluginProblem] = []
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeError) as exc:
            problems.append(
                PluginProblem(
                    TRUSTED_PLUGINS_FILE_ENV,
                    "?",
                    "?",
                    f"cannot read {path!r} ({exc.__class__.__name__}): no distribution "
                    "trusted from it",
                )
            )
        else:
            for line in text.splitlines():
                name = line.split("#", 1)[0].strip()
                if name:
                    names.add(name)
    return frozenset(normalise_distribution(name) for name in names), problems


def discover(
    environ: Mapping[str, str] | None = None,
) -> tuple[list[PluginInfo], list[PluginProblem]]:
    """Import the plugins of the entry-point group ``rulekit`` that may load, each on its own.

    ``RULEKIT_LOAD_PLUGINS`` (in ``environ``, by default the process environment) names
    the entry points to load, a name no installed distribution provides being a problem;
    with trusted distributions given (:func:`trusted_distributions`), an entry point of any
    other distribution is not imported and is a problem. The built-in plugins are not
    entry points: :meth:`Registry.from_plugins` adds them whatever these say.
    """
    env = os.environ if environ is None else environ
    wanted_text = env.get(LOAD_PLUGINS_ENV)
    wanted = None if wanted_text is None else _names(wanted_text)
    trusted, problems = trusted_distributions(env)
    plugins: list[PluginInfo] = []
    points = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name)
    for point in points:
        distribution = point.dist.name if point.dist is not None else "?"
        version = point.dist.version if point.dist is not None else "?"
        if wanted is not None and point.name not in wanted:
            continue
        if trusted is not None and normalise_distribution(distribution) not in trusted:
            problems.append(
                PluginProblem(
                    point.name,
                    distribution,
                    version,
                    f"distribution {distribution} is not trusted ({TRUSTED_PLUGINS_ENV}, "
                    f"{TRUSTED_PLUGINS_FILE_ENV}): not loaded",
                )
            )
            continue
        try:
            plugin = point.load()
        except Exception as exc:  # a plugin that fails to import is reported, not fatal
            problems.append(
                PluginProblem(point.name, distribution, version, f"import failed: {exc!r}")
            )
            continue
        plugins.append(PluginInfo(point.name, distribution, version, plugin))
    for name in sorted((wanted or set()) - {point.name for point in points}):
        problems.append(
            PluginProblem(
                name, "?", "?", f"{LOAD_PLUGINS_ENV} names {name!r}: no such plugin installed"
            )
        )
    return plugins, problems


def load_registry(environ: Mapping[str, str] | None = None) -> Registry:
    """Return a registry of the built-ins and the installed plugins that may load.

    :param environ: where to read ``RULEKIT_LOAD_PLUGINS`` and the trusted distributions;
        the process environment by default.
    """
    plugins, problems = discover(environ)
    return Registry.from_plugins(plugins, problems)


@functools.cache
def default_registry() -> Registry:
    """Return the registry of installed plugins, built once per process."""
    return load_registry()
