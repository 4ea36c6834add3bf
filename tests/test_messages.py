"""Messages for jury staff: wording details that matter to readers."""

from __future__ import annotations

from datetime import date

from rulekit import messages

NNBSP = "\u202f"


def test_blocks_missing_keeps_codes_as_written() -> None:
    """Bloc codes keep their upper case in both languages; only the first letter is raised."""
    message = messages.blocks_missing(["RNCP12976BC04"], [("RNCP12976BC01", date(2013, 3, 11))])
    assert message.fr == (
        f"Bloc non acquis{NNBSP}: RNCP12976BC04{NNBSP}; bloc RNCP12976BC01 expiré le 11 mars 2013."
    )
    assert message.en == (
        "Block not held: RNCP12976BC04; block RNCP12976BC01 expired on 11 March 2013."
    )


def test_a_bloc_is_masculine_and_one_item_is_singular() -> None:
    """« bloc acquis », « blocs non acquis »; one listed item takes the singular."""
    assert messages.blocks_met(1).fr == "Le bloc de compétences est acquis et en cours de validité."
    assert messages.blocks_met(4).fr.startswith("Les 4 blocs de compétences sont acquis")
    assert messages.blocks_missing(["B1", "B2"], []).fr == f"Blocs non acquis{NNBSP}: B1, B2."
    assert messages.units_missing(["UA211G"]).fr == f"Unité obligatoire non validée{NNBSP}: UA211G."
    assert messages.units_missing(["A", "B"]).fr == (
        f"Unités obligatoires non validées{NNBSP}: A, B."
    )
    assert messages.choice_met(["PSY001"]).en == "Optional unit passed: PSY001."


def test_mandatory_units_are_units_not_ue() -> None:
    """UASO04 and UA211G are among the twelve: the count says « unités », not « UE »."""
    assert messages.units_met(12, 1).fr == (
        "Les 12 unités obligatoires sont validées, dont 1 par dispense."
    )
    assert messages.attested(
        "UASO03", "Expérience professionnelle", "Professional experience"
    ).fr == ("Expérience professionnelle attestée par la validation de l'unité UASO03.")


def test_dates_in_words_with_the_first_of_the_month_as_an_ordinal() -> None:
    """« 1er juillet 2023 » in French, "1 July 2023" in English, never ISO."""
    message = messages.registration_open(date(2023, 7, 1), date(2028, 7, 11))
    assert message.fr == (
        "Titre enregistré au RNCP à cette date (du 1er juillet 2023 au 11 juillet 2028)."
    )
    assert message.en == "Title registered in the RNCP on that date (1 July 2023 to 11 July 2028)."


def test_registration_without_enrolment_date_says_so() -> None:
    """No ``enrolled_on``: the message does not claim the enrolment fell outside the window."""
    start, end = date(2019, 1, 1), date(2021, 12, 31)
    absent = messages.registration_closed("registration_ended", start, end, None, None)
    assert "date d'inscription non renseignée" in absent.fr
    assert "hors de cette période" not in absent.fr
    assert "no enrolment date is given" in absent.en
    outside = messages.registration_closed("registration_ended", start, end, None, date(2022, 3, 1))
    assert "inscription le 1er mars 2022, hors de cette période" in outside.fr


def test_an_unmet_internship_says_why_it_is_required() -> None:
    """The internship is required because the experience in the field is under the threshold."""
    message = messages.internship_required(120.0, 546, 18)
    assert message.fr == (
        "Le stage est requis parce que l'expérience dans le champ (120 jours justifiés) "
        "n'atteint pas 18 mois (546 jours)."
    )
    assert message.en == (
        "An internship is required because the experience in the field (120 days proven) "
        "is under 18 months (546 days)."
    )
