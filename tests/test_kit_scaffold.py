"""``rulekit plugin new``: the generated plugin installs and passes its own tests.

The generated distribution is made importable with its entry point by ``egg_info`` plus
``PYTHONPATH`` (no network, no virtual environment: the current interpreter), then its
tests run in a fresh pytest process, as its author would run them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rulekit.cli import main
from rulekit.kit.scaffold import ScaffoldError, plugin_files, plugin_names, scaffold

ROOT = Path(__file__).resolve().parents[1]
RUN_CLI = "import sys; from rulekit.cli import main; sys.exit(main())"
INVARIANTS_MISSING = importlib.util.find_spec("rulekit.testing.invariants") is None


def _install(plugin: Path) -> dict[str, str]:
    """Write the plugin's metadata (entry point) in place; return an environment finding it."""
    subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "egg_info"],
        cwd=plugin,
        check=True,
        capture_output=True,
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(plugin), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plugin scaffolded by the command line, as an author would (fictitious title)."""
    where = tmp_path_factory.mktemp("scaffold")
    code = main(
        [
            "plugin",
            "new",
            "fict_99042",
            "--title",
            "Titre fictif d'essai",
            "--directory",
            str(where),
        ]
    )
    assert code == 0
    return where / "fict_99042"


def test_scaffold_writes_the_distribution(generated: Path) -> None:
    """Pyproject with the entry point, package, README, specs, a case, three test files."""
    files = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "pyproject.toml",
        "rulekit_fict_99042/__init__.py",
        "rulekit_fict_99042/declaration.py",
        "rulekit_fict_99042/py.typed",
        "specs/conformance/fict_99042/invalid-period-end-before-start.json",
        "specs/fict_99042.md",
        "tests/test_fict_99042_conformance.py",
        "tests/test_fict_99042_invariants.py",
        "tests/test_fict_99042_plugin.py",
    ]
    pyproject = (generated / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "rulekit-fict-99042"' in pyproject
    assert '[project.entry-points.rulekit]\nfict_99042 = "rulekit_fict_99042"' in pyproject
    case = json.loads(
        (generated / "specs/conformance/fict_99042/invalid-period-end-before-start.json").read_text(
            encoding="utf-8"
        )
    )
    assert case["certification"] == "fict_99042"


def test_invariant_file_has_the_suite_interface(generated: Path) -> None:
    """The invariant test subclasses InvariantSuite with the plugin's certification ids."""
    text = (generated / "tests/test_fict_99042_invariants.py").read_text(encoding="utf-8")
    assert "from rulekit.testing.invariants import InvariantSuite" in text
    assert "class TestInvariants(InvariantSuite):" in text
    assert 'certifications = ("fict_99042",)' in text


def test_generated_plugin_passes_its_tests(generated: Path) -> None:
    """Installed, the plugin loads and passes its own tests as generated."""
    env = _install(generated)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    # The generated invariant file is run by test_generated_invariant_suite_passes (it
    # cannot even import where rulekit.testing.invariants is not installed).
    command += ["--ignore", "tests/test_fict_99042_invariants.py"]
    result = subprocess.run(
        command, cwd=generated, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed, 1 xfailed" in result.stdout


@pytest.mark.skipif(
    INVARIANTS_MISSING,
    reason="rulekit.testing.invariants is not installed (built on the testing branch)",
)
def test_generated_invariant_suite_passes(generated: Path) -> None:
    """With the invariant suite installed, the generated invariant file passes too."""
    env = _install(generated)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=generated,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_plugin_is_seen_by_plugin_check(generated: Path) -> None:
    """Plugin check reports the skeleton's TODOs (level 0, empty track) and exits 1."""
    env = _install(generated)
    result = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "plugin", "check", "fict_99042"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "[malformed-level]" in result.stdout
    assert "[empty-track]" in result.stdout


def test_generated_code_is_ruff_clean(generated: Path) -> None:
    """The generated Python passes the repository's ruff rules and formatter."""
    first_party = 'lint.isort.known-first-party = ["rulekit", "rulekit_fict_99042"]'
    options = ["--config", str(ROOT / "pyproject.toml"), "--config", first_party, "."]
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, *options],
            cwd=generated,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_specs_dir_outside_the_plugin() -> None:
    """With specs at a repository's root, the conformance test looks there."""
    files = plugin_files(plugin_names("fict_99042"), "../../specs")
    assert "../../specs/fict_99042.md" in files
    test = files["tests/test_fict_99042_conformance.py"]
    assert 'Path(__file__).resolve().parents[3] / "specs" / "conformance" / "fict_99042"' in test


