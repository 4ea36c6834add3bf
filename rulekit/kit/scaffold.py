"""``rulekit plugin new NAME``: a plugin distribution that installs and passes its tests.

The generated distribution (``rulekit-<name>``, package ``rulekit_<name>``) holds:

- ``pyproject.toml`` with the entry point ``<name> = "rulekit_<name>"`` in the group
  ``rulekit``, and an extra ``test``;
- ``rulekit_<name>/declaration.py``: a skeleton that compiles, every unknown a ``TODO``;
  it declares nothing it does not know, so ``rulekit plugin check`` reports it until it is
  filled in (an empty track, level 0...);
- ``rulekit_<name>/__init__.py``: the ``rulekit_certifications`` hook;
- ``README.md``; ``specs/<name>.md`` (a section per rule, with its source sentence) and
  ``specs/conformance/<name>/`` with a first case;
- ``tests/``: the plugin loads, its conformance cases replay, its declaration passes
  ``rulekit plugin check`` (a strict ``xfail`` until the skeleton is filled in, so that the
  suite passes as generated and fails the day the mark is stale), and the invariant suite
  of :mod:`rulekit.testing.invariants`.

Names are derived from ``NAME``, the certification id (``casp_36625``); the RNCP number
defaults to its trailing digits. Nothing is invented: what the kit cannot know is a TODO.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from string import Template

from attrs import frozen

from rulekit.dossier_io import CERTIFICATION_ID
from rulekit.errors import RulekitError
from rulekit.kit.pysource import LINE_LENGTH, string_literal
from rulekit.version import ENGINE_VERSION


class ScaffoldError(RulekitError):
    """The plugin cannot be scaffolded (bad name, existing directory)."""


RNCP_NUMBER = re.compile(r"^(RNCP|RS)[0-9]{1,6}$")
_TRAILING_DIGITS = re.compile(r"_([0-9]{1,6})$")


@frozen
class PluginNames:
    """Every name of one plugin, derived from the certification id."""

    id: str
    rncp: str
    title: str

    @property
    def distribution(self) -> str:
        """The distribution name on PyPI: ``rulekit-casp-36625``."""
        return "rulekit-" + self.id.replace("_", "-")

    @property
    def package(self) -> str:
        """The import package: ``rulekit_casp_36625``."""
        return f"rulekit_{self.id}"

    @property
    def constant(self) -> str:
        """The declaration's module constant: ``CASP_36625``."""
        return self.id.upper()


def plugin_names(name: str, rncp: str | None = None, title: str | None = None) -> PluginNames:
    """Return the names of plugin ``name``.

    :raises ScaffoldError: naming the option, when ``name`` is not a certification id or
        the RNCP number is neither given nor derivable.
    """
    if not CERTIFICATION_ID.match(name):
        raise ScaffoldError(
            f"NAME: {name!r} is not a certification id ({CERTIFICATION_ID.pattern}, "
            "e.g. casp_36625)"
        )
    if rncp is None:
        digits = _TRAILING_DIGITS.search(name)
        if digits is None:
            raise ScaffoldError(
                f"--rncp: {name!r} does not end with the RNCP number (_nnnnn); give it "
                "with --rncp RNCPnnnnn"
            )
        rncp = f"RNCP{digits.group(1)}"
    rncp = rncp.upper()
    if not RNCP_NUMBER.match(rncp):
        raise ScaffoldError(f"--rncp: {rncp!r} is not an RNCP or RS number (e.g. RNCP36625)")
    return PluginNames(name, rncp, title or "")


def _requirement() -> str:
    major, minor, *_ = ENGINE_VERSION.split(".")
    return f"rulekit-rncp>={major}.{minor},<{major}.{int(minor) + 1}"


PYPROJECT = Template("""\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "$distribution"
version = "0.1.0"
description = "rulekit plugin for $rncp"
readme = "README.md"
requires-python = ">=3.11"
# TODO: the licence you publish this plugin under.
license = { text = "MIT" }
dependencies = ["$requirement"]

[project.optional-dependencies]
# The invariant suite and the conformance-case loader ship with rulekit-rncp[testing].
test = ["rulekit-rncp[testing]"]

[project.entry-points.rulekit]
$id = "$package"

[tool.setuptools]
packages = ["$package"]

[tool.setuptools.package-data]
$package = ["py.typed"]

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "-ra --strict-markers"
filterwarnings = ["error"]
xfail_strict = true
""")

INIT = Template('''\
"""rulekit plugin: $display ($rncp)."""

from __future__ import annotations

from collections.abc import Sequence

from rulekit import hookimpl
from rulekit.declaration import Certification
from $package.declaration import $constant

__all__ = ["$constant", "rulekit_certifications"]


@hookimpl
def rulekit_certifications() -> Sequence[Certification]:
    """Declare $rncp (one rule-set version)."""
    return [$constant]
''')

