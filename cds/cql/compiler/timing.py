"""Timing phrases (`A starts 3 days or less before start of B`) -> interval and date/time operators.

The phrase first narrows each operand to a boundary when it names one (`starts` / `ends` on the left,
`start` / `end` after the phrase on the right). `before` then compares the end of the left with the
start of the right, `after` the start of the left with the end of the right (an interval's start or
end, a point itself). Offsets move the right-hand point; `or less` and `less than` make a window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import ast as a
from .. import types as t
from ..values.quantity import Quantity
from . import codegen
from .scope import Scope

if TYPE_CHECKING:
    from .expressions import Compiled, ExpressionCompiler


def _is_interval(c: Compiled) -> bool:
    return isinstance(c.type, t.IntervalType)


def _collection_operand(operand: Compiled, other: Compiled, properly: bool) -> bool:
    """Whether `includes` / `included in` relate two collections, rather than one and an element."""
    if isinstance(operand.type, t.IntervalType | t.ListType):
        return True
    # A bare null beside a list is a list for `includes` / `included in` but an element for their
    # `properly` forms, as CqlListOperatorsTest expects (IncludesNullRight, ProperContainsNullRightTrue).
    return operand.type == t.NULL and isinstance(other.type, t.ListType) and not properly


def compile_timing(comp: ExpressionCompiler, node: a.Timing, scope: Scope) -> Compiled:
    p = node.phrase
    left = comp.compile(node.left, scope)
    right = comp.compile(node.right, scope)
    if p.left:
        left = comp.call("Start" if p.left == "start" else "End", [left], node)
    if p.right:
        right = comp.call("Start" if p.right == "start" else "End", [right], node)
    kw = {"precision": p.precision} if p.precision else {}
    kind = p.kind
    if kind == "same":
        name = {None: "SameAs", "before": "SameOrBefore", "after": "SameOrAfter"}[p.relation]
        return comp.call(name, [left, right], node, **kw)
    if kind == "includes":
        if _collection_operand(right, left, p.properly) or (right.type == t.ANY and not p.right):
            name = "ProperIncludes" if p.properly else "Includes"
        else:
            name = "ProperContains" if p.properly else "Contains"
        return comp.call(name, [left, right], node, **kw)
    if kind == "included_in":
        if _collection_operand(left, right, p.properly):
            name = "ProperIncludedIn" if p.properly else "IncludedIn"
        else:
            name = "ProperIn" if p.properly else "In"
        return comp.call(name, [left, right], node, **kw)
    if kind == "meets":
        name = {None: "Meets", "before": "MeetsBefore", "after": "MeetsAfter"}[p.relation]
        return comp.call(name, [left, right], node, **kw)
    if kind == "overlaps":
        name = {None: "Overlaps", "before": "OverlapsBefore", "after": "OverlapsAfter"}[p.relation]
        return comp.call(name, [left, right], node, **kw)
    if kind == "starts":
        return comp.call("Starts", [left, right], node, **kw)
    if kind == "ends":
        return comp.call("Ends", [left, right], node, **kw)
    if kind == "within":
        return _within(comp, node, left, right)
    return _before_after(comp, node, left, right)


def _before_after(comp: ExpressionCompiler, node: a.Timing, left: Compiled, right: Compiled) -> Compiled:
    p = node.phrase
    before = p.relation == "before"
    kw = {"precision": p.precision} if p.precision else {}
    if p.offset is None:
        if before:
            name = "SameOrBefore" if p.inclusive else "Before"
        else:
            name = "SameOrAfter" if p.inclusive else "After"
        return comp.call(name, [left, right], node, **kw)
    # With an offset, compare points: the left's end (before) or start (after), and the right's start
    # (before) or end (after) moved by the offset.
    from .expressions import const

    lp = _point(comp, left, "End" if before else "Start", node)
    rp = _point(comp, right, "Start" if before else "End", node)
    quantity = const(comp.quantity(p.offset), t.QUANTITY)
    moved = comp.call("Subtract" if before else "Add", [rp, quantity], node)
    kind = p.offset_kind or "exact"
    if kind == "exact":
        return comp.call("SameAs", [lp, moved], node, **kw)
    if kind == "or_more":
        return comp.call("SameOrBefore" if before else "SameOrAfter", [lp, moved], node, **kw)
    if kind == "more_than":
        return comp.call("Before" if before else "After", [lp, moved], node, **kw)
    # `or less` / `less than`: within the window between the moved point and the right's point.
    # The right's own point belongs to the window only for `on or` phrases.
    window_low, window_high = (moved, rp) if before else (rp, moved)
    closed = kind == "or_less"
    low_closed, high_closed = (closed, p.inclusive) if before else (p.inclusive, closed)
    window = _interval(comp, node, window_low, window_high, low_closed, high_closed)
    inside = comp.call("In", [lp, window], node, **kw)
    return _with_known_anchor(comp, node, inside, rp) if low_closed or high_closed else inside


def _within(comp: ExpressionCompiler, node: a.Timing, left: Compiled, right: Compiled) -> Compiled:
    from .expressions import const

    p = node.phrase
    assert p.offset is not None
    quantity = const(comp.quantity(p.offset), t.QUANTITY)
    low = comp.call("Subtract", [_point(comp, right, "Start", node), quantity], node)
    high = comp.call("Add", [_point(comp, right, "End", node), quantity], node)
    window = _interval(comp, node, low, high, not p.properly, not p.properly)
    inside = comp.call("IncludedIn" if _is_interval(left) else "In", [left, window], node)
    if p.properly or _is_interval(right):
        return inside
    return _with_known_anchor(comp, node, inside, right)


def _with_known_anchor(
    comp: ExpressionCompiler, node: a.Timing, inside: Compiled, anchor: Compiled
) -> Compiled:
    """`inside and anchor is not null`: a null anchor makes a window with a closed null boundary,
    which reads as unbounded, so the phrase would not be false without this check (as the
    reference translator does for `or less`, `on or` and non-proper `within` of a point)."""
    known = comp.call("Not", [comp.call("IsNull", [anchor], node)], node)
    return comp.call("And", [inside, known], node)


def _point(comp: ExpressionCompiler, c: Compiled, boundary: str, node: a.Timing) -> Compiled:
    return comp.call(boundary, [c], node) if _is_interval(c) else c


def _interval(
    comp: ExpressionCompiler,
    node: a.Timing,
    low: Compiled,
    high: Compiled,
    low_closed: bool,
    high_closed: bool,
) -> Compiled:
    from ..values.interval import Interval
    from .expressions import Compiled, _point_name

    point = low.type if low.type != t.NULL else high.type
    # With both boundaries null the values cannot tell the point type; the static type can.
    static_name = point.simple if isinstance(point, t.NamedType) else None

    def window(lv: object, hv: object) -> Interval:
        return Interval(lv, hv, low_closed, high_closed, _point_name(lv, hv) or static_name)

    return Compiled(
        None, t.IntervalType(point), src=codegen.call_impl(window, [low.source, high.source], False, False)
    )


__all__ = ["Quantity", "compile_timing"]
