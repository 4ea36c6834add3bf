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
