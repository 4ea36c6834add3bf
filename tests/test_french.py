"""Every sentence jury staff read is correct French, or correct English: a glossary test.

A glossary of forbidden forms (English and code words in French output, wrong agreements,
ISO dates, a plain space or none before « : », a decimal point in French numbers; French
words and typography in English output) runs over every message of
:mod:`rulekit.messages`, and over the text report (short and ``verbose``) and the decision
page's visible text of every conformance case of specs/conformance/, in both languages.

Text that is not ours is taken out before the check: the titles a declaration gives (units,
blocs, tracks, the certification) and what the dossier says in its own words (names,
employers, hosts, reasons), and, in English, the names of French laws.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rulekit
from rulekit import messages
from rulekit.decision import Basis, Decision, Flag, Message
from rulekit.declaration import Certification
from rulekit.french import day, moment, number, percent, requirement_name, typeset
from rulekit.log.page import render_page
from rulekit.log.record import Record, make_record
from rulekit.readable import find_certification
from rulekit.report import render
from rulekit.testing.conformance import ConformanceCase, find_cases
from tests.audit.test_text_version import SAMPLES
from tests.conftest import SPECS

NNBSP = "\u202f"

_ENGLISH_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_FRENCH_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)

_CLAUSE = r"[^.,;:()\u2014\n]{0,40}?\b"
"""The rest of a clause: an adjective agrees with a noun of the same clause."""

FORBIDDEN_FR: dict[str, str] = {
    "English word": r"\b(?:units?|choice|experience|evidence|waivers?|waived|met|unmet|"
    r"eligible|tracks?|internships?|requirements?|missing|passed|failed|held|blocks?|"
    r"months?|days?|required|ongoing|none|null|true|false|of|the|and|on)\b",
    "English month": rf"\b(?:{_ENGLISH_MONTHS})\b",
    "code word (snake_case)": r"\b[a-z]+_[a-z_]+\b",
    "key=value": r"\w=\S",
    "bracketed code": r"\[[a-z_]+\]",
    "feminine bloc": rf"\bblocs?\b{_CLAUSE}(?:validée|acquise|expirée|retenue)s?(?![a-zé])",
    "stage insuffisante": rf"\bstages?\b{_CLAUSE}insuffisantes?\b",
    "masculine unit": rf"\b(?:unités?|UE)\b{_CLAUSE}(?:validé|acquis|retenu|expiré)s?(?![a-zé])",
    "échouée": r"échoué",
    "prouvés": r"\bprouvée?s?\b",
    "UA unit called UE": r"\bUE UA[A-Z0-9]+\b",
    "« Les 12 UE »": r"\bLes \d+ UE\b",
    "ISO date": r"\b\d{4}-\d{2}-\d{2}\b",
    "colon without narrow no-break space": rf"(?<!{NNBSP}):(?=\s|$)",
    "semicolon without narrow no-break space": rf"(?<!{NNBSP});(?=\s|$)",
    "question or exclamation mark without narrow no-break space": rf"(?<!{NNBSP})[?!](?=\s|$)",
    "guillemets without narrow no-break space": rf"«(?!{NNBSP})|(?<!{NNBSP})»",
    "decimal point": r"(?<![\d.])\d+\.\d+(?![\d.])",
    "percent without narrow no-break space": r"\d(?:[ \u00a0])?%",
    "first of the month without « er »": rf"\b1 (?:{_FRENCH_MONTHS})\b",
}
"""Forms that must never appear in French output, by what is wrong with them."""

FORBIDDEN_EN: dict[str, str] = {
    "French word": r"\b(?:unités?|UE|validée?s?|obligatoires?|stage|blocs?|acquis|mois|"
    r"jours?|requis|dérogation|manque|expérience|recevable|parcours|inscription|"
    r"enregistrement|pièces?|exigences?|non|le|la|les|du|au|des|et|pour|par|dans|hors|"
    r"champ|dispense|note|quotité|attestée|satisfaite)\b",
    "French month": rf"\b(?:{_FRENCH_MONTHS})\b",
    "code word (snake_case)": r"\b[a-z]+_[a-z_]+\b",
    "key=value": r"\w=\S",
    "bracketed code": r"\[[a-z_]+\]",
    "ISO date": r"\b\d{4}-\d{2}-\d{2}\b",
    "French spacing": rf"[{NNBSP}\u00a0]|\s[:;?!]",
    "guillemets": r"[«»]",
    "decimal comma": r"(?<![\d,])\d+,\d{1,2}(?![\d,])",
}
"""Forms that must never appear in English output."""

GLOSSARY = {"fr": FORBIDDEN_FR, "en": FORBIDDEN_EN}

NOT_OURS_EN = ("Code du travail", "Code de l'éducation", "Code de procédure civile")
"""French law names English text cites as they are."""


def violations(text: str, lang: str) -> list[str]:
    """Every forbidden form found in ``text``, with what is wrong and where."""
    found = []
    for name, pattern in GLOSSARY[lang].items():
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            start = max(match.start() - 30, 0)
            found.append(f"{name}: {match.group(0)!r} in …{text[start : match.end() + 30]}…")
    return found


def _strip(text: str, phrases: Iterable[str]) -> str:
    """``text`` without the phrases that are not ours (longest first), each made one gap."""
    for phrase in sorted({p for p in phrases if p}, key=len, reverse=True):
        text = text.replace(phrase, "¤")
    return text


def _not_ours(certification: Certification | None, dossier: dict[str, Any], lang: str) -> list[str]:
    """Declared titles and the dossier's own words, as the output shows them."""
    phrases: list[str] = []
    if certification is not None:
        phrases.append(certification.title)
        for track in certification.tracks:
            phrases.append(track.title)
            for unit in (*track.mandatory, *(u for g in track.choices for u in g.units)):
                phrases.append(unit.title)
        phrases.extend(bloc.title for bloc in certification.blocs)
    learner = dossier.get("learner") or {}
    phrases.append(str(learner.get("name") or ""))
    for key, fields in (
        ("experience", ("employer", "role")),
        ("internships", ("host",)),
        ("waivers", ("granted_by", "reason")),
    ):
        for item in dossier.get(key) or []:
            phrases.extend(str(item.get(f) or "") for f in fields)
    phrases = [typeset(p, lang) for p in phrases] + phrases
    if lang == "en":
        phrases.extend(NOT_OURS_EN)
    return phrases