def test_names_derive_from_the_id() -> None:
    """Distribution, package, constant and RNCP number all come from the id."""
    names = plugin_names("dwwm_37674")
    assert (names.distribution, names.package, names.constant, names.rncp) == (
        "rulekit-dwwm-37674",
        "rulekit_dwwm_37674",
        "DWWM_37674",
        "RNCP37674",
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["Bad-Name"], "NAME: 'Bad-Name' is not a certification id"),
        (["fict"], "--rncp: 'fict' does not end with the RNCP number"),
        (["fict", "--rncp", "12"], "--rncp: '12' is not an RNCP or RS number"),
    ],
)
def test_bad_names_exit_2(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad NAME or RNCP number: exit 2, the option and the reason, nothing written."""
    assert main(["plugin", "new", *argv, "--directory", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_existing_directory_is_never_overwritten(tmp_path: Path) -> None:
    """Scaffolding over an existing plugin directory is refused."""
    (tmp_path / "fict_99042").mkdir()
    with pytest.raises(ScaffoldError, match="exists already"):
        scaffold(plugin_names("fict_99042"), tmp_path)


def test_generated_plugin_depends_on_the_core_distribution(generated: Path) -> None:
    """The dependency names rulekit-rncp (PyPI's "rulekit" is another project) in range."""
    pyproject = (generated / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dependencies = ["rulekit-rncp>=0.2,<0.3"]' in pyproject
    assert 'test = ["rulekit-rncp[testing]"]' in pyproject
    assert '"rulekit>' not in pyproject and '"rulekit[' not in pyproject
    readme = (generated / "README.md").read_text(encoding="utf-8")
    assert "rulekit-rncp" in readme and "pip wheel --no-deps" in readme


def _shell_blocks(readme: str) -> list[list[str]]:
    """The README's ``sh`` code blocks, as lists of lines."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in readme.splitlines():
        if line.strip() == "```sh":
            current = []
        elif line.strip() == "```" and current is not None:
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


INSTALL_TESTS = bool(os.environ.get("CI") or os.environ.get("RULEKIT_INSTALL_TESTS"))


@pytest.mark.skipif(
    not INSTALL_TESTS,
    reason="installs from the package index into a fresh virtual environment (a minute or "
    "more): set RULEKIT_INSTALL_TESTS=1 to run it here; CI runs it",
)
def test_plugin_outside_the_repository_installs_by_its_readme(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Scaffolded elsewhere, the plugin installs against a wheel of the core, by its README.

    The README's commands run as written, ``CORE`` set to this checkout; then its own tests
    pass, and the wheel carries the core's package data (``rulekit batch --report``).
    """
    where = tmp_path_factory.mktemp("outside")
    assert (
        main(["plugin", "new", "fict_99042", "--title", "Titre fictif", "--directory", str(where)])
        == 0
    )
    plugin = where / "fict_99042"
    checkout, wheel = _shell_blocks((plugin / "README.md").read_text(encoding="utf-8"))
    assert checkout[0] == "CORE=/path/to/rulekit"
    script = [f"CORE={ROOT}", *wheel, *checkout[2:]]
    script[-1] += " -q -p no:cacheprovider"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        ["bash", "-uxc", "\n".join(script)],  # not -e: plugin check exits 1 on the skeleton
        cwd=plugin,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr  # the plugin's own tests
    assert "fict_99042" in result.stdout  # rulekit certifications lists it
    assert " passed" in result.stdout and "1 xfailed" in result.stdout, result.stdout
    report = where / "session.html"
    batch = subprocess.run(
        [str(plugin / ".venv/bin/rulekit"), "batch", str(ROOT / "examples/casp_national.json"),
         "--as-of", "2023-07-01", "--quiet", "--report", str(report)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert batch.returncode == 0, batch.stderr
    html = report.read_text(encoding="utf-8")
    assert "Contrôle de recevabilité" in html and "Dossier invalide" in html  # no CASP here