DECLARATION = Template('''\
"""$display, $rncp, as declared data.

A skeleton made by ``rulekit plugin new``: it compiles, and every value the kit could not
know is a TODO. Fill it in from the fiche (``rulekit import-rncp EXPORT.xml --fiche
$rncp --id $id`` prints a declaration with the fiche's title, level, blocs and dates) and
from the certifier's rules; write the source sentence of each rule in specs/$id.md.
``rulekit plugin check $id`` lists what is still missing or inconsistent.
"""

from __future__ import annotations

from rulekit.declaration import Certification, Track

SOURCE = "TODO: the document the rules come from (e.g. France Compétences, fiche $rncp)"

# TODO: the curriculum variants of the title, each with its mandatory units
# (Unit(code, title, ects)) and choice groups (ChoiceGroup(choose, units)). A track with
# no requirement is the smallest that compiles; plugin check reports it as empty.
DEFAULT = Track(id="default", title="TODO: track title", source=SOURCE)

$constant = Certification(
    id="$id",
    rncp="$rncp",
    title=$title,
    certifier="TODO: certifier",
    level=0,  # TODO: level 1 to 8 (NOMENCLATURE_EUROPE/NIVEAU of the fiche)
    tracks=(DEFAULT,),
    # TODO: registration=Registration(registered_from, registered_until, award_deadline)
    # TODO: experience=ExperienceRule(months, counting, attested_by)
    # TODO: internship=InternshipRule(months, required_below_in_field_months, ...)
    # TODO: validity_years (None: acquired components never expire)
    # TODO: blocs=(Bloc(code, title), ...) and blocs_required
    sources=(SOURCE,),
)
''')

README = Template("""\
# $distribution

A rulekit plugin for $rncp, $display: the rules of the title as declared data, found by
rulekit through the entry-point group `rulekit`.

## Install and test

The plugin depends on rulekit's core, the distribution `rulekit-rncp` ($requirement),
installed from a checkout of rulekit or from a wheel built there. Set `CORE` to the
checkout's path, then, from this folder:

```sh
CORE=/path/to/rulekit
python3 -m venv .venv && .venv/bin/pip install -e "$$CORE[testing]" -e ".[test]"
.venv/bin/rulekit certifications
.venv/bin/rulekit plugin check $id
.venv/bin/python -m pytest
```

or, with a wheel of the core instead of the checkout:

```sh
python3 -m pip wheel --no-deps -w dist "$$CORE"
python3 -m venv .venv
.venv/bin/pip install "$$(ls dist/rulekit_rncp-*.whl)[testing]" -e ".[test]"
```

## Layout

- `$package/declaration.py`: the declaration (`$constant`);
- `$package/__init__.py`: the `rulekit_certifications` hook;
- `$specs_rel/$id.md`: every rule in plain words with the sentence it comes from;
- `$specs_rel/conformance/$id/`: conformance cases (`rulekit.conformance/1`), replayed by
  `tests/test_${id}_conformance.py`;
- `tests/`: the plugin loads and passes `rulekit plugin check`; the invariant suite of
  `rulekit.testing`.
""")

SPEC = Template("""\
# $display ($rncp): rules

Source documents: TODO (title, date, where to find them).

Each section states one rule in plain words, quotes the source sentence it comes from, and
says which interpretation was chosen where the source is ambiguous. Conformance cases in
`conformance/$id/` cite these sections (`"rule": "specs/$id.md#<section>"`).

## Tracks and units

TODO: curriculum variants, their mandatory units and choice groups.

## Experience

TODO: or "The sources set no experience requirement."

## Internship

TODO: or "The sources set no internship requirement."

## Blocs

TODO: the blocs of the fiche, and whether every bloc is required.

## Validity

TODO: how long an acquired unit or bloc counts, or "The sources set no validity period;
none is declared."

## Registration

TODO: the registration window and award deadline from the fiche.

## Input validation

A dossier that is not valid gets errors with JSON paths and no decision (case
`invalid-period-end-before-start`).
""")

CASE = Template("""\
{
  "format": "rulekit.conformance/1",
  "name": "invalid-period-end-before-start",
  "description": "A period ending before it starts is refused with its JSON path, not decided.",
  "rule": "$specs_name/$id.md#input-validation",
  "certification": "$id",
  "as_of": "2024-01-01",
  "dossier": {
    "format": "rulekit.dossier/1",
    "learner": {"id": "fictitious-1"},
    "experience": [{"start": "2020-01-01", "end": "2019-12-31", "in_field": true}]
  },
  "expect": {"outcome": "error", "error_paths": ["experience[0].end"]}
}
""")

