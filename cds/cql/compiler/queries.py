"""Queries: sources, let, with / without ... such that, where, return, aggregate, sort.

A single source that is not a list makes a query whose result is not a list either. Rows are bound
into frame slots; an inclusion source (`with [Observation] O such that ...`) that does not read the
query's aliases is evaluated once per query instead of once per row.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import ast as a
from .. import types as t
from ..operators.comparison import compare_for_sort
from ..operators.lists import distinct_values
from ..runtime import Context
from ..values import temporal
from . import codegen
from .scope import Fn, Scope, Variable

if TYPE_CHECKING:
    from .expressions import Compiled, ExpressionCompiler


def compile_query(comp: ExpressionCompiler, node: a.Query, scope: Scope) -> Compiled:
    from .expressions import Compiled

    qscope = scope.child()
    sources: list[tuple[Compiled, Variable, bool]] = []
    for src in node.sources:
        c = comp.compile(src.source, scope)
        is_list = isinstance(c.type, t.ListType)
        element = c.type.element if isinstance(c.type, t.ListType) else c.type
        var = qscope.declare(src.alias, element, "alias")
        sources.append((c, var, is_list))
    singleton = len(sources) == 1 and not sources[0][2]
    own_slots = {v.slot for _, v, _ in sources}

    lets: list[tuple[int, Compiled]] = []
    for item in node.lets:
        c = comp.compile(item.expr, qscope)
        lets.append((qscope.declare(item.name, c.type, "let").slot, c))
        own_slots.add(lets[-1][0])

    inclusions = [_inclusion(comp, inc, qscope, own_slots) for inc in node.inclusions]
    where_c = None
    if node.where is not None:
        where_c = comp._boolean(comp.compile(node.where, qscope), node.where)
    if node.aggregate is not None:
        run_rows = _rows(sources, lets, inclusions, where_c)
        return _aggregate(comp, node.aggregate, qscope, run_rows, singleton, sources)

    if node.returns is not None:
        returned: Compiled | None = comp.compile(node.returns.expr, qscope)
        assert returned is not None
        element_type = returned.type
        distinct = node.returns.distinct
    elif len(sources) == 1:
        returned, element_type, distinct = None, sources[0][1].type, False
    else:
        names = [s.alias for s in node.sources]
        slots = [v.slot for _, v, _ in sources]
        element_type = t.TupleType(tuple((n, v.type) for n, (_, v, _) in zip(names, sources, strict=True)))
        returned, distinct = _tuple_of(names, slots, element_type), False

    # Without a return clause the sorted elements are the source's rows: a sort key may name the alias
    # (`sort by Onset(C)`), which then reads the element being sorted.
    alias_slot = sources[0][1].slot if node.returns is None and len(sources) == 1 else None
    sort = _sort(comp, node.sort, element_type, qscope, alias_slot) if node.sort else None
    # One generated function: the sources' loops, lets, inclusions, the where condition and the return
    # expression inline.
    loop = _generated_query(sources, lets, inclusions, where_c, returned, distinct, sort, singleton)
    return Compiled(None, element_type if singleton else t.ListType(element_type), src=loop)


RowRunner = Callable[[Context, list[Any]], Any]


def _rows(
    sources: list[tuple[Compiled, Variable, bool]],
    lets: list[tuple[int, Compiled]],
    inclusions: list[Callable[[Context, list[Any]], bool]],
    where_c: Compiled | None,
) -> RowRunner:
    """A generator function binding each accepted row into the frame, yielding once per row."""
    source_fns = [(c.fn, is_list) for c, _, is_list in sources]
    where = None if where_c is None else where_c.fn
    let_fns = [(slot, c.fn) for slot, c in lets]

    def rows(ctx: Context, frame: list[Any]) -> Any:
        lists = []
        for fn, is_list in source_fns:
            value = fn(ctx, frame)
            if is_list:
                lists.append(value if value is not None else [])
            else:
                lists.append([value] if value is not None else [])
        slots = [v.slot for _, v, _ in sources]
        combos = zip(*lists, strict=True) if len(lists) == 1 else itertools.product(*lists)
        for combo in combos:
            for slot, value in zip(slots, combo, strict=True):
                frame[slot] = value
            for slot, let in let_fns:
                frame[slot] = let(ctx, frame)
            if inclusions and not all(inc(ctx, frame) for inc in inclusions):
                continue
            if where is not None and where(ctx, frame) is not True:
                continue
            yield combo

    return rows


def _inclusion(
    comp: ExpressionCompiler, inc: a.Inclusion, qscope: Scope, own_slots: set[int]
) -> Callable[[Context, list[Any]], bool]:
    reads: set[int] = set()
    comp.reads.append(reads)
    try:
        source = comp.compile(inc.source.source, qscope)
    finally:
        comp.reads.pop()
        if comp.reads:
            comp.reads[-1].update(reads)
    hoist = not (reads & own_slots)
    iscope = qscope.child()
    element = source.type.element if isinstance(source.type, t.ListType) else source.type
    is_list = isinstance(source.type, t.ListType)
    var = iscope.declare(inc.source.alias, element, "alias")
    cond = comp._boolean(comp.compile(inc.condition, iscope), inc.condition).fn
    src_fn, slot, negated = source.fn, var.slot, inc.negated
    cache_slot = qscope.layout.allocate()

    def items(ctx: Context, frame: list[Any]) -> list[Any]:
        if hoist:
            cached = frame[cache_slot]
            if cached is not None:
                return cached  # type: ignore[no-any-return]
        value = src_fn(ctx, frame)
        got = (value or []) if is_list else ([value] if value is not None else [])
        if hoist:
            frame[cache_slot] = got
        return got

    def check(ctx: Context, frame: list[Any]) -> bool:
        for item in items(ctx, frame):
            frame[slot] = item
            if cond(ctx, frame) is True:
                return not negated
        return negated

    return check


def _tuple_of(names: list[str], slots: list[int], type_: t.CqlType) -> Compiled:
    from .expressions import Compiled, slot_read

    return Compiled(None, type_, src=codegen.tuple_of(names, [slot_read(s, t.ANY).source for s in slots]))


def _generated_query(
    sources: list[tuple[Compiled, Variable, bool]],
    lets: list[tuple[int, Compiled]],
    inclusions: list[Callable[[Context, list[Any]], bool]],
    where: Compiled | None,
    returned: Compiled | None,
    distinct: bool,
    sort: Callable[[Context, list[Any], list[Any]], list[Any]] | None,
    singleton: bool,
) -> codegen.Source:
    """A function evaluating the query: every source first, then one loop per source (the last one
    innermost, as a cross product), binding the row, the lets, the inclusions, the where condition
    and the return expression inline; the query's source is a call of it."""
    parts = [c.source for c, _, _ in sources] + [c.source for _, c in lets]
    if where is not None:
        parts.append(where.source)
    if returned is not None:
        parts.append(returned.source)
    name, distinct_name, sort_name = codegen.fresh("q"), codegen.fresh("k"), codegen.fresh("k")
    env: dict[str, Any] = {distinct_name: distinct_values, sort_name: sort}
    checks = []
    for inclusion in inclusions:
        checks.append(codegen.fresh("w"))
        env[checks[-1]] = inclusion

    def make(*texts: str) -> str:
        lines = [f"def {name}(ctx, frame):", "    out = []"]
        for i, (text, (_, _, is_list)) in enumerate(zip(texts, sources, strict=False)):
            if is_list:
                lines.append(f"    s{i} = {text} or ()")
            else:
                lines.append(f"    s{i} = {text}")
                lines.append(f"    s{i} = () if s{i} is None else (s{i},)")
        indent = "    "
        for i, (_, var, _) in enumerate(sources):
            lines += [f"{indent}for v{i} in s{i}:", f"{indent}    frame[{var.slot}] = v{i}"]
            indent += "    "
        rest = iter(texts[len(sources) :])
        for slot, _ in lets:
            lines.append(f"{indent}frame[{slot}] = {next(rest)}")
        if checks:
            lines += [
                f"{indent}if not ({' and '.join(f'{c}(ctx, frame)' for c in checks)}):",
                f"{indent}    continue",
            ]
        if where is not None:
            lines += [f"{indent}if {next(rest)} is not True:", f"{indent}    continue"]
        lines.append(
            f"{indent}out.append({next(rest) if returned is not None else f'frame[{sources[0][1].slot}]'})"
        )
        if singleton:
            lines.append("    return out[0] if out else None")
            return "\n".join(lines) + "\n"
        if distinct:
            lines.append(f"    out = {distinct_name}(out)")
        if sort is not None:
            lines.append(f"    out = {sort_name}(ctx, frame, out)")
        lines.append("    return out")
        return "\n".join(lines) + "\n"

    body = codegen.combine(parts, make, env)
    return codegen.call_closure(codegen.define_function(name, body.text, body.env))


