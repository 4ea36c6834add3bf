"""A certification id belongs to one distribution; trusted distributions for production.

Every plugin here is fictitious (tests/plugins/impostor.py, tests/plugins/fictitious.py):
the hostile review's attack, a second distribution declaring ``casp_36625``, is replayed
as written and must make the id unavailable on every front end, naming both.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from http import HTTPStatus
from pathlib import Path

import attrs
import pytest

from rulekit import evaluate
from rulekit.cli import main
from rulekit.declaration import Certification
from rulekit.errors import ContestedCertification, UnknownCertification
from rulekit.registry import PluginInfo, Registry, default_registry, load_registry
from rulekit.replay import replay_exact
from tests.audit.helpers import fictitious_dossier, record_many
from tests.conftest import EXAMPLES
from tests.plugins import fictitious, fictitious_versions, impostor
from tests.test_pipeline import web_evaluate

EXAMPLE = EXAMPLES / "casp_national.json"
GENUINE = "rulekit-casp-36625"
BOTH = f"{GENUINE} 0.2.0 and {impostor.DISTRIBUTION} 6.6.6"


def _demo_registry(*extra: Certification) -> Registry:
    return Registry.from_plugins(
        [
            PluginInfo("demo", "rulekit-demo-fictitious", "1.0", fictitious),
            PluginInfo("other", "rulekit-other-fictitious", "2.0", impostor.Claimant(*extra)),
        ]
    )


@pytest.mark.parametrize(
    "claim",
    [
        fictitious.DEMO,
        attrs.evolve(fictitious.DEMO, version="2", effective_from=date(2000, 1, 1)),
    ],
    ids=["same version", "version 2 effective 2000-01-01"],
)
def test_second_distribution_makes_the_id_unavailable(claim: Certification) -> None:
    """Any version declared by a second distribution: no rule set of that id is used."""
    registry = _demo_registry(claim)
    assert registry.ids() == []
    assert registry.contested("demo_00000") == (
        "rulekit-demo-fictitious 1.0",
        "rulekit-other-fictitious 2.0",
    )
    for call in (
        lambda: registry.certification("demo_00000", date(2021, 1, 1)),
        lambda: registry.versions("demo_00000"),
    ):
        with pytest.raises(ContestedCertification) as raised:
            call()
        assert isinstance(raised.value, UnknownCertification)
        assert "rulekit-demo-fictitious 1.0 and rulekit-other-fictitious 2.0" in str(raised.value)
    problems = {(p.plugin, p.distribution): p.error for p in registry.problems}
    assert set(problems) == {
        ("demo", "rulekit-demo-fictitious"),
        ("other", "rulekit-other-fictitious"),
    }
    for error in problems.values():
        assert "declared by rulekit-demo-fictitious 1.0 and rulekit-other-fictitious 2.0" in error


def test_other_ids_of_both_distributions_stay_available() -> None:
    """Only the contested id is withdrawn; the second distribution's own ids still work."""
    own = attrs.evolve(fictitious.DEMO, id="other_00001", rncp="RNCP00001")
    registry = _demo_registry(fictitious.DEMO, own)
    assert registry.ids() == ["other_00001"]
    assert registry.contested("other_00001") is None