TEST_PLUGIN = Template('''\
"""$distribution loads, and its declaration passes ``rulekit plugin check``."""

from __future__ import annotations

import pytest

from rulekit.kit.check import check_plugins, describe
from rulekit.registry import discover, load_registry

ID = "$id"
DISTRIBUTION = "$distribution"


def test_plugin_loads_without_problem() -> None:
    """The installed plugin declares $id and no plugin problem names it."""
    registry = load_registry()
    assert [p for p in registry.problems if p.distribution == DISTRIBUTION] == []
    versions = registry.versions(ID)
    assert versions
    assert {compiled.ref.plugin for compiled in versions} == {DISTRIBUTION}


@pytest.mark.xfail(
    strict=True,
    reason="skeleton not filled in yet: remove this mark once plugin check is clean",
)
def test_declaration_passes_plugin_check() -> None:
    """No lint finding, and every track has a dossier the engine finds eligible."""
    plugins, _ = discover()
    report = check_plugins([p for p in plugins if p.distribution == DISTRIBUTION])
    assert [str(finding) for finding in report.findings] == []
    assert [describe(w) for w in report.witnesses if not w.found] == []
''')

TEST_CONFORMANCE = Template('''\
"""The conformance cases of $id, replayed against the installed plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulekit.testing.conformance import ConformanceCase, check_case, find_cases

$cases_line


def test_cases_exist() -> None:
    """The spec has conformance cases (an empty folder would replay nothing)."""
    assert list(find_cases(CASES))


@pytest.mark.parametrize("case", list(find_cases(CASES)), ids=lambda case: case.name)
def test_conformance_case(case: ConformanceCase) -> None:
    """The engine gives the decision the case expects."""
    assert case.certification == "$id"
    assert check_case(case) == []
''')

TEST_INVARIANTS = Template('''\
"""The invariant suite of rulekit.testing (determinism, monotonic evidence...) on $id."""

from rulekit.testing.invariants import InvariantSuite


class TestInvariants(InvariantSuite):
    """Every invariant property, for every rule-set version of $id."""

    certifications = ("$id",)
''')


def plugin_files(names: PluginNames, specs_rel: str = "specs") -> dict[str, str]:
    """Return the files of the plugin, by path relative to its directory.

    :param specs_rel: where the specs live, relative to the plugin directory (``specs``
        for a stand-alone plugin; ``../../specs`` in a repository that keeps every
        certification's specs at its root, as rulekit's does).
    """
    display = names.title or f"TODO: title of {names.rncp}"
    tests_to_specs = Path(os.path.relpath(Path(specs_rel) / "conformance", "tests"))
    ups = len(list(itertools.takewhile(lambda part: part == "..", tests_to_specs.parts)))
    base = "Path(__file__).resolve()." + (f"parents[{ups}]" if ups else "parent")
    path = " / ".join([base, *(string_literal(p) for p in (*tests_to_specs.parts[ups:], names.id))])
    cases_line = f"CASES = {path}"
    if len(cases_line) > LINE_LENGTH:
        cases_line = f"CASES = (\n    {path}\n)"
    values = {
        "id": names.id,
        "rncp": names.rncp,
        "title": string_literal(display),
        "display": display,
        "distribution": names.distribution,
        "package": names.package,
        "constant": names.constant,
        "requirement": _requirement(),
        "specs_rel": Path(specs_rel).as_posix(),
        "specs_name": Path(specs_rel).name,
        "cases_line": cases_line,
    }
    specs = Path(specs_rel)
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"{names.package}/__init__.py": INIT,
        f"{names.package}/declaration.py": DECLARATION,
        f"{names.package}/py.typed": Template(""),
        (specs / f"{names.id}.md").as_posix(): SPEC,
        (
            specs / "conformance" / names.id / "invalid-period-end-before-start.json"
        ).as_posix(): CASE,
        f"tests/test_{names.id}_plugin.py": TEST_PLUGIN,
        f"tests/test_{names.id}_conformance.py": TEST_CONFORMANCE,
        f"tests/test_{names.id}_invariants.py": TEST_INVARIANTS,
    }
    return {path: template.substitute(values) for path, template in files.items()}


def scaffold(names: PluginNames, directory: Path, specs_dir: Path | None = None) -> list[Path]:
    """Write plugin ``names`` into ``directory/<id>``; return the files written, sorted.

    :param specs_dir: where to write the specs (default: inside the plugin).
    :raises ScaffoldError: when the plugin directory exists already (nothing is
        overwritten) or a spec file exists.
    """
    root = directory / names.id
    if root.exists():
        raise ScaffoldError(f"{root} exists already; nothing was written")
    specs_rel = "specs" if specs_dir is None else os.path.relpath(specs_dir, root)
    files = plugin_files(names, specs_rel)
    targets = {path: (root / path).resolve() for path in files}
    for target in targets.values():
        if target.exists():
            raise ScaffoldError(f"{target} exists already; nothing was written")
    written = []
    for path, text in files.items():
        target = targets[path]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return sorted(written)
