"""Python source for the hot node kinds, so that one compiled Python function evaluates a whole
subtree instead of a chain of closures calling closures.

A `Source` is a Python expression over the locals `ctx` (the Context) and `frame` (the slot list),
with the objects it names (operator implementations, getters, constants, closures of node kinds that
have no source form) in `env`. Nodes that have a source form combine their children's sources; a
child without one is called through its closure (`_f12(ctx, frame)`), so mixing the two forms costs
no more than closures alone. A source becomes a function (`materialize`) only when something needs a
closure: the body of a define or function, or an argument of a node kind that has no source form.

Every text is an atom (a name, a call, a subscript or a parenthesised expression), so it can stand as
the operand of any Python operator. Temporaries are walrus names unique in the process, so nested
expressions never clobber each other's values.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Fn = Callable[[Any, list[Any]], Any]

_NAMES = itertools.count()

# Python's parser refuses very deep nesting (200 parentheses); deeper sources are split into
# functions well before that.
MAX_DEPTH = 40


def fresh(prefix: str) -> str:
    """A name unique in the process: generated texts are combined freely, without renaming."""
    return f"_{prefix}{next(_NAMES)}"


@dataclass(frozen=True, slots=True)
class Source:
    text: str
    env: dict[str, Any]
    depth: int = 0
    not_null: bool = False  # a constant other than null: no null test needed
    closure: Fn | None = None  # the text only calls this closure: it is its own function


def bind(value: Any, prefix: str = "k") -> Source:
    """A name for `value` (a constant, a function) in the generated code."""
    name = fresh(prefix)
    return Source(name, {name: value}, not_null=value is not None)


def call_closure(fn: Fn) -> Source:
    name = fresh("f")
    return Source(f"{name}(ctx, frame)", {name: fn}, 1, closure=fn)


def slot(index: int) -> Source:
    return Source(f"frame[{index}]", {})


def combine(parts: Sequence[Source], make: Callable[..., str], env: dict[str, Any] | None = None) -> Source:
    """A source built from `parts` by `make(*texts)`; too deep a part is called as a function."""
    shallow = [p if p.depth < MAX_DEPTH else call_closure(materialize(p)) for p in parts]
    merged: dict[str, Any] = dict(env) if env else {}
    for p in shallow:
        merged.update(p.env)
    depth = max((p.depth for p in shallow), default=0) + 2
    return Source(make(*(p.text for p in shallow)), merged, depth)


def materialize(src: Source, label: str = "expression") -> Fn:
    """The source as a function (ctx, frame) -> value; `label` names it in tracebacks and profiles."""
    if src.closure is not None:
        return src.closure
    code = compile(f"lambda ctx, frame: {src.text}", f"<cql {label}>", "eval")
    fn: Fn = eval(code, dict(src.env))  # our own generated text
    return fn


def define_function(name: str, text: str, env: dict[str, Any]) -> Any:
    """Compile a generated `def name(...)` and return the function."""
    namespace = dict(env)
    exec(compile(text, "<cql query>", "exec"), namespace)
    return namespace[name]


# ----------------------------------------------------------------------------------- node kinds
def call_impl(
    impl: Callable[..., Any],
    args: Sequence[Source],
    propagate: bool,
    context: bool,
    kwargs: dict[str, Any] | None = None,
) -> Source:
    """`impl(args...)` (with the context first when it asks for it, keyword arguments last); when null
    propagates, null as soon as an argument is null, later arguments not evaluated (as closures did)."""
    name = fresh("i")
    env: dict[str, Any] = {name: impl}
    lead = ["ctx"] if context else []
    tail = []
    for key, value in (kwargs or {}).items():
        bound = fresh("k")
        env[bound] = value
        tail.append(f"{key}={bound}")
    if not propagate:
        return combine(args, lambda *xs: f"{name}({', '.join([*lead, *xs, *tail])})", env)
    temps = [fresh("t") for _ in args]

    call = f"{name}({', '.join([*lead, *temps, *tail])})"
    if not args:
        return Source(call, env, 1)
    if context or len(args) > 2:
        # As the closures did: every argument evaluated, then null if any is null.
        def make_all(*xs: str) -> str:
            assigned = ", ".join(f"({temp} := {x})" for temp, x in zip(temps, xs, strict=True))
            present = " and ".join(f"{temp} is not None" for temp in temps) or "True"
            return f"({call} if ({assigned},) and {present} else None)"

        return combine(args, make_all, env)

    def make(*xs: str) -> str:
        # A constant other than null needs no test: it stands in the call itself.
        used = [x if arg.not_null else temp for temp, x, arg in zip(temps, xs, args, strict=True)]
        text = f"{name}({', '.join([*lead, *used, *tail])})"
        for temp, x, arg in reversed(list(zip(temps, xs, args, strict=True))):
            if not arg.not_null:
                text = f"(None if ({temp} := {x}) is None else {text})"
        return text

    return combine(args, make, env)


def unary(template: str, operand: Source, propagate: bool) -> Source:
    """An operator written inline: `template` with `{}` for the operand's value (read once)."""
    if not propagate:
        return combine([operand], lambda x: template.format(x))
    v = fresh("t")
    return combine([operand], lambda x: f"(None if ({v} := {x}) is None else {template.format(v)})")