# -- the glossary itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Les 3 blocs de compétences sont validées."),
        ("fr", "Bloc RNCP12976BC01 acquise."),
        ("fr", "blocs non acquises"),
        ("fr", "Stage insuffisante."),
        ("fr", "UE TET099 échouée."),
        ("fr", "18 mois prouvés."),
        ("fr", "manque : l'UE TET099"),
        ("fr", "manque: l'UE TET099"),
        ("fr", "validée le 2023-07-01."),
        ("fr", "note 12.5"),
        ("fr", "quotité 50 %"),
        ("fr", "Les 12 UE obligatoires"),
        ("fr", "l'UE UA211G"),
        ("fr", "Exigence satisfaite par waiver."),
        ("fr", "[evidence] units"),
        ("fr", "manque internship_months months=0.04"),
        ("fr", "unité non retenu"),
        ("fr", "le 1 juillet 2023"),
        ("fr", f"Parcours{NNBSP}: national track"),
        ("en", "Mandatory units not passed : A."),
        ("en", "Unités obligatoires"),
        ("en", "on 1er juillet 2023"),
        ("en", "grade 12,5"),
        ("en", f"Internship{NNBSP}: 3 months"),
    ],
)
def test_the_glossary_catches_each_forbidden_form(lang: str, text: str) -> None:
    """Each entry of the glossary bites: a wrong sentence of each kind is caught."""
    assert violations(text, lang), text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Les 12 unités obligatoires sont validées, dont 1 par dispense."),
        (
            "fr",
            f"Bloc non acquis{NNBSP}: RNCP12976BC01{NNBSP}; bloc RNCP12976BC02 expiré le "
            "1er mars 2013.",
        ),
        ("fr", f"manque{NNBSP}: l'UE TET099 — La méthode du récit de vie"),
        ("fr", f"note 12,5, quotité 50{NNBSP}%, 1{NNBSP}096 jours"),
        ("fr", f"Règles appliquées{NNBSP}: rulekit-casp-36625 0.1.0, moteur 0.2.0, sha256:ab12"),
        ("en", "Mandatory unit not passed: UA211G; passed on 1 July 2023 (grade 12.5)."),
    ],
)
def test_the_glossary_lets_correct_text_through(lang: str, text: str) -> None:
    """Correct sentences, versions and digests pass."""
    assert violations(text, lang) == []


# -- every message ------------------------------------------------------------------------


def _message_samples() -> Iterator[Any]:
    for name, calls in sorted(SAMPLES.items()):
        for index, args in enumerate(calls):
            yield pytest.param(name, args, id=f"{name}-{index}")


