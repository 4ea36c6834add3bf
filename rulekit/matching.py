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
    # Leading one-code slots (a track's mandatory units) take their code when it is free:
    # no later slot can take it back, since an augmenting path would have to empty them,
    # so they need no candidates of their own.
    first = 0
    for fits in slots:
        if len(fits) != 1:
            break
        (code,) = fits
        if code in available and code not in owner:
            owner[code] = first
        first += 1
    result: list[str | None] = [None] * len(slots)
    if first == len(slots):
        for code, slot in owner.items():
            result[slot] = code
        return result
    nothing: list[str] = []
    by_slot: dict[frozenset[str], list[str]] = {}  # a group's slots share one list
    candidates: list[list[str]] = [nothing] * first
    for fits in slots[first:]:
        listed = by_slot.get(fits)
        if listed is None:  # in the order of ``codes``
            listed = by_slot[fits] = [code for code in codes if code in fits]
        candidates.append(listed)

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

    for index in range(first, len(slots)):
        augment(index, set())
    for code, slot in owner.items():
        result[slot] = code
    return result