def string_equal(left: Source, right: Source, equal: Callable[[Any, Any], Any]) -> Source:
    """CQL `=` where an operand is a String: Python's == when both values are strings (null and any
    other value go to `equal`). Both operands are evaluated, in order, as for any operator."""
    e, a, b = fresh("e"), fresh("t"), fresh("t")
    return combine(
        [left, right],
        lambda x, y: (
            f"({a} == {b} if (type({a} := {x}) is str) & (type({b} := {y}) is str) else {e}({a}, {b}))"
        ),
        {e: equal},
    )


def ordering(left: Source, right: Source, op: str, impl: Callable[[Any, Any], Any], quantity: type) -> Source:
    """CQL `<`, `<=`, `>` or `>=` (`op`) with null propagation: Python's operator for two integers,
    decimals or strings of one type and for quantities of one unit (the operator's own answer for
    those); `impl` for everything else (units to convert, dates, uncertainties)."""
    f, q, a, b = fresh("i"), fresh("k"), fresh("t"), fresh("t")
    return combine(
        [left, right],
        lambda x, y: (
            f"(None if ({a} := {x}) is None else None if ({b} := {y}) is None else "
            f"({a} {op} {b}) if type({a}) is type({b}) and type({a}) in (int, _Decimal, str) else "
            f"({a}.value {op} {b}.value) if type({a}) is {q} and type({b}) is {q} and {a}.unit == {b}.unit "
            f"else {f}({a}, {b}))"
        ),
        {f: impl, q: quantity, "_Decimal": Decimal},
    )


def in_strings(item: Source, strings: list[str], impl: Callable[[Any, Any], Any]) -> Source:
    """`item in {'a', 'b'}` for a constant list of strings: a set lookup for a string item; `impl`
    (the List In operator) for anything else, null included."""
    f, k, v, lst = fresh("i"), fresh("k"), fresh("t"), fresh("k")
    return combine(
        [item],
        lambda x: f"(({v} in {k}) if type({v} := {x}) is str else {f}({v}, {lst}))",
        {f: impl, k: frozenset(strings), lst: strings},
    )


def and_(left: Source, right: Source) -> Source:
    a, b = fresh("t"), fresh("t")
    return combine(
        [left, right],
        lambda x, y: (
            f"(False if ({a} := {x}) is False else False if ({b} := {y}) is False "
            f"else None if {a} is None or {b} is None else True)"
        ),
    )


def or_(left: Source, right: Source) -> Source:
    a, b = fresh("t"), fresh("t")
    return combine(
        [left, right],
        lambda x, y: (
            f"(True if ({a} := {x}) is True else True if ({b} := {y}) is True "
            f"else None if {a} is None or {b} is None else False)"
        ),
    )


def implies(left: Source, right: Source) -> Source:
    a, b = fresh("t"), fresh("t")
    return combine(
        [left, right],
        lambda x, y: (
            f"(True if ({a} := {x}) is False else True if ({b} := {y}) is True "
            f"else None if {a} is None or {b} is None else False)"
        ),
    )