@pytest.mark.parametrize(("name", "args"), list(_message_samples()))
def test_every_message_passes_the_glossary(name: str, args: tuple[object, ...]) -> None:
    """Each message function, on each sample, reads correctly in French and in English."""
    value = getattr(messages, name)(*args)
    texts = (
        {"fr": value.fr, "en": value.en}
        if isinstance(value, Message)
        else {lang: str(value) for lang in ("fr", "en") if lang in args or len(args) == 1}
    )
    not_ours = [a.reason for a in args if hasattr(a, "reason")] + [
        a.granted_by for a in args if hasattr(a, "granted_by")
    ]
    not_ours += NOT_OURS_EN
    problems = [
        f"{lang}: {problem}"
        for lang, text in texts.items()
        for problem in violations(_strip(text, not_ours), lang)
    ]
    assert problems == []


# -- every conformance case: report and page ----------------------------------------------

CASES = [case for case in find_cases(SPECS / "conformance") if case.expect["outcome"] != "error"]


def _decide(case: ConformanceCase) -> Decision:
    return rulekit.evaluate(
        case.dossier, certification=case.certification, track=case.track, as_of=case.as_of
    )


def _record(decision: Decision, dossier: dict[str, Any]) -> Record:
    return make_record(
        1,
        "2026-12-02T13:05:00.000000Z",
        "sha256:" + "0" * 64,
        json.dumps(dossier).encode("utf-8"),
        rulekit.decision_to_json(decision).encode("utf-8"),
    )


def visible_text(page: str) -> str:
    """What a reader sees of ``page``: no style, no tags, entities decoded, one line."""
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.DOTALL)
    body = re.sub(r"<[^>]+>", "\n", body)
    return html.unescape(body)


def _check(text: str, decision: Decision, case: ConformanceCase, lang: str) -> list[str]:
    declaration = find_certification(
        decision.certification.id, decision.as_of, decision.certification.ruleset_version
    )
    cleaned = _strip(text, _not_ours(declaration, case.dossier, lang))
    return violations(cleaned, lang)


@pytest.mark.parametrize("case", CASES, ids=[c.path.stem for c in CASES])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_report_and_page_of_the_conformance_cases_passes_the_glossary(
    case: ConformanceCase, lang: str
) -> None:
    """The short and verbose reports and the decision page of each case read correctly."""
    decision = _decide(case)
    problems = []
    for verbose in (False, True):
        problems += _check(render(decision, lang, verbose=verbose), decision, case, lang)
    page = render_page(_record(decision, case.dossier), lang)
    problems += [f"page: {p}" for p in _check(visible_text(page), decision, case, lang)]
    assert problems == []


def test_the_cases_exercise_every_kind_of_sentence() -> None:
    """The conformance run above is not vacuous: it sees each basis and an unmet rule."""
    decisions = [_decide(case) for case in CASES]
    bases = {r.basis for d in decisions for r in d.requirements}
    assert {Basis.EVIDENCE, Basis.ATTESTATION, Basis.WAIVER, Basis.NOT_REQUIRED} <= bases
    assert {Basis.REGISTERED, Basis.TRANSITIONAL} <= bases
    kinds = {m.kind for d in decisions for r in d.requirements for m in r.missing}
    assert {"unit", "choice", "block", "registration"} <= kinds
    assert any(r.not_counted for d in decisions for r in d.requirements)


# -- the report and the page: what the reader sees ------------------------------------------

FLAG_FR = f"Aucun parcours n'était indiqué{NNBSP}: le contrôle a retenu le parcours national."
FLAG_EN = "No track was named: the check chose the national track."


def _flagged(decision: Decision) -> Decision:
    """``decision`` with one observation for the jury, pointing at its first evidence."""
    cited = decision.requirements[0].evidence[:1]
    flag = Flag(code="track_chosen", message=Message(fr=FLAG_FR, en=FLAG_EN), evidence=cited)
    return attrs.evolve(decision, flags=(flag,))


def _case(stem: str) -> ConformanceCase:
    return next(case for case in CASES if case.path.stem == stem)


def test_report_puts_what_is_missing_first_with_titles() -> None:
    """The missing unit comes before the requirements, as « l'unité CODE — Titre »."""
    case = next(c for c in CASES if c.expect.get("missing", {}).get("units"))
    decision = _decide(case)
    text = render(decision, "fr")
    assert text.startswith("Contrôle de recevabilité\n")
    assert text.index("Ce qui manque") < text.index("Conditions examinées")
    code = case.expect["missing"]["units"][0]
    declaration = find_certification(decision.certification.id, decision.as_of)
    assert declaration is not None
    title = next(
        u.title for t in declaration.tracks for u in t.mandatory if u.code == code and u.title
    )
    noun = "unité" if code.startswith("UA") else "UE"
    assert f"Manque{NNBSP}: l'{noun} {code} — {typeset(title, 'fr')}" in text
    assert render(decision, "en").startswith("Eligibility check\n")


