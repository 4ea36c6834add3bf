"""rulekit's pytest plugin (entry point ``pytest11``): Hypothesis profiles and conformance cases.

Installed with ``rulekit-rncp[testing]``, it is active in every pytest run of that environment.

Profiles. It loads one of rulekit's Hypothesis profiles (:mod:`rulekit.testing.profiles`):
``--rulekit-profile NAME``, else ``$HYPOTHESIS_PROFILE``, else ``fast``; Hypothesis's own
``--hypothesis-profile NAME`` wins over both. The report header names the profile loaded.

Conformance cases. :func:`conformance_suite` replays a plugin's conformance cases
(:mod:`rulekit.testing.conformance`) with one line in its test suite::

    # plugins/my_title/tests/test_conformance.py
    from rulekit.testing import conformance_suite

    test_conformance = conformance_suite("specs/conformance")

Every ``*.json`` file under the directory becomes one test, named after its path there,
that fails with the case's differences from the decision (or with the reason the case file
itself is malformed). A relative directory is looked up from the calling test file's
folder upwards, so it works whether pytest runs from the plugin or the repository root.
A directory that does not exist fails; one without cases is skipped, saying so.

The invariant suite is a class to subclass: see :mod:`rulekit.testing.invariants`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest

from rulekit.registry import Registry
from rulekit.testing.conformance import check_case, load_case

PROFILE_OPTION = "--rulekit-profile"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--rulekit-profile``."""
    group = parser.getgroup("rulekit", "rulekit property tests")
    group.addoption(
        PROFILE_OPTION,
        dest="rulekit_profile",
        default=None,
        help="Hypothesis profile for rulekit's property tests: fast (default) or ci; "
        "also read from $HYPOTHESIS_PROFILE",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Register rulekit's Hypothesis profiles, then load the one chosen.

    Runs before Hypothesis's own plugin, so that ``--hypothesis-profile ci`` finds the
    profile registered.
    """
    try:
        from hypothesis.errors import InvalidArgument  # noqa: PLC0415 (only with [testing])

        from rulekit.testing import profiles  # noqa: PLC0415
    except ImportError:  # rulekit installed without its testing extra: nothing to do
        return
    profiles.register_profiles()
    if config.getoption("hypothesis_profile", default=None):
        return
    name = profiles.chosen_profile(config.getoption("rulekit_profile"))
    try:
        profiles.load_profile(name)
    except InvalidArgument:
        known = ", ".join(profiles.PROFILES)
        raise pytest.UsageError(
            f"unknown Hypothesis profile {name!r}; rulekit's: {known}"
        ) from None


def pytest_report_header(config: pytest.Config) -> str | None:
    """Name the Hypothesis profile loaded."""
    try:
        from hypothesis import settings  # noqa: PLC0415
    except ImportError:
        return None
    return f"rulekit: hypothesis profile {settings.get_current_profile_name()!r}"


def _caller_folder() -> Path:
    """The folder of the module that called the function calling this one."""
    frame = inspect.currentframe()
    caller = frame.f_back.f_back if frame and frame.f_back else None
    filename = caller.f_code.co_filename if caller is not None else "."
    return Path(filename).resolve().parent


def _locate(directory: Path, start: Path) -> Path | None:
    """Return ``directory`` if absolute, else the first ``folder / directory`` from ``start`` up."""
    if directory.is_absolute():
        return directory if directory.is_dir() else None
    for folder in (start, *start.parents):
        if (folder / directory).is_dir():
            return folder / directory
    return None


def conformance_suite(
    directory: str | Path, *, registry: Registry | None = None
) -> Callable[[Path | None], None]:
    """Return a test replaying every conformance case under ``directory``, one test per case.

    Assign it to a ``test_*`` name in a test module (see the module docstring).

    :param directory: where the cases are (``*.json``, recursively); relative to the
        calling file's folder or one of its ancestors.
    :param registry: the certifications to evaluate with; the installed plugins by default.
    """
    start = _caller_folder()
    root = _locate(Path(directory), start)
    found = sorted(root.rglob("*.json")) if root is not None else []
    ids = [path.relative_to(root).with_suffix("").as_posix() for path in found if root]
    paths: list[Path | None] = [*found]

    @pytest.mark.parametrize("case_path", paths or [None], ids=ids or ["no-case"])
    def test_conformance(case_path: Path | None) -> None:
        """The conformance case gives the decision its specs expect."""
        if root is None:
            pytest.fail(f"no directory {directory} in {start} or above it")
        if case_path is None:
            pytest.skip(f"no conformance case under {root}")
        try:
            case = load_case(case_path)
        except ValueError as exc:
            pytest.fail(str(exc))
        problems = check_case(case, registry)
        if problems:
            listing = "\n  ".join(problems)
            pytest.fail(f"{case_path}: {case.name} does not conform:\n  {listing}")

    return test_conformance