def _sort(
    comp: ExpressionCompiler,
    items: tuple[a.SortItem, ...],
    element_type: t.CqlType,
    qscope: Scope,
    alias_slot: int | None = None,
) -> Callable[[Context, list[Any], list[Any]], list[Any]]:
    sscope = qscope.child()
    this = sscope.declare("$this", element_type, "this")
    sscope.implicit_this = this
    keys: list[tuple[Fn | None, bool]] = []
    for item in items:
        fn = None if item.expr is None else comp.compile(item.expr, sscope).fn
        keys.append((fn, item.descending))
    slot = this.slot

    def sort(ctx: Context, frame: list[Any], values: list[Any]) -> list[Any]:
        decorated = []
        for v in values:
            frame[slot] = v
            if alias_slot is not None:
                frame[alias_slot] = v
            decorated.append(([v if fn is None else fn(ctx, frame) for fn, _ in keys], v))
        if len(keys) == 1:
            natural = _natural_keys([d[0][0] for d in decorated])
            if natural is not None:
                # Python's sort is stable with reverse=True too, as the comparison below is.
                order = sorted(range(len(decorated)), key=natural.__getitem__, reverse=keys[0][1])
                return [decorated[i][1] for i in order]

        def cmp(x: tuple[list[Any], Any], y: tuple[list[Any], Any]) -> int:
            for kx, ky, (_, desc) in zip(x[0], y[0], keys, strict=True):
                c = compare_for_sort(kx, ky)
                if c:
                    return -c if desc else c
            return 0

        decorated.sort(key=functools.cmp_to_key(cmp))
        return [v for _, v in decorated]

    return sort


