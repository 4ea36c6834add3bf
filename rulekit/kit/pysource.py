"""Writing Python source that ruff's formatter leaves as it is (line length 100).

Generated files (plugin skeletons, declarations imported from the RNCP) go into
repositories that run ``ruff format --check``; writing them in that style from the start
spares authors a reformatting diff.
"""

from __future__ import annotations

LINE_LENGTH = 100


def string_literal(text: str) -> str:
    """A string literal in the quotes the formatter prefers (double, unless escapes grow)."""
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    if '"' in escaped and "'" not in escaped:
        return "'" + escaped + "'"
    return '"' + escaped.replace('"', '\\"') + '"'


def wrapped_literal(text: str, indent: int, suffix: str = ",") -> list[str]:
    """Lines holding ``text`` at ``indent`` spaces, followed by ``suffix``.

    A literal too long for one line becomes an implicit concatenation of literals cut at
    spaces (each piece keeps its trailing space), one per line.
    """
    room = LINE_LENGTH - indent - len(suffix)
    if len(string_literal(text)) <= room:
        return [" " * indent + string_literal(text) + suffix]
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and len(string_literal(candidate + " ")) > room:
            pieces.append(current + " ")
            current = word
        else:
            current = candidate
    pieces.append(current)
    lines = [" " * indent + string_literal(piece) for piece in pieces]
    lines[-1] += suffix
    return lines
