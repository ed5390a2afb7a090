"""`value_class`: the decorator of the engine's value types (Date, DateTime, Code, Interval, ...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def value_class(*, eq: bool = True) -> Callable[[type[T]], type[T]]:
    """A slotted dataclass that is immutable to the type checker (mypy refuses assignments to its
    fields, as for frozen=True) but built without frozen's runtime guard: a frozen dataclass's
    __init__ sets each field through object.__setattr__, several times slower than a plain slot
    store, and evaluation builds thousands of dates, codes and intervals per patient. With `eq`,
    equal values hash equal, as with frozen=True; without it the class brings its own __eq__ and
    __hash__."""

    def wrap(cls: type[T]) -> type[T]:
        return dataclass(slots=True, eq=eq, unsafe_hash=eq)(cls)

    return wrap
