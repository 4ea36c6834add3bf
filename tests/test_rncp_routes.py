"""``rulekit import-rncp``: routes of access and jury compositions from ``SI_JURY_*``.

The fixture tests/data/rncp_extract.xml holds four real fiches (see tests/data/README.md).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rulekit.declaration import Certification, Route
from rulekit.kit.lint_routes import lint_routes
from rulekit.rncp.fiche import FicheRoute
from rulekit.rncp.reader import RncpError, find_fiche, iter_fiches
from rulekit.rncp.skeleton import render_declaration

ROOT = Path(__file__).resolve().parents[1]
EXTRACT = ROOT / "tests" / "data" / "rncp_extract.xml"
SHARED_EXPORTS = [
    base / "shared" / "data" / "rncp" / "export_fiches_RNCP_V4_1_extract.xml"
    for base in (ROOT.parent, ROOT.parent.parent)
]
SHARED = next((path for path in SHARED_EXPORTS if path.is_file()), None)
DWWM_JURY = (
    "Le jury du titre est habilité par le représentant territorial compétent du ministère "
    "chargé de l'emploi. Il est composé de professionnels du métier concerné par le titre. "
    "(Art. R 338-6 du Code de l’Education)"
)


def _declared(source: str, constant: str) -> Certification:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<skeleton>", "exec"), namespace)
    declared: Certification = namespace[constant]
    return declared


def test_reader_keeps_each_si_jury_element_as_written() -> None:
    """ACTIF and COMPOSITION are copied; a closed route has no composition."""
    fiche = find_fiche(EXTRACT, "RNCP37674")
    assert fiche is not None
    assert [(r.tag, r.active) for r in fiche.routes] == [
        ("SI_JURY_FI", "Non"),
        ("SI_JURY_CA", "Oui"),
        ("SI_JURY_FC", "Oui"),
        ("SI_JURY_CQ", "Oui"),
        ("SI_JURY_CL", "Non"),
        ("SI_JURY_VAE", "Oui"),
    ]
    assert fiche.routes[0] == FicheRoute("SI_JURY_FI", "Non", None)
    assert fiche.routes[1].composition == DWWM_JURY
    spaced = find_fiche(EXTRACT, "RNCP35419")
    assert spaced is not None
    assert spaced.routes[0].composition == (
        "2 membres de la direction de l'école    2 membres professionnels du secteur"
    )


def test_skeleton_declares_the_routes_with_the_prose_and_leaves_seats_todo() -> None:
    """Open and closed as ACTIF says, the composition in the fiche's words, no seats."""
    fiche = find_fiche(EXTRACT, "RNCP37674")
    assert fiche is not None
    source = render_declaration(fiche, "dwwm_37674")
    declared = _declared(source, "DWWM_37674")
    assert [(r.route, r.open) for r in declared.routes] == [
        (Route.INITIAL, False),
        (Route.APPRENTICESHIP, True),
        (Route.CONTINUING, True),
        (Route.PROFESSIONALISATION, True),
        (Route.INDEPENDENT, False),
        (Route.VAE, True),
    ]
    for route in declared.routes:
        assert route.seats == ()
        assert route.open_since is None
        assert route.composition == (DWWM_JURY if route.open else "")
    assert source.count("# TODO: seats: the structured form of this composition.") == 4
    assert "JURY_COMPOSITION = (" in source
    assert lint_routes(declared) == []


def test_every_fixture_fiche_gives_routes_that_lint_clean() -> None:
    """Each fiche of the fixture: six routes, distinct compositions named once each."""
    for fiche in iter_fiches(EXTRACT):
        source = render_declaration(fiche)
        declared = _declared(source, fiche.number)
        assert len(declared.routes) == 6, fiche.number
        texts = {r.composition for r in fiche.routes if r.composition}
        assert {r.composition for r in declared.routes if r.composition} == texts
        assert lint_routes(declared) == [], fiche.number


def _export(tmp_path: Path, routes: str) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>'
        f"<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>Titre</INTITULE>{routes}"
        "</FICHE></FICHES>",
        encoding="utf-8",
    )
    return path


def test_unknown_actif_is_a_todo_and_a_closed_route_with_a_jury_is_flagged(
    tmp_path: Path,
) -> None:
    """ACTIF neither Oui nor Non: not declared, a TODO; a jury on a closed route: kept, linted."""
    path = _export(
        tmp_path,
        "<SI_JURY_FI><ACTIF>Peut-être</ACTIF></SI_JURY_FI>"
        "<SI_JURY_CA><DATE_DERNIERE_MODIFICATION>07/06/2022</DATE_DERNIERE_MODIFICATION>"
        "<ACTIF>Non</ACTIF><COMPOSITION>Un jury</COMPOSITION></SI_JURY_CA>",
    )
    fiche = find_fiche(path, "RNCP1")
    assert fiche is not None
    assert fiche.routes[1].modified == date(2022, 6, 7)
    source = render_declaration(fiche)
    assert "# TODO: SI_JURY_FI: ACTIF is 'Peut-être' (neither Oui nor Non)" in source
    assert "(DATE_DERNIERE_MODIFICATION 07/06/2022)" in source
    declared = _declared(source, "RNCP1")
    assert [r.route for r in declared.routes] == [Route.APPRENTICESHIP]
    assert [f.code for f in lint_routes(declared)] == ["jury-on-closed-route"]


def test_no_si_jury_declares_no_route(tmp_path: Path) -> None:
    """A fiche without SI_JURY_* elements gives a declaration without routes, and says so."""
    fiche = find_fiche(_export(tmp_path, ""), "RNCP1")
    assert fiche is not None
    source = render_declaration(fiche)
    assert "no access route is declared" in source
    assert "AccessRoute" not in source
    assert _declared(source, "RNCP1").routes == ()


def test_bad_modification_date_names_the_element(tmp_path: Path) -> None:
    """A malformed DATE_DERNIERE_MODIFICATION: an error naming the fiche and the element."""
    path = _export(
        tmp_path,
        "<SI_JURY_VAE><DATE_DERNIERE_MODIFICATION>2022-06-07</DATE_DERNIERE_MODIFICATION>"
        "<ACTIF>Oui</ACTIF></SI_JURY_VAE>",
    )
    with pytest.raises(RncpError, match="RNCP1 SI_JURY_VAE/DATE_DERNIERE_MODIFICATION"):
        find_fiche(path, "RNCP1")


@pytest.mark.skipif(SHARED is None, reason="the shared RNCP extract is not beside this clone")
def test_shared_extract_routes() -> None:
    """The twelve real fiches: every SI_JURY_* element declared as ACTIF says, lint clean."""
    assert SHARED is not None
    for fiche in iter_fiches(SHARED):
        declared = _declared(render_declaration(fiche), fiche.number)
        assert [r.open for r in declared.routes] == [r.active == "Oui" for r in fiche.routes]
        assert lint_routes(declared) == [], fiche.number