def _natural_keys(values: list[Any]) -> list[Any] | None:
    """Keys Python orders as compare_for_sort orders `values`, when they are all whole dates (Dates,
    or DateTimes without an hour: by year, month and day), all strings or all numbers; else None."""
    if not values:
        return None
    kind = type(values[0])
    if kind is temporal.Date or kind is temporal.DateTime:
        keys = []
        for v in values:
            if type(v) is not kind or v.day is None or (kind is temporal.DateTime and v.hour is not None):
                return None
            keys.append((v.year, v.month, v.day))
        return keys
    if kind is str:
        return values if all(type(v) is str for v in values) else None
    if kind is int or kind is Decimal:
        return values if all(type(v) is int or type(v) is Decimal for v in values) else None
    return None


def _aggregate(
    comp: ExpressionCompiler,
    clause: a.AggregateClause,
    qscope: Scope,
    rows: RowRunner,
    singleton: bool,
    sources: list[tuple[Compiled, Variable, bool]],
) -> Compiled:
    from .expressions import NULL_FN, Compiled

    starting = comp.compile(clause.starting, qscope) if clause.starting is not None else None
    ascope = qscope.child()
    acc = ascope.declare(clause.name, starting.type if starting else t.ANY, "let")
    body = comp.compile(clause.expr, ascope)
    if starting is None or starting.type == t.NULL:
        # The accumulator's type is what the body makes of it.
        acc = ascope.declare(clause.name, body.type, "let")
        body = comp.compile(clause.expr, ascope)
    start_fn = starting.fn if starting else NULL_FN
    body_fn, acc_slot, distinct = body.fn, acc.slot, clause.distinct
    slots = [v.slot for _, v, _ in sources]

    def aggregate(ctx: Context, frame: list[Any]) -> Any:
        frame[acc_slot] = start_fn(ctx, frame)
        seen: list[Any] = []
        for combo in rows(ctx, frame):
            if distinct:
                key = list(combo)
                if any(_same_row(key, s) for s in seen):
                    continue
                seen.append(key)
                for slot, value in zip(slots, combo, strict=True):
                    frame[slot] = value
            frame[acc_slot] = body_fn(ctx, frame)
        return frame[acc_slot]

    return Compiled(aggregate, body.type)


def _same_row(a_: list[Any], b: list[Any]) -> bool:
    from ..operators.comparison import equal

    return all(equal(x, y) is True or (x is None and y is None) for x, y in zip(a_, b, strict=True))