def coalesce(args: Sequence[Source]) -> Source:
    """The first non-null argument; later ones are not evaluated."""
    temps = [fresh("t") for _ in args]

    def make(*xs: str) -> str:
        text = "None"
        for temp, x in reversed(list(zip(temps, xs, strict=True))):
            text = f"({temp} if ({temp} := {x}) is not None else {text})"
        return text

    return combine(args, make)


def if_(cond: Source, then: Source, otherwise: Source) -> Source:
    return combine([cond, then, otherwise], lambda c, th, el: f"({th} if {c} is True else {el})")


def case(whens: Sequence[Source], thens: Sequence[Source], otherwise: Source) -> Source:
    n = len(whens)

    def make(*xs: str) -> str:
        text = xs[-1]
        for i in reversed(range(n)):
            text = f"({xs[n + i]} if {xs[i]} is True else {text})"
        return text

    return combine([*whens, *thens, otherwise], make)


def member(source: Source, getter: Callable[[Any], Any]) -> Source:
    """`getter(source)`: the getter reads the value remembered on a FHIR object itself."""
    g = fresh("g")
    return combine([source], lambda x: f"{g}({x})", {g: getter})


def tuple_member(source: Source, name: str, getter: Callable[[Any], Any]) -> Source:
    """Member `name` of a value typed as a Tuple: a dict read in place (the getter for anything else
    the value turns out to be)."""
    g, v = fresh("g"), fresh("t")
    return combine(
        [source],
        lambda x: f"(None if ({v} := {x}) is None else {v}.get({name!r}) if type({v}) is dict else {g}({v}))",
        {g: getter},
    )


def fhir_member(
    source: Source, name: str, getter: Callable[[Any], Any], fhir_type: type, miss: object
) -> Source:
    """Member `name` of a value typed as a FHIR type: read from the object's memo of converted
    elements when it is there, else through the getter (which converts and remembers it)."""
    g, v, r = fresh("g"), fresh("t"), fresh("t")
    return combine(
        [source],
        lambda x: (
            f"(None if ({v} := {x}) is None else {r} if type({v}) is _FhirObject and "
            f"({r} := {v}.memo.get({name!r}, _MISS)) is not _MISS else {g}({v}))"
        ),
        {g: getter, "_FhirObject": fhir_type, "_MISS": miss},
    )


def cast_as(
    source: Source, cls: type, cast: Callable[[Any], Any], fhir_type: type, system_key: str
) -> Source:
    """`as` a System type: a value of exactly its class is itself (null stays null), and so is a FHIR
    value's System form already kept on it (`O.value as Quantity`); any other value goes to `cast`."""
    c, k, v, r = fresh("c"), fresh("k"), fresh("t"), fresh("t")
    return combine(
        [source],
        lambda x: (
            f"(None if ({v} := {x}) is None else {v} if type({v}) is {k} else {r} "
            f"if type({v}) is _FhirObject and type({r} := {v}.memo.get({system_key!r})) is {k} else {c}({v}))"
        ),
        {c: cast, k: cls, "_FhirObject": fhir_type},
    )


def convert(source: Source, converter: Callable[[Any], Any]) -> Source:
    c = fresh("c")
    return combine([source], lambda x: f"{c}({x})", {c: converter})


def memo(source: Source, key: int, miss: object) -> Source:
    """The value remembered in ctx.memo under `key`, computed by `source` the first time."""
    c, v = fresh("t"), fresh("t")
    return combine(
        [source],
        lambda x: (
            f"({v} if ({v} := ({c} := ctx.memo).get({key}, _MISS)) is not _MISS else {c}.setdefault({key}, {x}))"
        ),
        {"_MISS": miss},
    )


def list_of(items: Sequence[Source]) -> Source:
    return combine(items, lambda *xs: f"[{', '.join(xs)}]")


def tuple_of(names: Sequence[str], items: Sequence[Source]) -> Source:
    keys = [repr(n) for n in names]
    return combine(
        items, lambda *xs: "{" + ", ".join(f"{k}: {x}" for k, x in zip(keys, xs, strict=True)) + "}"
    )


__all__ = ["MAX_DEPTH", "Fn", "Source", "bind", "call_closure", "combine", "fresh", "materialize", "slot"]
