"""The entry points of one group, found as :func:`importlib.metadata.entry_points` finds them.

Why not simply call it: importing :mod:`importlib.metadata` imports :mod:`email`,
:mod:`zipfile`, :mod:`csv` and :mod:`importlib.resources`, and reading a distribution's
name and version parses its ``METADATA`` with :mod:`email`; on ``rulekit evaluate FILE``
that was a tenth of the process's instructions, for three small text files. This module
reads the same files the same way for the plain case (directories on ``sys.path``), and
hands over to :mod:`importlib.metadata` whenever the environment is anything else, so
the answer is always the standard library's:

- distributions are the ``*.dist-info`` and ``*.egg-info`` entries of each ``sys.path``
  directory (``""`` being the current directory), in path order, each directory's in
  :func:`os.listdir` order grouped by normalised name, the first of each normalised name
  kept (``importlib.metadata``'s ``Lookup``, ``PathDistribution._normalized_name`` and
  ``unique_everseen``, Python 3.11 to 3.13);
- ``entry_points.txt`` is read as ``importlib.metadata.Sectioned`` reads it: lines
  stripped, blank lines and ``#`` comments skipped, ``[group]`` sections, ``name = value``;
- a distribution's name and version are the ``Name`` and ``Version`` fields of its
  ``METADATA`` (else ``PKG-INFO``), read from the header block as :mod:`email` would.

It hands over (:func:`entry_points` calls :func:`importlib.metadata.entry_points`) when a
finder other than :class:`importlib.machinery.PathFinder` on ``sys.meta_path`` finds
distributions, when a ``sys.path`` entry is a file (a zip archive) or an ``.egg``, or when
a metadata directory's name is not one whose distribution name its stem gives; a
distribution whose header block is unusual (a folded or non-ASCII ``Name`` or
``Version``) has its name and version read by :mod:`importlib.metadata`.
"""

from __future__ import annotations

import os
import re
import sys
from functools import reduce
from importlib import import_module
from importlib.machinery import PathFinder
from typing import Any

_ENTRY_POINT = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])?)?$")
"""``importlib.metadata.EntryPoint.pattern``: ``module``, ``module:attr``, extras."""
_LINES = re.compile(r"\r\n|\r|\n")
"""Line ends as :mod:`email` splits a message (``str.splitlines`` splits on more)."""
_HEADER = re.compile(r"[\041-\071\073-\176]+:")
"""A header line's field name and colon, as :mod:`email.feedparser` recognises them."""
_WANTED = ("name", "version")


class NotPlain(Exception):
    """The environment is one this module does not read: ask :mod:`importlib.metadata`."""


