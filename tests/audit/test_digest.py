"""Digests: stable across interpreters, hash seeds and dict orders; changed by substance.

Message wording, outside any declaration, changes neither a digest nor an outcome.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulekit import messages
from rulekit.api import evaluate
from rulekit.codec import decision_to_json
from rulekit.decision import Message
from rulekit.declaration import Certification, CustomRequirement, ExperienceRule, Track, Unit
from rulekit.digest import canonical_declaration, legacy_ruleset_digest, ruleset_digest
from rulekit.registry import Registry
from tests.audit.helpers import EXAMPLE, ROOT, fictitious_dossier
from tests.plugins import fictitious_versions as fictitious

# The canonical form is a published contract: if this changes, every recorded digest
# changes with it. Update it only together with RULESET_FORMAT in rulekit/digest.py.
KNOWN_DIGESTS = {
    "1": "sha256:67452ef2b5d11ee423cdf37b0d74f574fe4c8adf08fc0d37d8b4d14ca40f6466",
    "2": "sha256:abb0e6e49f72a1b63b8dae6dc219a49ba798634e5ac088a674b2ea1959035445",
}

# The same rule sets under engine 0.1.x (form rulekit.ruleset/1, defaults written): the
# digests recorded in tests/data/decisions_0.1.0.json. They never change.
LEGACY_DIGESTS = {
    "1": "sha256:672508e7bfa20f1631667f6aa6cc100b652597c1eae95cdaaa304283a81e62b0",
    "2": "sha256:45b74cdde210a6f2dcfbd8bc4b81ab443a80f8ea884e86bf256dac9c8528b3a2",
}

_PROBE = """
import hashlib, json
from datetime import date
from rulekit.api import evaluate
from rulekit.codec import decision_to_json
from rulekit.digest import canonical_declaration, legacy_ruleset_digest, ruleset_digest
from rulekit.registry import Registry, discover
from tests.plugins import fictitious_versions as fictitious
plugins, _ = discover()
registry = Registry.from_plugins([*plugins, fictitious.plugin_info()])
out = {d.id + "/" + d.version: ruleset_digest(d) for d in registry.declarations()}
for name, data in [("example", open("examples/casp_national.json", "rb").read())]:
    decision = decision_to_json(evaluate(data, as_of=date(2023, 7, 1), registry=registry))
    out[name] = hashlib.sha256(decision.encode()).hexdigest()
