"""The engine's version and the wording's version, both recorded in every decision."""

ENGINE_VERSION = "0.2.0"

TEXT_VERSION = "5"
"""Version of the wording of :mod:`rulekit.messages` (French and English sentences).

Bump it whenever a sentence changes, even a comma: the wording is not part of any rule-set
digest and never changes an outcome, so this recorded version is what tells an auditor
that two decisions differ only in their phrasing (tests/audit/test_text_version.py fails
until it is bumped).
"""