class Distribution:
    """A distribution found on ``sys.path``: its metadata directory, name and version."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._fields: tuple[Any, Any] | None = None

    @property
    def name(self) -> Any:
        """The ``Name`` field of the metadata (``importlib.metadata.Distribution.name``)."""
        return self._metadata()[0]

    @property
    def version(self) -> Any:
        """The ``Version`` field (``importlib.metadata.Distribution.version``)."""
        return self._metadata()[1]

    def _metadata(self) -> tuple[Any, Any]:
        if self._fields is None:
            self._fields = _name_and_version(self._path)
        return self._fields


class EntryPoint:
    """One entry point: its ``name``, ``value`` and ``group``, and its distribution ``dist``."""

    def __init__(self, name: str, value: str, group: str, dist: Distribution) -> None:
        self.name = name
        self.value = value
        self.group = group
        self.dist = dist

    def load(self) -> Any:
        """Import the module the value names and return the attribute it names, if any.

        As ``importlib.metadata.EntryPoint.load`` does (a value that is no module path fails
        there with ``AttributeError``; here it says what it is).
        """
        match = _ENTRY_POINT.match(self.value)
        if match is None:
            raise ValueError(f"entry point {self.name!r}: {self.value!r} names no module")
        module = import_module(match.group("module"))
        attributes = filter(None, (match.group("attr") or "").split("."))
        return reduce(getattr, attributes, module)

    def __repr__(self) -> str:
        return f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"


def entry_points(*, group: str) -> list[Any]:
    """The entry points of ``group``, as :func:`importlib.metadata.entry_points` gives them.

    The same entry points in the same order, each with ``name``, ``value``, ``group``,
    ``load()`` and ``dist`` (``dist.name``, ``dist.version``): this module's objects when the
    environment is plain (module docstring), else the standard library's.
    """
    try:
        return _plain_entry_points(group)
    except NotPlain:
        from importlib.metadata import entry_points as standard  # noqa: PLC0415

        return list(standard(group=group))


def _plain_entry_points(group: str) -> list[EntryPoint]:
    finders = [f for f in sys.meta_path if getattr(f, "find_distributions", None) is not None]
    if finders != [PathFinder]:
        raise NotPlain
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for entry in sys.path:
        for normalised, path in _metadata_directories(entry):
            if normalised not in seen:
                seen.add(normalised)
                found.extend(_group_of(path, group))
    return found


def _normalise(name: str) -> str:
    """``importlib.metadata.Prepared.normalize``: PEP 503, dashes as underscores."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _metadata_directories(entry: object) -> list[tuple[str, str]]:
    """The metadata directories of one ``sys.path`` entry, with their normalised names."""
    if not isinstance(entry, str):
        raise NotPlain
    root = entry or "."
    try:
        children = os.listdir(root)
    except NotADirectoryError:
        raise NotPlain from None  # a zip archive
    except OSError:
        if os.path.exists(root):
            raise NotPlain from None
        return []  # absent: importlib.metadata finds nothing there either
    if os.path.basename(entry).lower().endswith(".egg"):
        raise NotPlain
    grouped: dict[str, list[str]] = {}
    for child in children:
        low = child.lower()
        if not low.endswith((".dist-info", ".egg-info")):
            continue
        stem, extension = os.path.splitext(child)
        name = stem.partition("-")[0]
        if extension not in (".dist-info", ".egg-info") or not name:
            raise NotPlain  # FOO.DIST-INFO, -1.0.dist-info: named by their metadata
        grouped.setdefault(_normalise(name), []).append(os.path.join(entry, child))
    return [(name, path) for name, paths in grouped.items() for path in paths]


def _read(path: str, name: str) -> str | None:
    """The text of ``name`` in ``path``, ``None`` when absent (as ``read_text`` says)."""
    try:
        with open(os.path.join(path, name) if name else path, encoding="utf-8") as stream:
            return stream.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return None


def _group_of(path: str, group: str) -> list[EntryPoint]:
    """The entry points of ``group`` in ``path``'s ``entry_points.txt`` (``Sectioned``).

    Every section's lines are split, as the standard library splits them all: a line
    without ``=`` fails with the same exception (:class:`TypeError`).
    """
    section = None
    found = []
    dist = Distribution(path)
    for line in map(str.strip, (_read(path, "entry_points.txt") or "").splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section is not None:
            parts = line.split("=", 1)
            if len(parts) != 2:  # the stdlib's Pair(*parts) fails so, for any group
                raise TypeError(f"{path}: entry_points.txt line {line!r} has no '='")
            name, value = map(str.strip, parts)
            if section == group:
                found.append(EntryPoint(name, value, section, dist))
    return found


def _name_and_version(path: str) -> tuple[Any, Any]:
    """The ``Name`` and ``Version`` header fields of a distribution's metadata.

    Read from the header block as :mod:`email` (policy ``compat32``) reads it when the block
    is plain: ``Field: value`` lines up to a blank line, the first of each field kept, its
    value with leading blanks removed. Anything else (``Name`` or ``Version`` folded, a line
    that is not a header, no such field, no metadata file) is left to :mod:`importlib.metadata`.
    """
    text = _read(path, "METADATA") or _read(path, "PKG-INFO") or _read(path, "")
    fields: dict[str, str] = {}
    plain = text is not None
    last = None
    for line in _LINES.split(text or ""):
        if not line:
            break  # the end of the headers
        if line[0] in " \t":  # a folded line continues the field before
            if last in _WANTED:
                plain = False
            continue
        match = _HEADER.match(line)
        if match is None:
            plain = False  # not a header line: the rest would be the body
            break
        last = match.group()[:-1].lower()
        fields.setdefault(last, line[match.end() :].lstrip(" \t"))
    if plain and "name" in fields and "version" in fields:
        return fields["name"], fields["version"]
    from importlib.metadata import PathDistribution  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    distribution = PathDistribution(Path(path))
    return distribution.name, distribution.version