print(json.dumps(out, sort_keys=True))
"""


def test_known_digests_of_the_fictitious_rule_sets() -> None:
    """The digest of a fixed declaration is a fixed value, on any machine and Python."""
    assert ruleset_digest(fictitious.VERSION_1) == KNOWN_DIGESTS["1"]
    assert ruleset_digest(fictitious.VERSION_2) == KNOWN_DIGESTS["2"]


def test_legacy_digests_are_engine_0_1_digests() -> None:
    """The 0.1.x form still gives the digests engine 0.1.0 recorded (replay relies on it)."""
    assert legacy_ruleset_digest(fictitious.VERSION_1) == LEGACY_DIGESTS["1"]
    assert legacy_ruleset_digest(fictitious.VERSION_2) == LEGACY_DIGESTS["2"]
    recorded = json.loads((ROOT / "tests" / "data" / "decisions_0.1.0.json").read_text("utf-8"))
    digests = {
        json.loads(r["decision"])["certification"]["ruleset_digest"] for r in recorded["records"]
    }
    assert set(LEGACY_DIGESTS.values()) <= digests


def test_default_values_are_not_in_the_canonical_form() -> None:
    """A field left at its default is not written; one set to another value is."""
    text = canonical_declaration(fictitious.VERSION_1).decode()
    assert '"version"' not in text  # "1", the default
    assert '"blocs"' not in text and '"custom"' not in text and '"registration"' not in text
    assert '"counting"' not in text  # ExperienceRule.counting left at ALL
    assert '"version":"2"' in canonical_declaration(fictitious.VERSION_2).decode()


# A FICTITIOUS future: declaration classes grown by one defaulted field each, as a new
# requirement kind would grow them. No such field exists; the names are invented.
@attrs.frozen
class _GrownCertification(Certification):
    minimum_ects_fictitious: int | None = None


@attrs.frozen
class _GrownTrack(Track):
    ects_fictitious: tuple[str, ...] = ()


@attrs.frozen
class _GrownExperience(ExperienceRule):
    minimum_fte_fictitious: float | None = None


def _grown(declaration: Certification, **new: Any) -> Certification:
    """``declaration`` rebuilt with the grown classes, the new fields at ``new`` or default."""
    assert declaration.experience is not None
    top = {k: v for k, v in new.items() if k == "minimum_ects_fictitious"}
    tracks = tuple(
        _GrownTrack(
            **attrs.asdict(track, recurse=False),
            **{k: v for k, v in new.items() if k == "ects_fictitious"},
        )
        for track in declaration.tracks
    )
    experience = _GrownExperience(
        **attrs.asdict(declaration.experience, recurse=False),
        **{k: v for k, v in new.items() if k == "minimum_fte_fictitious"},
    )
    fields = {**attrs.asdict(declaration, recurse=False), "tracks": tracks}
    return _GrownCertification(**{**fields, "experience": experience}, **top)


def test_a_new_defaulted_field_changes_no_digest() -> None:
    """Declaration classes grown by a defaulted field give every existing digest unchanged."""
    for version, declaration in (("1", fictitious.VERSION_1), ("2", fictitious.VERSION_2)):
        grown = _grown(declaration)
        assert type(grown) is _GrownCertification and type(grown.tracks[0]) is _GrownTrack
        assert ruleset_digest(grown) == KNOWN_DIGESTS[version]
        assert legacy_ruleset_digest(grown) == LEGACY_DIGESTS[version]


@pytest.mark.parametrize(
    "new",
    [
        {"minimum_ects_fictitious": 60},
        {"ects_fictitious": ("FIC101",)},
        {"minimum_fte_fictitious": 0.5},
    ],
)
def test_a_new_field_set_changes_the_digest(new: dict[str, Any]) -> None:
    """The same grown classes with the new field set to a value: a new digest.

    The 0.1.x form leaves out every field 0.1.x did not have: a rule set it recorded could
    not state them, so its digest vouches for the fields it knew (rulekit/digest.py).
    """
    grown = _grown(fictitious.VERSION_1, **new)
    assert ruleset_digest(grown) != KNOWN_DIGESTS["1"]
    assert legacy_ruleset_digest(grown) == LEGACY_DIGESTS["1"]


def test_digests_and_decisions_do_not_depend_on_the_hash_seed() -> None:
    """Fresh interpreters with different PYTHONHASHSEED give the same digests and bytes."""
    outputs = set()
    for seed in ("0", "1", "4242", "random"):
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-c", _PROBE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    digests = json.loads(outputs.pop())
    assert digests["fictitious_title/1"] == KNOWN_DIGESTS["1"]
    assert {"casp_36625/1", "aip_12976/1", "example"} <= set(digests)


def _shuffled(value: Any, chance: random.Random) -> Any:
    """Return ``value`` with every object's keys in a random order and dossier lists shuffled."""
    if isinstance(value, dict):
        keys = list(value)
        chance.shuffle(keys)
        return {key: _shuffled(value[key], chance) for key in keys}
    if isinstance(value, list):
        items = [_shuffled(item, chance) for item in value]
        chance.shuffle(items)
        return items
    return value


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_dossier_key_and_item_order_do_not_change_the_decision(
    audit_registry: Registry, seed: int
) -> None:
    """The same dossier with keys and list items in any order gives the same decision bytes."""
    dossier = json.loads(EXAMPLE.read_bytes())
    reference = decision_to_json(evaluate(dossier, as_of=date(2023, 7, 1), registry=audit_registry))
    shuffled = _shuffled(dossier, random.Random(seed))
    again = decision_to_json(evaluate(shuffled, as_of=date(2023, 7, 1), registry=audit_registry))
    assert again == reference


