"""Messages for jury staff: wording details that matter to readers."""

from __future__ import annotations

from datetime import date

from rulekit import messages


def test_blocks_missing_keeps_codes_as_written() -> None:
    """Bloc codes keep their upper case in both languages; only the first letter is raised."""
    message = messages.blocks_missing(["RNCP12976BC04"], [("RNCP12976BC01", date(2013, 3, 11))])
    assert message.fr == (
        "Blocs non acquis : RNCP12976BC04; blocs expirés : RNCP12976BC01 (expiré le 2013-03-11)."
    )
    assert message.en == (
        "Blocks not held: RNCP12976BC04; blocks expired: RNCP12976BC01 (expired on 2013-03-11)."
    )
