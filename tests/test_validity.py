"""The validity cut-off of acquired components (specs/core.md, "Validity")."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from rulekit.dossier import Dossier, Learner
from rulekit.engine.context import Context, valid_from

_DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


@given(acquired=_DAYS, as_of=_DAYS, years=st.integers(1, 10))
def test_valid_from_is_the_anniversary_rule(acquired: date, as_of: date, years: int) -> None:
    """One comparison with the cut-off says what the anniversary of each item says."""
    ctx = Context(Dossier(learner=Learner(id="X")), as_of, years)
    expiry = ctx.expires_on(acquired)
    assert expiry is not None
    assert (acquired < valid_from(as_of, years)) == (as_of >= expiry)


def test_valid_from_around_29_february() -> None:
    """A component acquired on 29 February 2020 for 3 years counts through 28 February 2023."""
    assert valid_from(date(2023, 2, 28), 3) == date(2020, 2, 28)
    assert valid_from(date(2023, 3, 1), 3) == date(2020, 3, 1)
    assert valid_from(date(2024, 2, 29), 1) == date(2023, 3, 1)
