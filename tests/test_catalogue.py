"""rulekit.catalogue: a certification as plain JSON, routes and jury composition included."""

from __future__ import annotations

import json
from datetime import date

import pytest
from rulekit_aip_12976 import AIP_12976
from rulekit_casp_36625.declaration import CASP_36625

import rulekit
from rulekit.digest import ruleset_digest
from rulekit.errors import UnknownCertification, UnknownRuleSetVersion
from rulekit.registry import Registry

AS_OF = date(2010, 1, 1)


def test_aip_routes_carry_the_fiche_words_and_the_structured_form(installed: Registry) -> None:
    """AIP: six routes, three open with the seed's composition and its seats."""
    described = rulekit.catalogue("aip_12976", as_of=AS_OF, registry=installed)
    assert described["format"] == "rulekit.catalogue/1"
    assert described["ruleset_digest"] == ruleset_digest(AIP_12976)
    routes = {route["route"]: route for route in described["routes"]}
    assert list(routes) == [
        "initial",
        "apprenticeship",
        "continuing",
        "professionalisation",
        "independent",
        "vae",
    ]
    assert [r for r, body in routes.items() if body["open"]] == [
        "continuing",
        "professionalisation",
        "vae",
    ]
    vae = routes["vae"]
    assert vae["open_since"] == "2009-01-01"
    assert vae["label"] == {
        "fr": "validation des acquis de l'expérience",
        "en": "validation of prior experience",
    }
    assert vae["composition"].startswith("1 Président professionnel du métier (salarié, employeur)")
    assert vae["structured"] is True
    assert [(s["role"], s["minimum"], s["maximum"], s["voting"]) for s in vae["seats"]] == [
        ("president", 1, 1, True),
        ("vice_president", 1, 1, True),
        ("member", 1, None, False),
        ("member", 2, None, True),
    ]
    assert vae["seats"][3]["relations"] == ["employee", "employer", "former_trainee"]
    assert routes["apprenticeship"] == {
        **routes["apprenticeship"],
        "open": False,
        "composition": "",
        "structured": False,
        "seats": [],
    }
    assert [bloc["code"] for bloc in described["blocs"]] == [b.code for b in AIP_12976.blocs]
    assert described["registration"] == {
        "registered_from": "2004-06-25",
        "registered_until": "2016-09-07",
        "award_deadline": None,
    }


def test_casp_units_choices_and_no_routes(installed: Registry) -> None:
    """CASP: tracks with unit titles and choice groups; the seeds give no routes."""
    described = rulekit.catalogue("casp_36625", as_of=date(2023, 7, 1), registry=installed)
    assert described["routes"] == []
    national = next(t for t in described["tracks"] if t["id"] == "national")
    declared = next(t for t in CASP_36625.tracks if t.id == "national")
    assert [u["code"] for u in national["mandatory"]] == [u.code for u in declared.mandatory]
    assert all(u["title"] for u in national["mandatory"])
    assert [g["choose"] for g in national["choices"]] == [g.choose for g in declared.choices]
    assert described["experience"]["months"] == CASP_36625.experience.months  # type: ignore[union-attr]


def test_catalogue_is_plain_deterministic_json(installed: Registry) -> None:
    """Only JSON types; the same rule set gives the same bytes."""
    for cert_id in installed.ids():
        first = rulekit.catalogue(cert_id, as_of=AS_OF, registry=installed)
        text = json.dumps(first, sort_keys=True, allow_nan=False, ensure_ascii=False)
        assert json.loads(text) == first
        again = rulekit.catalogue(cert_id, as_of=AS_OF, registry=installed)
        assert json.dumps(again, sort_keys=True, ensure_ascii=False) == text


def test_catalogue_by_version_and_unknown_names(installed: Registry) -> None:
    """A named version is described; unknown certifications and versions are refused."""
    assert rulekit.catalogue("aip_12976", version="1", registry=installed)["ruleset_version"] == "1"
    assert rulekit.catalogue("aip_12976", registry=installed)["id"] == "aip_12976"
    with pytest.raises(UnknownCertification):
        rulekit.catalogue("nope_00000", registry=installed)
    with pytest.raises(UnknownRuleSetVersion):
        rulekit.catalogue("aip_12976", version="99", registry=installed)
