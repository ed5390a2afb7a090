"""value_class: the engine's value types built without frozen's runtime guard keep frozen's equality
and hashing, and stay read-only to the type checker."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from cds.cql.values.code import Code, CodeSystemRef, Concept, ValueSetRef
from cds.cql.values.frozen import value_class
from cds.cql.values.interval import Interval
from cds.cql.values.quantity import Quantity, Ratio
from cds.cql.values.temporal import Date, DateTime, Time
from cds.cql.values.temporal.model import Uncertainty

VALUES = [
    Date(2014, 1, 2),
    Date(2014),
    DateTime(2014, 1, 2, 3, 4, 5, 6, Decimal("-5.5")),
    DateTime(2014, 1, 2),
    Time(10, 30),
    Uncertainty(1, 3),
    ValueSetRef("http://vs", "1", "VS"),
    CodeSystemRef("http://cs"),
]


def frozen_twin(value: object) -> object:
    """The same fields in a frozen dataclass, as the value types were declared before value_class."""
    fields = [(f.name, object, f) for f in dataclasses.fields(value)]  # type: ignore[arg-type]
    twin = dataclasses.make_dataclass(type(value).__name__, fields, frozen=True, slots=True)
    return twin(*dataclasses.astuple(value))  # type: ignore[arg-type]


def test_equality_and_hash_are_frozen_dataclass_ones() -> None:
    for value in VALUES:
        twin = frozen_twin(value)
        assert hash(value) == hash(twin)
        assert value == dataclasses.replace(value)  # type: ignore[type-var]
        assert value != twin  # a dataclass equals only its own class
    assert Date(2014, 1, 2) != DateTime(2014, 1, 2)
    assert DateTime(2014, 1, 2) != DateTime(2014, 1, 2, 0)
    assert len({DateTime(2014, 1, 2), DateTime(2014, 1, 2), Date(2014, 1, 2)}) == 2


def test_classes_with_their_own_equality_keep_it() -> None:
    # CQL equality (Quantity 1 'm' = 100 'cm'), not the dataclass field comparison; hashes ignore
    # what CQL equality may ignore (a code's or concept's display).
    assert Quantity(Decimal(1), "m") == Quantity(Decimal(100), "cm")
    assert Code("a", "s", display="x") == Code("a", "s", display="x")
    assert hash(Code("a", "s", display="x")) == hash(Code("a", "s", display="y"))
    assert Concept((Code("a", "s"),)) == Concept((Code("a", "s"),))
    assert hash(Concept((Code("a", "s"),))) == hash(Concept((Code("a", "s"),), "other"))
    assert Interval(1, 3) == Interval(1, 3) and Interval(1, 3) != Interval(1, 4)
    assert Ratio(Quantity(Decimal(1)), Quantity(Decimal(2))) == Ratio(
        Quantity(Decimal(1)), Quantity(Decimal(2))
    )
    for cls in (Code, Concept, Interval, Quantity, Ratio):
        assert "__hash__" in cls.__dict__ and "__eq__" in cls.__dict__


def test_values_are_slotted_and_read_only_to_the_type_checker() -> None:
    for value in VALUES:
        assert not hasattr(value, "__dict__")
    assert value_class.__dataclass_transform__["kwargs"]["frozen_default"] is True  # type: ignore[attr-defined]
