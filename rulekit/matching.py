"""Assignment of a learner's units to the slots of a track (bipartite matching).

A unit counts once, yet one unit may fit several slots (a mandatory slot and a choice
group, or two groups). A greedy pass can then leave a slot empty that another assignment
fills; maximum matching cannot. Slots are matched in the order given, and an augmenting
path never empties a slot already filled, so earlier slots (mandatory units) are
preferred when not every slot can be filled.
"""

from __future__ import annotations

from collections.abc import Sequence


def assign(slots: Sequence[frozenset[str]], codes: Sequence[str]) -> list[str | None]:
    """Return, for each slot, the code assigned to it (or ``None``) in a maximum matching.

    :param slots: for each slot, the codes that may fill it.
    :param codes: the distinct codes available, each usable once. Their order decides
        between equally good assignments, so pass them sorted for a deterministic answer.
    """
    owner: dict[str, int] = {}
    available = set(codes)
    order = {code: i for i, code in enumerate(codes)}
    candidates = [sorted(slot & available, key=order.__getitem__) for slot in slots]

    def augment(slot: int, seen: set[str]) -> bool:
        for code in candidates[slot]:
            if code in seen:
                continue
            seen.add(code)
            holder = owner.get(code)
            if holder is None or augment(holder, seen):
                owner[code] = slot
                return True
        return False

    for index in range(len(slots)):
        augment(index, set())
    result: list[str | None] = [None] * len(slots)
    for code, slot in owner.items():
        result[slot] = code
    return result
