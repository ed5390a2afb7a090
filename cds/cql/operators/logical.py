"""Three-valued logic: and, or, xor, implies, not. `and` / `or` / `implies` do not evaluate their
right operand when the left one decides."""

from __future__ import annotations

from typing import Any

from .. import types as t
from ..runtime import Context
from .registry import Fn, operator


@operator("And", "(Boolean, Boolean) -> Boolean", builder=True)
def and_(fns: list[Fn], types: list[t.CqlType]) -> Fn:
    left, right = fns

    def and_fn(ctx: Context, frame: list[Any]) -> bool | None:
        a = left(ctx, frame)
        if a is False:
            return False
        b = right(ctx, frame)
        if b is False:
            return False
        return None if a is None or b is None else True

    return and_fn


@operator("Or", "(Boolean, Boolean) -> Boolean", builder=True)
def or_(fns: list[Fn], types: list[t.CqlType]) -> Fn:
    left, right = fns

    def or_fn(ctx: Context, frame: list[Any]) -> bool | None:
        a = left(ctx, frame)
        if a is True:
            return True
        b = right(ctx, frame)
        if b is True:
            return True
        return None if a is None or b is None else False

    return or_fn


@operator("Implies", "(Boolean, Boolean) -> Boolean", builder=True)
def implies(fns: list[Fn], types: list[t.CqlType]) -> Fn:
    left, right = fns

    def implies_fn(ctx: Context, frame: list[Any]) -> bool | None:
        a = left(ctx, frame)
        if a is False:
            return True
        b = right(ctx, frame)
        if b is True:
            return True
        return None if a is None or b is None else False

    return implies_fn


@operator("Xor", "(Boolean, Boolean) -> Boolean")
def xor(a: bool, b: bool) -> bool:
    return a is not b


@operator("Not", "(Boolean) -> Boolean")
def not_(a: bool) -> bool:
    return not a