def test_report_is_short_by_default_and_complete_when_verbose() -> None:
    """Twelve units: three shown and a count by default; every one, titled, with verbose."""
    decision = rulekit.evaluate(
        rulekit.read_dossier(SPECS.parent / "examples" / "casp_national.json"),
        as_of=date(2023, 7, 1),
    )
    short, full = render(decision, "fr"), render(decision, "fr", verbose=True)
    assert "et 9 autres (--verbose pour tout afficher)" in short
    assert "UA211G" not in short.split("Conditions examinées")[1].split("Unités au choix")[0]
    assert full.count("Pièce retenue") >= 12
    assert "UE TET099 validée le 28 janvier 2022 (note 12,5) — La méthode du récit de vie" in full
    assert "Parcours\u202f: Parcours national (Cnam)" in short
    assert "Date du contrôle\u202f: 1er juillet 2023" in short


def test_one_track_certification_says_parcours_unique() -> None:
    """A title with one track names it « Parcours unique », not its id."""
    case = next(c for c in CASES if c.certification == "aip_12976")
    text = render(_decide(case), "fr")
    assert f"Parcours{NNBSP}: Parcours unique\n" in text
    assert "default" not in text


def test_flags_are_shown_for_the_jury_when_present() -> None:
    """« À l'attention du jury » with each flag's message and evidence, report and page."""
    case = next(
        c for c in CASES if c.certification == "casp_36625" and c.expect["outcome"] == "eligible"
    )
    decision = _decide(case)
    assert "À l'attention du jury" not in render(decision, "fr")
    flagged = _flagged(decision)
    report = render(flagged, "fr")
    head = report.index("À l'attention du jury\n  - " + FLAG_FR + "\n      UE ")
    assert report.index("Ce qui manque") < head < report.index("Conditions examinées")
    assert "For the jury's attention\n  - " + FLAG_EN in render(flagged, "en")
    page = visible_text(render_page(_record(flagged, case.dossier), "fr"))
    assert "À l'attention du jury" in page and FLAG_FR in page
    assert violations(report, "fr") == []
    english = visible_text(render_page(_record(flagged, case.dossier), "en"))
    assert "For the jury's attention" in english and FLAG_EN in english


def test_page_prints_dates_axis_ends_styles_legend_and_local_time() -> None:
    """Each period's dates on the page, both axis ends dated, counted and not counted apart."""
    dossier = json.loads((SPECS.parent / "examples" / "casp_national.json").read_text())
    dossier["internships"].append(
        {"start": "2021-01-04", "end": "2021-02-26", "in_field": False, "host": "Fictitious shop"}
    )
    decision = rulekit.evaluate(dossier, as_of=date(2023, 7, 1))
    page = render_page(_record(decision, dossier), "fr")
    svg = re.search(r"<svg.*?</svg>", page, flags=re.DOTALL)
    assert svg is not None
    drawn = html.unescape(re.sub(r"<title>.*?</title>", "", svg.group(0)))
    for dates in (
        "du 1er septembre 2019 au 31 août 2020",
        "depuis le 1er septembre 2020 (en cours)",
        "du 4 janvier 2021 au 26 février 2021",
        "du 1er mars 2022 au 31 mai 2022",
    ):
        assert f">{dates}</text>" in drawn  # printed, not only in a tooltip
    assert ">1er septembre 2019</text>" in drawn and ">1er juillet 2023</text>" in drawn
    assert "période retenue par une exigence" in drawn and "période non retenue" in drawn
    solid = re.findall(r'<rect [^>]*fill="#(?:2f6fb0|b0632f)"', drawn)
    hatched = re.findall(r'<rect [^>]*fill="#f2f2f2" stroke="#9a9a9a"', drawn)
    assert len(solid) == 3 + 2  # three periods that count, and the legend's two swatches
    assert len(hatched) == 1 + 1  # the out-of-field internship, and the legend's swatch
    text = visible_text(page)
    assert "2 décembre 2026 à 14\u202fh\u202f05" in text
    assert "Contrôle de recevabilité" in text
    english = visible_text(render_page(_record(decision, dossier), "en"))
    assert "2 December 2026 at 14:05 (Paris time)" in english
    assert "1 September 2019 to 31 August 2020" in english


