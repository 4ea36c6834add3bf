"""The rule-set digest: a hash of the canonical form of a declaration.

The same declaration gives the same digest on any machine and Python version (canonical
JSON: sorted keys, no floats' platform dependence, UTF-8), and any change of substance, a
unit, a number, a date, changes it. Message wording is not part of a declaration, so it
never changes a digest.
"""

from __future__ import annotations

from rulekit.codec import CONVERTER, canonical_json, sha256_digest
from rulekit.declaration import Certification

RULESET_FORMAT = "rulekit.ruleset/1"


def canonical_declaration(certification: Certification) -> bytes:
    """Return the canonical bytes of a declaration (what the digest hashes)."""
    body = CONVERTER.unstructure(certification, Certification)
    return canonical_json({"format": RULESET_FORMAT, "declaration": body})


def ruleset_digest(certification: Certification) -> str:
    """Return ``"sha256:<hex>"`` of the declaration's canonical form."""
    return sha256_digest(canonical_declaration(certification))
