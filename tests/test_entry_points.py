"""rulekit.entry_points finds what importlib.metadata.entry_points finds, in the same order.

The oracle is the standard library itself, on this environment and on fictitious
``sys.path`` directories holding the cases its reader distinguishes.
"""

from __future__ import annotations

import importlib.metadata
import sys
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rulekit import entry_points as module
from rulekit.entry_points import EntryPoint, entry_points


def _seen(points: list[Any]) -> list[tuple[object, ...]]:
    return [(p.name, p.value, p.group, p.dist.name, p.dist.version) for p in points]


def _standard(group: str) -> list[tuple[object, ...]]:
    importlib.invalidate_caches()
    return _seen(list(importlib.metadata.entry_points(group=group)))


def _outcome(run: Callable[[], object]) -> object:
    """What ``run`` returns, or the type of what it raises; deprecation warnings ignored."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return run()
        except Exception as exc:  # compared, not hidden
            return type(exc)


def _dist(directory: Path, stem: str, metadata: str | None, points: str | None) -> None:
    info = directory / stem
    info.mkdir(parents=True)
    if metadata is not None:
        (info / "METADATA").write_text(metadata, encoding="utf-8")
    if points is not None:
        (info / "entry_points.txt").write_text(points, encoding="utf-8")


@pytest.mark.parametrize("group", ["rulekit", "pytest11", "console_scripts", "no_such_group"])
def test_this_environment(group: str) -> None:
    """The installed plugins, pytest's plugins, the console scripts: the same as the stdlib."""
    points = entry_points(group=group)
    assert all(isinstance(p, EntryPoint) for p in points)
    assert _seen(points) == _standard(group)


def test_rulekit_plugins_load_the_same_objects() -> None:
    """Loading gives the object importlib.metadata's entry point loads."""
    ours = {p.name: p.load() for p in entry_points(group="rulekit")}
    theirs = {p.name: p.load() for p in importlib.metadata.entry_points(group="rulekit")}
    assert ours == theirs and ours


def test_fictitious_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Duplicates, case, egg-info, comments, folded and odd headers: the stdlib's answer."""
    first, second = tmp_path / "first", tmp_path / "second"
    plain = "Metadata-Version: 2.1\nName: {}\nVersion: {}\nLicense: a\n        folded\n\nbody\n"
    points = "# comment\n\n[demo]\n  alpha = pkg.alpha:make [extra]\n\n[other]\nx=y\n"
    _dist(first, "Demo_One-1.0.dist-info", plain.format("Demo.One", "1.0"), points)
    _dist(second, "demo_one-2.0.dist-info", plain.format("demo-one", "2.0"), "[demo]\nz = q\n")
    _dist(first, "two-3.egg-info", None, "[demo]\nbeta = pkg.beta\n")
    (first / "two-3.egg-info" / "PKG-INFO").write_text("Name: two\r\nVersion: 3\r\n")
    folded = "Name: three\n folded\nVersion: 4\n"
    _dist(second, "three-4.dist-info", folded, "[demo]\ngamma = pkg.gamma\n")
    odd = "Summary: x\nnot a header\nName: late\nVersion: 5\n"
    _dist(second, "four-5.dist-info", odd, "[demo]\ndelta = pkg.delta\n")
    _dist(second, "five-6.dist-info", "Version: 6\n", "[demo]\nepsilon = pkg.epsilon\n")
    _dist(second, "six-7.dist-info", "Name: six\nVersion: 7\n", "alpha = before any section\n")
    (second / "seven.egg-info").write_text("Name: seven\nVersion: 8\n")
    (second / "unrelated.txt").write_text("[demo]\nno = no\n")
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "absent"), str(second)])
    expected = _outcome(lambda: _standard("demo"))  # five has no Name: None, or KeyError
    assert _outcome(lambda: _seen(entry_points(group="demo"))) == expected
    if isinstance(expected, list):
        assert sorted(str(p[0]) for p in expected) == ["alpha", "beta", "delta", "epsilon", "gamma"]
    assert _seen(entry_points(group="other")) == _standard("other")


def test_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty ``sys.path`` entry is the current directory, for the stdlib and here."""
    _dist(tmp_path, "here-1.dist-info", "Name: here\nVersion: 1\n", "[demo]\nh = here\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [""])
    assert (
        _seen(entry_points(group="demo"))
        == _standard("demo")
        == [("h", "here", "demo", "here", "1")]
    )


def test_a_line_without_equals_fails_as_in_the_stdlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A malformed line in any group fails every lookup, as importlib.metadata's does."""
    _dist(tmp_path, "bad-1.dist-info", "Name: bad\nVersion: 1\n", "[elsewhere]\nnothing\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    expected = _outcome(lambda: _standard("demo"))
    assert expected is TypeError
    assert _outcome(lambda: entry_points(group="demo")) is expected


def test_a_zip_on_the_path_is_left_to_the_stdlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip archive on ``sys.path``: the stdlib reads it, and its answer is returned."""
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped-1.dist-info/METADATA", "Name: zipped\nVersion: 1\n")
        zipped.writestr("zipped-1.dist-info/entry_points.txt", "[demo]\nz = zipped\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    points = entry_points(group="demo")
    assert isinstance(points[0], importlib.metadata.EntryPoint)
    assert _seen(points) == [("z", "zipped", "demo", "zipped", "1")]


def test_another_distribution_finder_is_left_to_the_stdlib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A meta-path finder that finds distributions: the stdlib asks it, so this does too."""

    class Finder:
        @staticmethod
        def find_distributions(context: object = None) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])
    points = entry_points(group="rulekit")
    assert all(isinstance(p, importlib.metadata.EntryPoint) for p in points)
    assert _seen(points) == _standard("rulekit")


def test_importlib_metadata_is_not_imported() -> None:
    """The reason for the module: finding rulekit's plugins imports no importlib.metadata."""
    import subprocess  # noqa: PLC0415

    code = (
        "import sys; from rulekit.entry_points import entry_points as e; "
        "p = e(group='rulekit'); [(x.dist.name, x.dist.version) for x in p]; "
        "print('importlib.metadata' in sys.modules, 'email' in sys.modules, len(p))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[:2] == ["False", "False"] and int(out[2]) >= 1
    assert module.__name__ == "rulekit.entry_points"