def test_page_evidence_is_sentences_not_key_value() -> None:
    """No ``key=value`` and no requirement id as a heading."""
    decision = rulekit.evaluate(
        rulekit.read_dossier(SPECS.parent / "examples" / "casp_national.json"),
        as_of=date(2023, 7, 1),
    )
    dossier = json.loads((SPECS.parent / "examples" / "casp_national.json").read_text())
    text = visible_text(render_page(_record(decision, dossier), "fr"))
    assert "=" not in text
    assert "UE TET099 validée le 28 janvier 2022 (note 12,5)" in text
    assert "Unités obligatoires" in text and "\nunits\n" not in text


# -- the helpers ----------------------------------------------------------------------------


def test_dates_numbers_and_times_in_each_language() -> None:
    """Babel's dates with « 1er »; decimal comma; narrow no-break spaces; Paris time."""
    assert day(date(2023, 7, 1), "fr") == "1er juillet 2023"
    assert day(date(2023, 7, 11), "fr") == "11 juillet 2023"
    assert day(date(2023, 7, 1), "en") == "1 July 2023"
    assert number(12.5, "fr") == "12,5" and number(12.5, "en") == "12.5"
    assert number(1096.5, "fr") == f"1{NNBSP}096,5" and number(18.0, "fr") == "18"
    assert percent(0.5, "fr") == f"50{NNBSP}%" and percent(0.5, "en") == "50%"
    winter = datetime(2026, 12, 2, 13, 5, tzinfo=UTC)
    summer = datetime(2026, 7, 2, 13, 5, tzinfo=UTC)
    assert moment(winter, "fr") == f"2 décembre 2026 à 14{NNBSP}h{NNBSP}05"
    assert moment(summer, "fr") == f"2 juillet 2026 à 15{NNBSP}h{NNBSP}05"
    assert typeset("La méthode du récit de vie : se connaître", "fr") == (
        f"La méthode du récit de vie{NNBSP}: se connaître"
    )
    assert requirement_name("experience", "fr") == "Expérience professionnelle"
    assert requirement_name("mystery", "fr") == f"Exigence «{NNBSP}mystery{NNBSP}»"


# -- dates in words: the month names against Babel ----------------------------------------


def test_day_is_babels_format_date_on_every_day_of_a_cycle() -> None:
    """« d MMMM y » as Babel writes it for fr_FR and en_GB, « 1er » on the 1st, 400 years.

    :data:`rulekit.french.MONTHS` replaced Babel's locale data at run time; this is the
    check that it says what Babel says, on every day from 1900 to 2299 and at the ends of
    the calendar.
    """
    from babel.dates import format_date  # noqa: PLC0415

    from rulekit.french import MONTHS  # noqa: PLC0415

    start = date(1900, 1, 1)
    days = [start + timedelta(days=n) for n in range((date(2300, 1, 1) - start).days)]
    for value in [date.min, date(5, 3, 1), date(999, 12, 31), *days, date.max]:
        for lang, locale in (("fr", "fr_FR"), ("en", "en_GB")):
            expected = format_date(value, format="d MMMM y", locale=locale)
            if lang == "fr" and value.day == 1:
                expected = "1er" + expected[1:]
            assert day.__wrapped__(value, lang) == expected, (value, lang)
    assert {lang: len(names) for lang, names in MONTHS.items()} == {"fr": 12, "en": 12}


def test_time_zones_on_first_use() -> None:
    """PARIS and JURY_TIME_ZONE, now made on first use, are the Europe/Paris zone."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from rulekit import api, french  # noqa: PLC0415

    assert french.PARIS is api.JURY_TIME_ZONE is ZoneInfo("Europe/Paris")
    with pytest.raises(AttributeError):
        french.PARISH  # noqa: B018
    with pytest.raises(AttributeError):
        api.JURY_TIMEZONE  # noqa: B018


def _formatted(function: Any, *args: Any, **kwargs: Any) -> object:
    try:
        return function(*args, **kwargs)
    except Exception as exc:  # compared: the same failure, or the same text
        return type(exc)


@given(
    st.one_of(
        st.floats(),
        st.integers(-(10**30), 10**30),
        st.decimals(allow_nan=True),
        st.sampled_from([0.005, 0.015, 0.025, 1096.5, -0.0, 12.345, 1e20, 1e30, 99999.995]),
    )
)
def test_number_is_babels_format_decimal(value: Any) -> None:
    """« #,##0.## » as Babel's format_decimal writes it for fr_FR and en_GB, or its error."""
    from babel.numbers import format_decimal  # noqa: PLC0415

    for lang, locale in (("fr", "fr_FR"), ("en", "en_GB")):
        expected = _formatted(format_decimal, value, format="#,##0.##", locale=locale)
        assert _formatted(number, value, lang) == expected, (value, lang)