@pytest.fixture
def impostor_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fictitious impostor distribution installed (entry point sorting first)."""
    impostor.install(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("RULEKIT_TRUSTED_PLUGINS", raising=False)
    monkeypatch.delenv("RULEKIT_TRUSTED_PLUGINS_FILE", raising=False)
    monkeypatch.delenv("RULEKIT_LOAD_PLUGINS", raising=False)
    sys.modules.pop(impostor.MODULE_NAME, None)
    default_registry.cache_clear()
    yield
    default_registry.cache_clear()
    sys.modules.pop(impostor.MODULE_NAME, None)


@pytest.mark.usefixtures("impostor_installed")
def test_attack_as_written_is_refused_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    """The review's attack: CASP is judged by nobody, and every front end names both."""
    registry = load_registry()
    assert "casp_36625" not in registry.ids() and "aip_12976" in registry.ids()
    assert registry.contested("casp_36625") == (
        f"{GENUINE} 0.2.0",
        f"{impostor.DISTRIBUTION} 6.6.6",
    )
    with pytest.raises(ContestedCertification, match=BOTH):
        evaluate(EXAMPLE.read_bytes(), as_of=date(2023, 7, 1), registry=registry)

    assert main(["evaluate", str(EXAMPLE), "--as-of", "2023-07-01"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and BOTH in captured.err and "Traceback" not in captured.err

    assert main(["certifications"]) == 1
    captured = capsys.readouterr()
    assert f"casp_36625\tunavailable: declared by {BOTH}" in captured.out
    assert f"plugin casp_36625 ({GENUINE} 0.2.0): certification 'casp_36625'" in captured.err
    assert f"plugin aaa_impostor ({impostor.DISTRIBUTION} 6.6.6)" in captured.err
    assert main(["certifications", "--format", "json"]) == 1
    listing = json.loads(capsys.readouterr().out)
    assert listing["unavailable"] == [
        {
            "id": "casp_36625",
            "distributions": [f"{GENUINE} 0.2.0", f"{impostor.DISTRIBUTION} 6.6.6"],
        }
    ]
    assert "casp_36625" not in {row["id"] for row in listing["certifications"]}

    status, body = web_evaluate(EXAMPLE.read_bytes(), {"as_of": "2023-07-01"}, registry)
    assert status == HTTPStatus.NOT_FOUND
    assert BOTH in body["errors"][0]["message"]


@pytest.mark.usefixtures("impostor_installed")
def test_trusted_distributions_keep_the_impostor_out(tmp_path: Path) -> None:
    """With an allow-list, an untrusted distribution is not imported and is listed."""
    trusted = "rulekit-casp-36625, rulekit_AIP_12976"  # names compare as pip compares them
    registry = load_registry({"RULEKIT_TRUSTED_PLUGINS": trusted})
    assert registry.ids() == ["aip_12976", "casp_36625"]
    compiled = registry.certification("casp_36625", date(2023, 7, 1))
    assert (compiled.ref.plugin, compiled.ref.plugin_version) == (GENUINE, "0.2.0")
    untrusted = {p.distribution: p.error for p in registry.problems}
    assert set(untrusted) == {impostor.DISTRIBUTION, "rulekit-dwwm-37674"}
    assert "is not trusted" in untrusted[impostor.DISTRIBUTION]
    assert impostor.MODULE_NAME not in sys.modules

    listed = tmp_path / "trusted.txt"
    listed.write_text("# production\nrulekit-casp-36625  # CASP\n\n", encoding="utf-8")
    from_file = load_registry({"RULEKIT_TRUSTED_PLUGINS_FILE": str(listed)})
    assert from_file.ids() == ["casp_36625"]


def test_unreadable_trust_file_trusts_nothing(tmp_path: Path) -> None:
    """A trust file that cannot be read fails closed: only the built-ins load, and it says so."""
    missing = tmp_path / "absent.txt"
    registry = load_registry({"RULEKIT_TRUSTED_PLUGINS_FILE": str(missing)})
    assert registry.ids() == []
    assert [p.name for p in registry.plugins] == ["rulekit.kinds"]
    assert registry.problems[0].plugin == "RULEKIT_TRUSTED_PLUGINS_FILE"
    assert "FileNotFoundError" in registry.problems[0].error
    assert load_registry({"RULEKIT_TRUSTED_PLUGINS": ""}).ids() == []


def test_certifications_lists_owner_distribution_and_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``rulekit certifications`` shows each id's distribution and version."""
    default_registry.cache_clear()
    assert main(["certifications"]) == 0
    lines = {line.split("\t")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["casp_36625"].endswith(f"{GENUINE} 0.2.0")
    assert lines["aip_12976"].endswith("rulekit-aip-12976 0.2.0")


def test_replay_of_a_contested_id_names_both(tmp_path: Path) -> None:
    """A decision recorded before a second distribution appeared is not replayed under either."""
    genuine = fictitious_versions.registry()
    (recorded,) = record_many(str(tmp_path / "log.db"), genuine, [fictitious_dossier()])
    assert replay_exact(recorded.record, genuine).status == "identical"
    contested = Registry.from_plugins(
        [
            fictitious_versions.plugin_info(),
            PluginInfo(
                "claim",
                "rulekit-claim-fictitious",
                "1.0",
                impostor.Claimant(fictitious_versions.VERSION_1),
            ),
        ]
    )
    result = replay_exact(recorded.record, contested)
    assert result.status == "not_installed"
    assert (
        "declared by rulekit-claim-fictitious 1.0 and rulekit-fictitious-versions 0.1.0"
        in result.detail
    )
