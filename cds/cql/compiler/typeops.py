"""`is`, `as`, `cast ... as`, `convert ... to` and `minimum` / `maximum` of a type."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import types as t
from ..errors import CqlRuntimeError
from ..models import FhirObject
from ..operators import registry
from ..operators.conversion import SYSTEM_KEY, caster, instance_checker, system_class
from ..values import temporal
from . import codegen

if TYPE_CHECKING:
    from .expressions import Compiled, ExpressionCompiler


def type_operator(
    op: str, operand: Compiled, target: t.CqlType, comp: ExpressionCompiler, node: Any
) -> Compiled:
    from .expressions import Compiled

    if op == "is":
        check = instance_checker(target)
        return Compiled(None, t.BOOLEAN, src=codegen.call_impl(check, [operand.source], False, False))
    if operand.type != t.ANY and registry.is_subtype(operand.type, target):
        return Compiled(operand._fn, target, operand.constant, src=operand.src)
    cast_one = caster(target)
    if op == "cast":

        def cast_strict(value: Any) -> Any:
            cast = cast_one(value)
            if cast is None:
                raise CqlRuntimeError(f"cannot cast a value of type {type(value).__name__} as {target}")
            return cast

        return Compiled(None, target, src=codegen.call_impl(cast_strict, [operand.source], True, False))
    cls = system_class(target)
    if cls is not None:
        return Compiled(
            None, target, src=codegen.cast_as(operand.source, cls, cast_one, FhirObject, SYSTEM_KEY)
        )
    # Null stays null without calling the caster.
    return Compiled(None, target, src=codegen.call_impl(cast_one, [operand.source], True, False))


_CONVERSIONS = {
    t.BOOLEAN: "ToBoolean",
    t.INTEGER: "ToInteger",
    t.LONG: "ToLong",
    t.DECIMAL: "ToDecimal",
    t.STRING: "ToString",
    t.DATE: "ToDate",
    t.DATETIME: "ToDateTime",
    t.TIME: "ToTime",
    t.QUANTITY: "ToQuantity",
    t.CONCEPT: "ToConcept",
    t.RATIO: "ToRatio",
}


def convert(operand: Compiled, target: t.CqlType, comp: ExpressionCompiler, node: Any) -> Compiled:
    if operand.type == target:
        return operand
    name = _CONVERSIONS.get(target) if isinstance(target, t.NamedType) else None
    if name is None:
        raise comp.error(f"cannot convert to {target}", node)
    return comp.call(name, [operand], node)


DECIMAL_MAX = Decimal("99999999999999999999.99999999")


def type_extent(name: str, ty: t.CqlType, comp: ExpressionCompiler, node: Any) -> Any:
    """`minimum T` / `maximum T`."""
    low = name == "MinValue"
    values: dict[t.CqlType, tuple[Any, Any]] = {
        t.INTEGER: (-(2**31), 2**31 - 1),
        t.LONG: (-(2**63), 2**63 - 1),
        t.DECIMAL: (-DECIMAL_MAX, DECIMAL_MAX),
        t.DATE: (temporal.MIN_DATE, temporal.MAX_DATE),
        t.DATETIME: (temporal.MIN_DATETIME, temporal.MAX_DATETIME),
        t.TIME: (temporal.MIN_TIME, temporal.MAX_TIME),
    }
    if ty not in values:
        raise comp.error(f"the {'minimum' if low else 'maximum'} of {ty} is not defined", node)
    return values[ty][0 if low else 1]
