"""The wording of every message is pinned to TEXT_VERSION: rewording forces a bump."""

from __future__ import annotations

import hashlib
import inspect
import json
from datetime import date

from rulekit import messages
from rulekit.decision import Measure
from rulekit.dossier import Waiver
from rulekit.version import TEXT_VERSION

DAY = date(2024, 2, 29)
WAIVER = Waiver(requirement="internship", granted_by="Fictitious jury", date=DAY, reason="Why")

SAMPLES: dict[str, list[tuple[object, ...]]] = {
    "months_text": [(17.96, "fr"), (17.96, "en"), (18.0, "fr")],
    "codes": [(["A", "B"],)],
    "waived": [(WAIVER,)],
    "attested": [("UASO03", "Expérience", "Experience")],
    "units_met": [(12, 0), (12, 2), (1, 0), (1, 1)],
    "units_missing": [(["AST002", "TET099"],), (["UA211G"],)],
    "choice_met": [(["PSY001"],), (["PSY001", "TET010"],)],
    "choice_missing": [([(1, ["PSY001", "TET010"])],), ([(2, ["A", "B", "C"]), (1, ["D", "E"])],)],
    "number_text": [(1096.5, "fr"), (1096.5, "en"), (18.0, "fr")],
    "months_met": [
        (messages.EXPERIENCE, Measure(18.0, 18.03, 546, 547.0)),
        (messages.INTERNSHIP, Measure(3.0, 3.0, 89, 0.0, 66)),
    ],
    "months_missing": [
        (messages.INTERNSHIP, Measure(3.0, 2.5, 89, 74.5)),
        (messages.EXPERIENCE, Measure(18.0, 0.03, 546, 1.0)),
        (messages.INTERNSHIP, Measure(3.0, 2.71, 89, 40.0, 30)),
    ],
    "internship_not_required": [(1096.5, 36.13, 546, 18)],
    "internship_required": [(120.0, 546, 18), (0.0, 546, 18)],
    "blocks_met": [(4,), (1,)],
    "blocks_missing": [
        (["BC01"], [("BC02", DAY)]),
        ([], [("BC02", DAY)]),
        (["BC01"], []),
        (["BC01", "BC03"], []),
    ],
    "registration_open": [(DAY, DAY)],
    "registration_transitional": [(DAY, DAY), (DAY, None)],
    "registration_closed": [
        ("not_yet_registered", DAY, DAY, None, None),
        ("registration_ended", DAY, DAY, None, None),
        ("registration_ended", DAY, DAY, None, DAY),
        ("award_deadline_passed", DAY, DAY, DAY, DAY),
    ],
}

# One fingerprint per wording version. When a sentence changes: bump TEXT_VERSION in
# rulekit/version.py and add its fingerprint here (old ones stay, for the record).
FINGERPRINTS = {
    # "1" was never released: its wording took the bloc-code capitalisation fix before 0.1.0.
    "1": "sha256:92f59834c473dea2a94f0ec93413ca22adab3bfc93043cbeabdb82f6859402cd",
    # "2": months in days (« 547 jours justifiés, soit 18,03 mois, pour 546 jours requis »),
    # presence days of internships, « Stage insuffisant », bloc expiry « expiré le ».
    "2": "sha256:dc2a9050791e00247e84d14b71597fdaf243c9809196a9cf8d99b53382371869",
    # "3": French agreement and typography (« Les 12 unités obligatoires », « bloc non
    # acquis », narrow no-break spaces, « 1er juillet 2023 »), « date d'inscription non
    # renseignée »; its samples add one-item and no-enrolment calls.
    "3": "sha256:73d9101c68449371a80b1a8ce978e99c597408166989f18a1109790ada32a528",
    # "4": the two together: days-based months and correct French everywhere.
    "4": "sha256:1bea690b60e0655fad5005e7641ba97152720a3175b0bed7dbd60f8de04f8835",
    # "5": an unmet internship says why it is required (experience in the field short).
    "5": "sha256:33914f9fa726815987fe316513f315b2a35a25c6b1edb91d53c13f69d96d71a4",
}


def _wording() -> str:
    texts = {}
    for name, calls in sorted(SAMPLES.items()):
        function = getattr(messages, name)
        texts[name] = [str(function(*args)) for args in calls]
    body = json.dumps(texts, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return "sha256:" + hashlib.sha256(body).hexdigest()


def test_every_message_function_is_sampled() -> None:
    """A new message function must join the fingerprint, so its wording is versioned too."""
    functions = {
        name
        for name, value in inspect.getmembers(messages, callable)
        # A remembered function (functools.lru_cache) is a message function all the same.
        if inspect.isfunction(inspect.unwrap(value))
        and value.__module__ == messages.__name__
        and not name.startswith("_")
    }
    assert functions == set(SAMPLES)


def test_wording_matches_the_recorded_text_version() -> None:
    """The messages read exactly as when TEXT_VERSION was set; else bump it."""
    assert _wording() == FINGERPRINTS[TEXT_VERSION], (
        "message wording changed: bump TEXT_VERSION in rulekit/version.py and record "
        f"the new fingerprint {_wording()} in this test"
    )
