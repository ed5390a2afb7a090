"""Compile-time scopes: aliases, lets and function operands, each given a slot in the frame of the
define or function being compiled. Closures read `frame[slot]`; nothing is looked up by name at
evaluation time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import types as t

Fn = Callable[[Any, list[Any]], Any]


@dataclass(slots=True)
class FrameLayout:
    """The slots of one define or function body."""

    size: int = 0

    def allocate(self) -> int:
        self.size += 1
        return self.size - 1


@dataclass(frozen=True, slots=True)
class Variable:
    slot: int
    type: t.CqlType
    kind: str  # alias, let, operand, this, index, total


@dataclass(slots=True)
class Scope:
    layout: FrameLayout
    parent: Scope | None = None
    names: dict[str, Variable] = field(default_factory=dict)
    # `$this` in scope: identifiers not found elsewhere are properties of it (sort by, paths)
    implicit_this: Variable | None = None

    def child(self) -> Scope:
        return Scope(self.layout, self)

    def declare(self, name: str, type_: t.CqlType, kind: str) -> Variable:
        var = Variable(self.layout.allocate(), type_, kind)
        self.names[name] = var
        return var

    def lookup(self, name: str) -> Variable | None:
        scope: Scope | None = self
        while scope is not None:
            var = scope.names.get(name)
            if var is not None:
                return var
            scope = scope.parent
        return None

    def this(self) -> Variable | None:
        scope: Scope | None = self
        while scope is not None:
            if scope.implicit_this is not None:
                return scope.implicit_this
            scope = scope.parent
        return None


def new_scope() -> Scope:
    return Scope(FrameLayout())
