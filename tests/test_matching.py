from hypothesis import given
from hypothesis import strategies as st

from rulekit.matching import assign


def test_shared_unit_goes_where_it_is_needed() -> None:
    """A unit fitting a mandatory slot and a choice slot leaves the choice to another unit."""
    slots = [frozenset({"A"}), frozenset({"A", "B"})]
    assert assign(slots, ["A", "B"]) == ["A", "B"]


def test_greedy_trap_is_avoided() -> None:
    """Where a greedy pass would fill slot 1 with A and leave slot 2 empty, matching fills both."""
    slots = [frozenset({"A", "B"}), frozenset({"A"})]
    assert assign(slots, ["A", "B"]) == ["B", "A"]


def test_each_code_used_once() -> None:
    """One unit cannot fill two slots."""
    slots = [frozenset({"A"}), frozenset({"A"})]
    assert sorted(assign(slots, ["A"]), key=str) == ["A", None]


def test_earlier_slots_preferred_when_not_all_fit() -> None:
    """When not every slot can be filled, earlier (mandatory) slots keep their unit."""
    slots = [frozenset({"A"}), frozenset({"A", "B"}), frozenset({"A", "B"})]
    assert assign(slots, ["A", "B"])[0] == "A"


def _textbook(slots: list[frozenset[str]], codes: list[str]) -> list[str | None]:
    """Augmenting paths from every slot in order, nothing skipped: what ``assign`` must equal."""
    owner: dict[str, int] = {}
    order = {code: i for i, code in enumerate(codes)}
    candidates = [sorted(slot & set(codes), key=order.__getitem__) for slot in slots]

    def augment(slot: int, seen: set[str]) -> bool:
        for code in candidates[slot]:
            if code not in seen:
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


_CODES = st.sampled_from("ABCDEFG")


@given(
    mandatory=st.lists(_CODES, max_size=5),
    groups=st.lists(st.tuples(st.frozensets(_CODES, min_size=1), st.integers(1, 3)), max_size=3),
    held=st.lists(_CODES, unique=True),
)
def test_same_assignment_as_augmenting_every_slot(
    mandatory: list[str], groups: list[tuple[frozenset[str], int]], held: list[str]
) -> None:
    """Taking the leading one-code slots directly changes no assignment."""
    slots = [frozenset({code}) for code in mandatory]
    for group, choose in groups:
        slots += [group] * choose
    codes = sorted(held)
    assert assign(slots, codes) == _textbook(slots, codes)