@settings(max_examples=25, deadline=None)
@given(
    params=st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.integers(), min_size=2)
)
def test_custom_params_order_does_not_change_the_digest(params: dict[str, int]) -> None:
    """Custom requirement params built from a dict in any order give one digest."""
    pairs = list(params.items())
    forward = CustomRequirement(kind="fictitious", id="extra", params=tuple(pairs))
    backward = CustomRequirement(kind="fictitious", id="extra", params=tuple(reversed(pairs)))
    assert forward == backward
    one = attrs.evolve(fictitious.VERSION_1, custom=(forward,))
    two = attrs.evolve(fictitious.VERSION_1, custom=(backward,))
    assert ruleset_digest(one) == ruleset_digest(two)


def _track_units(declaration: Certification, codes: tuple[str, ...]) -> Certification:
    track = declaration.tracks[0]
    units = tuple(Unit(code, f"Fictitious unit {code}") for code in codes)
    return attrs.evolve(declaration, tracks=(attrs.evolve(track, mandatory=units),))


def _months_plus_one(d: Certification) -> Certification:
    assert d.experience is not None
    return attrs.evolve(d, experience=attrs.evolve(d.experience, months=d.experience.months + 1))


def _threshold(d: Certification) -> Certification:
    assert d.internship is not None
    return attrs.evolve(d, internship=attrs.evolve(d.internship, required_below_in_field_months=11))


def _choose_two(d: Certification) -> Certification:
    track = d.tracks[0]
    choices = (attrs.evolve(track.choices[0], choose=2),)
    return attrs.evolve(d, tracks=(attrs.evolve(track, choices=choices),))


def _ects(d: Certification) -> Certification:
    track = d.tracks[0]
    mandatory = (attrs.evolve(track.mandatory[0], ects=6), *track.mandatory[1:])
    return attrs.evolve(d, tracks=(attrs.evolve(track, mandatory=mandatory),))


SUBSTANTIVE_CHANGES: dict[str, Callable[[Certification], Certification]] = {
    "a unit replaced": lambda d: _track_units(d, ("FIC101", "FIC102", "FIC105")),
    "a unit added": lambda d: _track_units(d, ("FIC101", "FIC102", "FIC103", "FIC105")),
    "months of experience": _months_plus_one,
    "internship threshold": _threshold,
    "effective date": lambda d: attrs.evolve(d, effective_from=date(2020, 1, 2)),
    "validity": lambda d: attrs.evolve(d, validity_years=5),
    "a choice count": _choose_two,
    "an ECTS figure": _ects,
    "the version": lambda d: attrs.evolve(d, version="1.1"),
}


@pytest.mark.parametrize("change", sorted(SUBSTANTIVE_CHANGES))
def test_any_change_of_substance_changes_the_digest(change: str) -> None:
    """A unit, a number or a date changed in the declaration gives a new digest."""
    changed = SUBSTANTIVE_CHANGES[change](fictitious.VERSION_1)
    assert changed != fictitious.VERSION_1
    assert ruleset_digest(changed) != ruleset_digest(fictitious.VERSION_1)


def test_wording_changes_neither_digest_nor_outcome(
    audit_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rewording a message changes the message only: same outcome, digests and text version."""
    before = evaluate(fictitious_dossier(), as_of=date(2022, 6, 1), registry=audit_registry)
    reworded = Message(fr="Reformulé.", en="Reworded.")
    monkeypatch.setattr(messages, "units_met", lambda count, exemptions: reworded)
    after = evaluate(fictitious_dossier(), as_of=date(2022, 6, 1), registry=audit_registry)
    assert after.requirement("units").message.en == "Reworded."
    assert before.requirement("units").message.en != "Reworded."
    assert after.outcome is before.outcome
    assert after.certification == before.certification
    assert after.input_digest == before.input_digest
    assert after.text_version == before.text_version  # a real rewording must bump it
