"""The core never imports a plugin; plugins never import each other."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_PACKAGES = {path.name: path for path in ROOT.glob("plugins/*/rulekit_*") if path.is_dir()}


def imported_modules(package: Path) -> set[str]:
    names: set[str] = set()
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_plugins_found() -> None:
    """The layering checks below really look at the plugins."""
    assert {"rulekit_casp_36625", "rulekit_aip_12976"} <= set(PLUGIN_PACKAGES)


def test_core_imports_no_plugin() -> None:
    """rulekit/ imports no plugin package."""
    assert not imported_modules(ROOT / "rulekit") & set(PLUGIN_PACKAGES)


def test_plugins_import_no_other_plugin() -> None:
    """Each plugin imports only itself and the core."""
    for name, package in PLUGIN_PACKAGES.items():
        others = set(PLUGIN_PACKAGES) - {name}
        assert not imported_modules(package) & others, name
