"""AST expressions -> Compiled (Python source or a closure, and a static type).

Most node kinds produce Python source (see codegen), combined into one generated function per
define, function body and query; the rest (retrieves, define references, aggregates) are closures,
called from the generated code. Each `_c_<Node>` method compiles one node kind. Operators go through the registry (overloads,
implicit conversions, null propagation); names resolve at compile time to frame slots, defines,
parameters, terminology or library members. Queries and timing phrases have modules of their own.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .. import ast as a
from .. import types as t
from ..errors import CqlError, CqlRuntimeError, CqlSemanticError
from ..models import FhirObject, fhir_model, runtime_type
from ..operators import comparison, lists, logical, nullological, registry
from ..operators.conversion import instance_of, to_system
from ..operators.intervals import interval_check
from ..runtime import Context, RetrieveRequest, concept_codes
from ..values import temporal, ucum
from ..values.code import Code, CodeSystemRef, Concept, ValueSetRef
from ..values.interval import Interval
from ..values.quantity import CALENDAR_UNITS, Quantity, Ratio, normalize_unit
from . import codegen, typeops
from .library import CompiledFunction, CompiledLibrary, DataRequirement, define_ref, parameter_ref, semantic
from .scope import Fn, Scope

if TYPE_CHECKING:
    from .compile import LibraryCompiler


class Compiled:
    """A compiled expression: its closure, its static type, and for the node kinds that have one its
    Python source (see codegen). A node built from source gets its closure when one is first asked
    for, so a parent that generates source from it never compiles it on its own."""

    __slots__ = ("_fn", "constant", "invariant", "src", "type")

    def __init__(
        self,
        fn: Fn | None,
        type: t.CqlType,
        constant: bool = False,  # evaluates to the same value in every context (literals, selectors)
        invariant: bool = False,  # computed once per evaluation context (reads no row or operand)
        src: codegen.Source | None = None,
    ) -> None:
        assert fn is not None or src is not None
        self._fn = fn
        self.type = type
        self.constant = constant
        self.invariant = invariant
        self.src = src

    @property
    def fn(self) -> Fn:
        fn = self._fn
        if fn is None:
            assert self.src is not None
            fn = self._fn = codegen.materialize(self.src)
        return fn

    def named_fn(self, label: str) -> Fn:
        """The closure, generated under `label` (a define's or function's name) if it is generated."""
        if self._fn is None:
            assert self.src is not None
            self._fn = codegen.materialize(self.src, label)
        return self._fn

    @property
    def source(self) -> codegen.Source:
        """The source form: generated, or a call of the closure."""
        return self.src if self.src is not None else codegen.call_closure(self.fn)


def generated(src: codegen.Source, type_: t.CqlType, constant: bool = False) -> Compiled:
    return Compiled(None, type_, constant, src=src)


def const(value: Any, type_: t.CqlType) -> Compiled:
    return Compiled(lambda ctx, frame: value, type_, True, src=codegen.bind(value))


NULL_FN: Fn = lambda ctx, frame: None  # noqa: E731


def null() -> Compiled:
    return Compiled(NULL_FN, t.NULL, True, src=codegen.Source("None", {}))


INT_MIN, INT_MAX = -(2**31), 2**31 - 1
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1

_BINARY_OPERATORS = {
    "+": "Add",
    "-": "Subtract",
    "*": "Multiply",
    "/": "Divide",
    "div": "TruncatedDivide",
    "mod": "Modulo",
    "^": "Power",
    "&": "Concatenate&",
    "=": "Equal",
    "~": "Equivalent",
    "<": "Less",
    "<=": "LessOrEqual",
    ">": "Greater",
    ">=": "GreaterOrEqual",
    "and": "And",
    "or": "Or",
    "xor": "Xor",
    "implies": "Implies",
    "union": "Union",
    "|": "Union",
    "intersect": "Intersect",
    "except": "Except",
    "in": "In",
    "contains": "Contains",
}
_UNARY_OPERATORS = {
    "not": "Not",
    "exists": "Exists",
    "distinct": "Distinct",
    "flatten": "Flatten",
    "start": "Start",
    "end": "End",
    "width": "Width",
    "successor": "Successor",
    "predecessor": "Predecessor",
    "singleton": "SingletonFrom",
    "point": "PointFrom",
    "negate": "Negate",
}
_SYSTEM_MEMBERS: dict[t.CqlType, dict[str, t.CqlType]] = {
    t.QUANTITY: {"value": t.DECIMAL, "unit": t.STRING},
    t.CODE: {"code": t.STRING, "system": t.STRING, "version": t.STRING, "display": t.STRING},
    t.CONCEPT: {"codes": t.ListType(t.CODE), "display": t.STRING},
    t.RATIO: {"numerator": t.QUANTITY, "denominator": t.QUANTITY},
    t.VALUESET: {"id": t.STRING, "version": t.STRING, "name": t.STRING},
    t.CODESYSTEM: {"id": t.STRING, "version": t.STRING, "name": t.STRING},
}


class ExpressionCompiler:
    """Compiles expressions of one library; `lib` gives library-level names."""

    def __init__(self, lib: LibraryCompiler) -> None:
        self.lib = lib
        self.compiled: CompiledLibrary = lib.compiled
        # Slots read while compiling, for each enclosing tracker (queries hoist what reads no row).
        self.reads: list[set[int]] = []

    # ------------------------------------------------------------------------------------ entry
    def compile(self, node: a.Expr, scope: Scope) -> Compiled:
        method = getattr(self, "_c_" + type(node).__name__)
        start = scope.layout.size
        reads: set[int] = set()
        self.reads.append(reads)
        try:
            result: Compiled = method(node, scope)
        except CqlError as exc:
            pos = getattr(node, "pos", a.NOWHERE)
            exc.located(library=self.compiled.name, line=pos.line or None, column=pos.column)
            raise
        finally:
            self.reads.pop()
        # Slots allocated while compiling this node are its own (query aliases, lets); only reads of
        # slots from before it make it depend on its surroundings.
        outer = {slot for slot in reads if slot < start}
        if self.reads:
            self.reads[-1].update(outer)
        invariant = not outer and not result.constant and type(node) in _MEMO_NODES
        if invariant and (isinstance(node, a.Retrieve) or scope.layout.size > 0):
            result = _memoize(result)
        return result

    def _read(self, slot: int) -> None:
        if self.reads:
            self.reads[-1].add(slot)

    def error(self, message: str, node: Any) -> CqlSemanticError:
        return semantic(message, node, self.compiled.name)

    # ------------------------------------------------------------------------------- operators
    def call(
        self,
        name: str,
        args: Sequence[Compiled],
        node: Any,
        display: str | None = None,
        **kwargs: Any,
    ) -> Compiled:
        """Resolve and compile a call of a system operator."""
        types = [c.type for c in args]
        resolutions = registry.resolve(name, types)
        if not resolutions:
            shown = display or name.rstrip("&")
            sig = ", ".join(str(x) for x in types)
            raise self.error(f"Could not resolve call to operator {shown} with signature ({sig})", node)
        best = resolutions[0]
        unknown = any(x == t.ANY or isinstance(x, t.ChoiceType) for x in types)
        impls = {r.signature.impl for r in resolutions}
        if unknown and len(impls) > 1 and not any(r.signature.builder for r in resolutions):
            return self._dynamic_call(name, args, resolutions, kwargs)
        converted = [_argument(c, conv) for c, conv in zip(args, best.converters, strict=True)]
        chosen = best.signature
        all_const = all(c.constant for c in args) and not chosen.context
        # Source form; a constant call also keeps a closure, which the compiler may call at compile time.
        if chosen.builder:
            make = _SOURCE_BUILDERS.get(chosen.impl)
            if make is not None and not kwargs:
                return generated(make([c.source for c in converted]), best.result)
            fn = chosen.impl([c.fn for c in converted], [c.type for c in args], **kwargs)
            return Compiled(fn, best.result)
        propagate = chosen.nulls == "propagate"
        if chosen.impl is comparison.equal_operator and t.STRING in types and not all_const:
            return generated(
                codegen.string_equal(converted[0].source, converted[1].source, chosen.impl), best.result
            )
        if chosen.impl is lists.in_ and converted[1].constant and not all_const and not kwargs:
            strings = converted[1].fn(None, [])
            if isinstance(strings, list) and all(type(x) is str for x in strings):
                return generated(codegen.in_strings(converted[0].source, strings, chosen.impl), best.result)
        order = _INLINE_ORDER.get(chosen.impl)
        if order is not None and not all_const and not kwargs and propagate:
            src = codegen.ordering(converted[0].source, converted[1].source, order, chosen.impl, Quantity)
            return generated(src, best.result)
        inline = _INLINE_UNARY.get(chosen.impl)
        if inline is not None and not all_const and not kwargs:
            return generated(codegen.unary(inline, converted[0].source, propagate), best.result)
        src = codegen.call_impl(chosen.impl, [c.source for c in converted], propagate, chosen.context, kwargs)
        if not all_const:
            return generated(src, best.result)
        fn = _constant_call(chosen.impl, [c.fn for c in converted], propagate, kwargs)
        return Compiled(fn, best.result, all_const, src=src)

    def _dynamic_call(
        self,
        name: str,
        args: Sequence[Compiled],
        resolutions: list[registry.Resolution],
        kwargs: dict[str, Any],
    ) -> Compiled:
        """Dispatch on runtime types: some argument's static type is unknown (Any or a choice)."""
        fns = [c.fn for c in args]
        cache: dict[tuple[t.CqlType, ...], registry.Resolution | None] = {}
        results = {r.result for r in resolutions}
        result_type = results.pop() if len(results) == 1 else t.ANY

        def dynamic(ctx: Context, frame: list[Any]) -> Any:
            values = [to_system(f(ctx, frame)) for f in fns]
            key = tuple(runtime_type(v) for v in values)
            if key not in cache:
                found = registry.resolve(name, key)
                cache[key] = found[0] if found else None
            res = cache[key]
            if res is None:
                if any(v is None for v in values):
                    return None
                shown = ", ".join(str(k) for k in key)
                raise CqlRuntimeError(f"no operator {name.rstrip('&')} for values of types ({shown})")
            sig = res.signature
            values = [v if c is None else c(v) for v, c in zip(values, res.converters, strict=True)]
            if sig.nulls == "propagate" and any(v is None for v in values):
                return None
            if sig.context:
                return sig.impl(ctx, *values, **kwargs)
            return sig.impl(*values, **kwargs)

        return Compiled(dynamic, result_type)

    # -------------------------------------------------------------------------------- literals
    def _c_Literal(self, node: a.Literal, scope: Scope) -> Compiled:
        kind, text = node.kind, node.text
        if kind == "null":
            return null()
        if kind == "boolean":
            return const(text == "true", t.BOOLEAN)
        if kind == "string":
            return const(text, t.STRING)
        if kind == "integer":
            value = int(text)
            if not INT_MIN <= value <= INT_MAX:
                raise self.error(f"integer literal {text} is out of range; write {text}L for a Long", node)
            return const(value, t.INTEGER)
        if kind == "long":
            value = int(text)
            if not LONG_MIN <= value <= LONG_MAX:
                raise self.error(f"long literal {text}L is out of range", node)
            return const(value, t.LONG)
        if kind == "decimal":
            return const(_decimal_literal(text, self, node), t.DECIMAL)
        return self._temporal_literal(node)

    def _temporal_literal(self, node: a.Literal) -> Compiled:
        text = node.text
        try:
            if node.kind == "date":
                date = temporal.parse_date(text)
                if date is None:
                    raise self.error(f"invalid date literal @{text}", node)
                temporal.make_date(date.year, date.month, date.day)
                return const(date, t.DATE)
            if node.kind == "time":
                tm = temporal.parse_time(text)
                if tm is None:
                    raise self.error(f"invalid time literal @T{text}", node)
                temporal.make_time(tm.hour, tm.minute, tm.second, tm.millisecond)
                return const(tm, t.TIME)
            dt = temporal.parse_datetime(text)
        except temporal.TemporalError as exc:
            raise self.error(f"invalid date/time literal @{text}: {exc}", node) from None
        if dt is None:
            raise self.error(f"invalid date/time literal @{text}", node)
        # No offset written: the value keeps offset None, which every temporal operation reads as
        # the evaluation request's offset (CQL 1.5), so the constant serves any request and
        # ToString prints no offset, as the conformance tests expect.
        return const(dt, t.DATETIME)

    def _c_QuantityLiteral(self, node: a.QuantityLiteral, scope: Scope) -> Compiled:
        return const(self.quantity(node), t.QUANTITY)

    def quantity(self, node: a.QuantityLiteral) -> Quantity:
        # A measured value may be written more finely than the Decimal step (CqlTypesTest
        # QuantityFractionalTooBig expects 5.999999999 'g' to stand); arithmetic rounds it later.
        value = _decimal_literal(node.value, self, node, max_places=None)
        unit = normalize_unit(node.unit)
        if unit not in CALENDAR_UNITS and not ucum.is_valid(unit):
            raise self.error(f"{node.unit!r} is not a valid UCUM unit", node)
        return Quantity(value, unit)

    def _c_RatioLiteral(self, node: a.RatioLiteral, scope: Scope) -> Compiled:
        return const(Ratio(self.quantity(node.numerator), self.quantity(node.denominator)), t.RATIO)

    # ---------------------------------------------------------------------------------- names
    def _c_Name(self, node: a.Name, scope: Scope) -> Compiled:
        name = node.name
        var = scope.lookup(name)
        if var is not None:
            self._read(var.slot)
            return slot_read(var.slot, var.type)
        found = self.library_member(self.compiled, name, node, local=True)
        if found is not None:
            return found
        this = scope.this()
        if this is not None:
            self._read(this.slot)
            source = slot_read(this.slot, this.type)
            member = self.member_access(source, name, node, quiet=True)
            if member is not None:
                return member
        if name in self.compiled.includes:
            raise self.error(f"library {name} is not a value; use {name}.<definition>", node)
        raise self.error(f"Could not resolve identifier {name}", node)

    def library_member(self, lib: CompiledLibrary, name: str, node: Any, local: bool) -> Compiled | None:
        """A define, parameter, terminology definition or context of `lib`, or None."""
        if lib is self.compiled:
            define = self.lib.ensure_define(name, node)
            if define is not None:
                return Compiled(define_ref(lib, define), define.type)
        elif name in lib.defines:
            define = lib.defines[name]
            if define.node.private:
                raise self.error(f"{lib.name}.{name} is private", node)
            return Compiled(define_ref(lib, define), define.type)
        param = lib.parameters.get(name)
        if param is not None:
            if lib is self.compiled:
                self.lib.ensure_parameter(name)
            return Compiled(parameter_ref(lib, param), param.type)
        term = lib.terminology.get(name)
        if term is not None:
            if term.private and not local:
                raise self.error(f"{lib.name}.{name} is private", node)
            return const(term.value, term.type)
        if name in lib.contexts or (name == "Patient" and local and "FHIR" in lib.models):
            return self._context_value(name)
        return None

    def _context_value(self, name: str) -> Compiled:
        request = RetrieveRequest(type=name)

        def patient(ctx: Context, frame: list[Any]) -> Any:
            if ctx.patient is not None:
                return ctx.patient
            found = ctx.data.retrieve(request, ctx.terminology)
            return found[0] if found else None

        return Compiled(patient, fhir_model().static_type(name))

    def _c_SpecialVar(self, node: a.SpecialVar, scope: Scope) -> Compiled:
        var = scope.lookup("$" + node.name)
        if var is None:
            raise self.error(f"${node.name} is not defined here", node)
        self._read(var.slot)
        return slot_read(var.slot, var.type)

    def _c_ExternalConstant(self, node: a.ExternalConstant, scope: Scope) -> Compiled:
        name = node.name

        def external(ctx: Context, frame: list[Any]) -> Any:
            return ctx.parameters.get("%" + name, ctx.parameters.get(name))

        return Compiled(external, t.ANY)

    # -------------------------------------------------------------------------------- members
    def _c_Member(self, node: a.Member, scope: Scope) -> Compiled:
        if isinstance(node.source, a.Name) and scope.lookup(node.source.name) is None:
            lib = self.compiled.includes.get(node.source.name)
            if lib is not None and not self.lib.shadows_library(node.source.name):
                found = self.library_member(lib, node.name, node, local=False)
                if found is None:
                    raise self.error(f"Could not resolve {node.name} in library {node.source.name}", node)
                return found
        source = self.compile(node.source, scope)
        result = self.member_access(source, node.name, node)
        assert result is not None
        return result

    def member_access(self, source: Compiled, name: str, node: Any, quiet: bool = False) -> Compiled | None:
        st = source.type
        if isinstance(st, t.ListType):
            inner = self.member_access(Compiled(NULL_FN, st.element), name, node, quiet)
            if inner is None:
                return None
            element_type = inner.type.element if isinstance(inner.type, t.ListType) else inner.type
            getter = _dynamic_getter(name)
            fn = source.fn

            def each(ctx: Context, frame: list[Any]) -> Any:
                items = fn(ctx, frame)
                if items is None:
                    return None
                out: list[Any] = []
                for item in items:
                    v = getter(item)
                    if isinstance(v, list):
                        out.extend(x for x in v if x is not None)
                    elif v is not None:
                        out.append(v)
                return out

            return Compiled(each, t.ListType(element_type))
        member_type = self._member_type(st, name)
        if member_type is None:
            if quiet:
                return None
            raise self.error(f"Could not resolve member {name} of type {st}", node)
        getter = _dynamic_getter(name)
        if isinstance(st, t.TupleType):
            return generated(codegen.tuple_member(source.source, name, getter), member_type)
        if isinstance(st, t.NamedType) and st.name.startswith("FHIR."):
            return generated(codegen.fhir_member(source.source, name, getter, FhirObject, _MISS), member_type)
        return generated(codegen.member(source.source, getter), member_type)

    def _member_type(self, st: t.CqlType, name: str) -> t.CqlType | None:
        if st in (t.ANY, t.NULL):
            return t.ANY
        if isinstance(st, t.TupleType):
            return st.element(name)
        if isinstance(st, t.IntervalType):
            members = {"low": st.point, "high": st.point, "lowClosed": t.BOOLEAN, "highClosed": t.BOOLEAN}
            return members.get(name)
        if isinstance(st, t.ChoiceType):
            found = [m for m in (self._member_type(o, name) for o in st.options) if m is not None]
            return found[0] if len(found) == 1 else (t.ANY if found else None)
        if not isinstance(st, t.NamedType):
            return None
        if st.name.startswith("FHIR."):
            return fhir_model().element_type(st.name[5:], name)
        if st in _SYSTEM_MEMBERS:
            return _SYSTEM_MEMBERS[st].get(name)
        if name == "value":  # FHIR primitives are represented by their System value
            return st
        if name in ("id", "extension"):
            return t.ANY
        return None

    def _c_Indexer(self, node: a.Indexer, scope: Scope) -> Compiled:
        return self.call("Indexer", [self.compile(node.source, scope), self.compile(node.index, scope)], node)

    # ---------------------------------------------------------------------------------- calls
    def _c_Call(self, node: a.Call, scope: Scope) -> Compiled:
        args = [self.compile(x, scope) for x in node.args]
        return self.function_call(self.compiled, node.name, args, node, local=True)

    def _c_MethodCall(self, node: a.MethodCall, scope: Scope) -> Compiled:
        if isinstance(node.source, a.Name) and scope.lookup(node.source.name) is None:
            lib = self.compiled.includes.get(node.source.name)
            if lib is not None and not self.lib.shadows_library(node.source.name):
                args = [self.compile(x, scope) for x in node.args]
                return self.function_call(lib, node.name, args, node, local=False)
        target = self.compile(node.source, scope)
        args = [target, *(self.compile(x, scope) for x in node.args)]
        return self.function_call(self.compiled, node.name, args, node, local=True, fluent=True)

    def function_call(
        self,
        lib: CompiledLibrary,
        name: str,
        args: list[Compiled],
        node: Any,
        local: bool,
        fluent: bool = False,
    ) -> Compiled:
        types = [c.type for c in args]
        libraries = [lib] + (list(lib.includes.values()) if fluent else [])
        for candidate_lib in libraries:
            user = self._user_function(candidate_lib, name, types, node, fluent)
            if user is not None:
                func, converters = user
                if candidate_lib is not lib and not fluent:
                    continue
                if func.node.private and candidate_lib is not self.compiled:
                    raise self.error(f"{candidate_lib.name}.{name} is private", node)
                return _function_call(func, [_converted(c, v) for c, v in zip(args, converters, strict=True)])
        if lib is not self.compiled and not fluent:
            raise self.error(
                f"Could not resolve call to {lib.name}.{name}({', '.join(str(x) for x in types)})", node
            )
        system_name = _SYSTEM_FUNCTION_ALIASES.get(name, name)
        if registry.has_operator(system_name):
            return self.call(system_name, args, node, display=name)
        sig = ", ".join(str(x) for x in types)
        raise self.error(f"Could not resolve call to operator {name} with signature ({sig})", node)

    def _user_function(
        self, lib: CompiledLibrary, name: str, types: list[t.CqlType], node: Any, fluent: bool
    ) -> tuple[CompiledFunction, tuple[registry.Converter | None, ...]] | None:
        overloads = lib.functions.get(name)
        if not overloads:
            return None
        best: tuple[int, CompiledFunction, tuple[registry.Converter | None, ...]] | None = None
        for func in overloads:
            if fluent and not func.node.fluent:
                continue
            if len(func.operand_types) != len(types):
                continue
            total, converters = 0, []
            for have, want in zip(types, func.operand_types, strict=True):
                conv = registry.conversion(have, want)
                if conv is None:
                    break
                total += conv.cost
                converters.append(conv.convert)
            else:
                if best is None or total < best[0]:
                    best = (total, func, tuple(converters))
        if best is None:
            return None
        func = best[1]
        if lib is self.compiled:
            self.lib.ensure_function(func)
        return func, best[2]

    # ------------------------------------------------------------------------------ operators
    def _c_Unary(self, node: a.Unary, scope: Scope) -> Compiled:
        operand = self.compile(node.operand, scope)
        return self.call(_UNARY_OPERATORS[node.op], [operand], node, display=node.op)

    def _c_Binary(self, node: a.Binary, scope: Scope) -> Compiled:
        left = self.compile(node.left, scope)
        right = self.compile(node.right, scope)
        op = node.op
        if op in ("!=", "!~"):
            inner = self.call("Equal" if op == "!=" else "Equivalent", [left, right], node, display=op)
            return self.call("Not", [inner], node)
        name = _BINARY_OPERATORS[op]
        if node.precision is not None:
            return self.call(name, [left, right], node, display=op, precision=node.precision)
        return self.call(name, [left, right], node, display=op)

    def _c_Between(self, node: a.Between, scope: Scope) -> Compiled:
        operand = self.compile(node.operand, scope)
        low = self.compile(node.low, scope)
        high = self.compile(node.high, scope)
        lower = self.call("Greater" if node.properly else "GreaterOrEqual", [operand, low], node)
        upper = self.call("Less" if node.properly else "LessOrEqual", [operand, high], node)
        return self.call("And", [lower, upper], node)

    def _c_DurationBetween(self, node: a.DurationBetween, scope: Scope) -> Compiled:
        low = self.compile(node.low, scope)
        high = self.compile(node.high, scope)
        name = "DurationBetween" if node.kind == "duration" else "DifferenceBetween"
        return self.call(name, [low, high], node, precision=node.precision)

    def _c_DurationOf(self, node: a.DurationOf, scope: Scope) -> Compiled:
        operand = self.compile(node.operand, scope)
        start = self.call("Start", [operand], node)
        end = self.call("End", [operand], node)
        name = "DurationBetween" if node.kind == "duration" else "DifferenceBetween"
        return self.call(name, [start, end], node, precision=node.precision)

    def _c_ComponentFrom(self, node: a.ComponentFrom, scope: Scope) -> Compiled:
        operand = self.compile(node.operand, scope)
        if node.component == "date":
            return self.call("DateFrom", [operand], node)
        if node.component == "time":
            return self.call("TimeFrom", [operand], node)
        if node.component in ("timezoneoffset", "timezone"):
            return self.call("TimezoneOffsetFrom", [operand], node)
        return self.call("DateTimeComponentFrom", [operand], node, precision=node.component)

    def _c_BooleanTest(self, node: a.BooleanTest, scope: Scope) -> Compiled:
        operand = self.compile(node.operand, scope)
        name = {"null": "IsNull", "true": "IsTrue", "false": "IsFalse"}[node.test]
        result = self.call(name, [operand], node)
        return self.call("Not", [result], node) if node.negated else result

    # ------------------------------------------------------------------------------ conditionals
    def _c_If(self, node: a.If, scope: Scope) -> Compiled:
        cond = self._boolean(self.compile(node.condition, scope), node.condition)
        then, otherwise = self.unify(
            [self.compile(node.then, scope), self.compile(node.otherwise, scope)], node
        )
        return generated(codegen.if_(cond.source, then.source, otherwise.source), then.type)

    def _c_Case(self, node: a.Case, scope: Scope) -> Compiled:
        branches = [self.compile(i.then, scope) for i in node.items]
        *branches, otherwise = self.unify([*branches, self.compile(node.otherwise, scope)], node)
        if node.comparand is None:
            conds = [self._boolean(self.compile(i.when, scope), i.when) for i in node.items]
            src = codegen.case([w.source for w in conds], [b.source for b in branches], otherwise.source)
            return generated(src, otherwise.type)
        comparand = self.compile(node.comparand, scope)
        # `case X when V` compares with `=`; the comparand is computed once and read from a slot.
        slot = scope.layout.allocate()
        holder = slot_read(slot, comparand.type)
        tests = [self.call("Equal", [holder, self.compile(i.when, scope)], i).fn for i in node.items]
        pairs = list(zip(tests, [b.fn for b in branches], strict=True))
        cf, el = comparand.fn, otherwise.fn

        def case_of(ctx: Context, frame: list[Any]) -> Any:
            frame[slot] = cf(ctx, frame)
            for test, th in pairs:
                if test(ctx, frame) is True:
                    return th(ctx, frame)
            return el(ctx, frame)

        return Compiled(case_of, otherwise.type)

    def _boolean(self, c: Compiled, node: Any) -> Compiled:
        conv = registry.conversion(c.type, t.BOOLEAN)
        if conv is None:
            raise self.error(f"expected a Boolean condition, found {c.type}", node)
        return _converted(c, conv.convert, t.BOOLEAN)

    def unify(self, items: Sequence[Compiled], node: Any) -> list[Compiled]:
        """Convert expressions to their common type (branches of if/case, list elements)."""
        target = common_type([c.type for c in items])
        if target is None:
            return list(items)
        out = []
        for c in items:
            conv = registry.conversion(c.type, target)
            x = _converted(c, None if conv is None else conv.convert, target)
            out.append(Compiled(x._fn, target, c.constant, src=x.src))
        return out

    # ------------------------------------------------------------------------------- selectors
    def _c_IntervalSelector(self, node: a.IntervalSelector, scope: Scope) -> Compiled:
        low, high = self.unify([self.compile(node.low, scope), self.compile(node.high, scope)], node)
        point = low.type if low.type != t.NULL else high.type
        if point == t.NULL:
            point = t.ANY
        ordered = isinstance(point, t.NamedType) and point in t.ORDERED
        if point != t.ANY and not ordered and not isinstance(point, t.ChoiceType):
            raise self.error(f"an interval needs ordered points (Integer, Date, ...), not {point}", node)
        point_name = point.simple if isinstance(point, t.NamedType) and point != t.ANY else None
        lc, hc = node.low_closed, node.high_closed
        check = interval_check

        def interval(lv: Any, hv: Any) -> Interval:
            iv = Interval(lv, hv, lc, hc, point_name or _point_name(lv, hv))
            check(iv)
            return iv

        # Each boundary is read as a System value as soon as it is computed.
        bounds = [codegen.convert(low.source, to_system), codegen.convert(high.source, to_system)]
        src = codegen.call_impl(interval, bounds, False, False)
        if not (low.constant and high.constant):
            return generated(src, t.IntervalType(point))
        lo, hi = low.fn, high.fn
        # A constant interval keeps a closure, which the compiler may call (constant conversions).
        return Compiled(
            lambda ctx, frame: interval(to_system(lo(ctx, frame)), to_system(hi(ctx, frame))),
            t.IntervalType(point),
            True,
            src=src,
        )

    def _c_ListSelector(self, node: a.ListSelector, scope: Scope) -> Compiled:
        elements = [self.compile(e, scope) for e in node.elements]
        if node.element_type is not None:
            declared = self.resolve_type(node.element_type)
            converted = []
            for e in elements:
                conv = registry.conversion(e.type, declared)
                if conv is None:
                    raise self.error(f"a {e.type} cannot be an element of List<{declared}>", node)
                converted.append(_converted(e, conv.convert, declared))
            elements, element_type = converted, declared
        else:
            elements = self.unify(elements, node)
            types = {e.type for e in elements} - {t.NULL}
            element_type = types.pop() if len(types) == 1 else (t.ANY if not types else _choice(types))
        constant = all(e.constant for e in elements)
        src = codegen.list_of([e.source for e in elements])
        if not constant:
            return generated(src, t.ListType(element_type))
        fns = [e.fn for e in elements]

        def list_(ctx: Context, frame: list[Any]) -> Any:
            return [f(ctx, frame) for f in fns]

        # A constant list keeps a closure, which the compiler may call (constant conversions).
        return Compiled(list_, t.ListType(element_type), constant, src=src)

    def _c_TupleSelector(self, node: a.TupleSelector, scope: Scope) -> Compiled:
        names = [n for n, _ in node.elements]
        if len(set(names)) != len(names):
            raise self.error("a tuple cannot have two elements with the same name", node)
        compiled = [(n, self.compile(e, scope)) for n, e in node.elements]
        ty = t.TupleType(tuple((n, c.type if c.type != t.NULL else t.ANY) for n, c in compiled))
        constant = all(c.constant for _, c in compiled)
        src = codegen.tuple_of(names, [c.source for _, c in compiled])
        if not constant:
            return generated(src, ty)
        pairs = [(n, c.fn) for n, c in compiled]

        def tuple_(ctx: Context, frame: list[Any]) -> Any:
            return {n: f(ctx, frame) for n, f in pairs}

        return Compiled(tuple_, ty, constant, src=src)

    def _c_InstanceSelector(self, node: a.InstanceSelector, scope: Scope) -> Compiled:
        ty = self.resolve_type(node.type)
        values = {n: self.compile(e, scope) for n, e in node.elements}
        if isinstance(ty, t.NamedType) and ty.name.startswith("FHIR."):
            return self._fhir_instance(ty, values, node)
        builder = _SYSTEM_INSTANCES.get(ty) if isinstance(ty, t.NamedType) else None
        if builder is None:
            raise self.error(f"cannot build an instance of {ty}", node)
        allowed = _SYSTEM_MEMBERS.get(ty, {})
        for n in values:
            if n not in allowed:
                raise self.error(f"{ty} has no element {n}", node)
        elements = [codegen.convert(c.source, to_system) for c in values.values()]
        src = codegen.call_impl(builder, [codegen.tuple_of(list(values), elements)], False, False)
        return generated(src, ty)

    def _fhir_instance(self, ty: t.NamedType, values: dict[str, Compiled], node: Any) -> Compiled:
        type_name = ty.name[5:]
        model = fhir_model()
        for n in values:
            if model.element_spec(type_name, n) is None:
                raise self.error(f"{ty} has no element {n}", node)

        def instance(data: dict[str, Any]) -> FhirObject:
            return FhirObject(type_name, {k: v for k, v in data.items() if v is not None})

        elements = [codegen.convert(c.source, _to_json) for c in values.values()]
        return generated(
            codegen.call_impl(instance, [codegen.tuple_of(list(values), elements)], False, False), ty
        )

    def _c_CodeSelector(self, node: a.CodeSelector, scope: Scope) -> Compiled:
        system = self.lib.codesystem(node.system, node)
        return const(Code(node.code, system.id, system.version, node.display), t.CODE)

    def _c_ConceptSelector(self, node: a.ConceptSelector, scope: Scope) -> Compiled:
        codes = []
        for c in node.codes:
            system = self.lib.codesystem(c.system, c)
            codes.append(Code(c.code, system.id, system.version, c.display))
        return const(Concept(tuple(codes), node.display), t.CONCEPT)

    # ----------------------------------------------------------------------------------- types
    def resolve_type(self, spec: a.TypeSpec) -> t.CqlType:
        return self.lib.resolve_type(spec)

    def _c_TypeOp(self, node: a.TypeOp, scope: Scope) -> Compiled:
        operand = self.compile(node.operand, scope)
        target = self.resolve_type(node.type)
        return typeops.type_operator(node.op, operand, target, self, node)

    def _c_Convert(self, node: a.Convert, scope: Scope) -> Compiled:
        operand = self.compile(node.operand, scope)
        if node.unit is not None:
            unit = normalize_unit(node.unit)
            return self.call("ConvertQuantity", [operand, const(unit, t.STRING)], node)
        assert node.type is not None
        return typeops.convert(operand, self.resolve_type(node.type), self, node)

    def _c_TypeExtent(self, node: a.TypeExtent, scope: Scope) -> Compiled:
        ty = self.resolve_type(node.type)
        name = "MinValue" if node.kind == "minimum" else "MaxValue"
        value = typeops.type_extent(name, ty, self, node)
        return const(value, ty)

    # ---------------------------------------------------------------------------- collections
    def _c_ExpandCollapse(self, node: a.ExpandCollapse, scope: Scope) -> Compiled:
        operand = self.compile(node.operand, scope)
        name = "Expand" if node.op == "expand" else "Collapse"
        if node.per is None:
            per = null()
        elif isinstance(node.per, str):
            per = const(Quantity(Decimal(1), node.per), t.QUANTITY)
        else:
            per = self.compile(node.per, scope)
        return self.call(name, [operand, per], node)

    # ----------------------------------------------------------------------- timing and query
    def _c_Timing(self, node: a.Timing, scope: Scope) -> Compiled:
        from .timing import compile_timing

        return compile_timing(self, node, scope)

    def _c_Query(self, node: a.Query, scope: Scope) -> Compiled:
        from .queries import compile_query

        return compile_query(self, node, scope)

    def _c_Retrieve(self, node: a.Retrieve, scope: Scope) -> Compiled:
        ty = self.resolve_type(node.type)
        if not (isinstance(ty, t.NamedType) and ty.name.startswith("FHIR.")):
            raise self.error(f"cannot retrieve {ty}: retrieves read model types (FHIR)", node)
        type_name = ty.name[5:]
        model = fhir_model()
        if not model.is_retrievable(type_name):
            raise self.error(f"FHIR.{type_name} is not a retrievable type", node)
        if node.terminology is None:
            self._require(DataRequirement(type_name))
            request = RetrieveRequest(type=type_name)
            return Compiled(
                lambda ctx, frame: list(ctx.data.retrieve(request, ctx.terminology)), t.ListType(ty)
            )
        path = node.code_path or model.primary_code_path(type_name)
        if path is None:
            raise self.error(f"FHIR.{type_name} has no primary code path; name one", node)
        if model.element_spec(type_name, path.split(".")[0]) is None:
            raise self.error(f"FHIR.{type_name} has no element {path}", node)
        term = self.compile(node.terminology, scope)
        comparator = node.comparator or ("in" if term.type in (t.VALUESET, t.ANY) else "~")
        self._require(_requirement(type_name, path, term))
        term_fn = term.fn

        def retrieve(ctx: Context, frame: list[Any]) -> Any:
            value = term_fn(ctx, frame)
            if isinstance(value, ValueSetRef):
                # A function retrieving its value set operand (`Latest(vs, window)`) is called with the
                # same value set and other operands: one list per value set and evaluation lets the
                # identity-keyed memos downstream (`Usable(observations)`) answer again.
                key = (_RETRIEVED, type_name, path, value)
                memo = ctx.memo
                found = memo.get(key)
                if found is None:
                    request = RetrieveRequest(type=type_name, code_path=path, comparator="in", valueset=value)
                    found = memo[key] = list(ctx.data.retrieve(request, ctx.terminology))
                return found
            codes = concept_codes(value)
            request = RetrieveRequest(type=type_name, code_path=path, comparator=comparator, codes=codes)
            return list(ctx.data.retrieve(request, ctx.terminology))

        if term.type not in (t.VALUESET, t.CODE, t.CONCEPT, t.ListType(t.CODE), t.ANY, t.CODESYSTEM):
            raise self.error(f"a retrieve filters by a value set, code or concept, not {term.type}", node)
        return Compiled(retrieve, t.ListType(ty))

    def _require(self, requirement: DataRequirement) -> None:
        if requirement not in self.compiled.requirements:
            self.compiled.requirements.append(requirement)


# ------------------------------------------------------------------------------------ helpers
# Node kinds worth remembering per evaluation when they read no query row or function operand: inside
# a query they would otherwise be recomputed for every row (`Interval[Today() - 6 months, Today()]`),
# and equal retrieves in different defines are read once.
_MEMO_NODES = {
    a.Retrieve,
    a.Call,
    a.MethodCall,
    a.Binary,
    a.Unary,
    a.IntervalSelector,
    a.ListSelector,
    a.If,
    a.Case,
    a.Timing,
    a.Between,
    a.DurationBetween,
    a.Query,
    a.TypeOp,
    a.Member,
    a.Indexer,
    a.TupleSelector,
}
_MEMO_KEYS = itertools.count()


_MISS = object()
# Heads ctx.memo keys of value-set retrieves; no other key holds it.
_RETRIEVED = object()

# One-operand operators written inline in generated code: their Python expression (the operand's value
# in `{}`, read once). Not's operand is a Boolean: null propagates, so `not` sees True or False.
_INLINE_UNARY: dict[Callable[..., Any], str] = {
    nullological.is_null: "({} is None)",
    nullological.is_true: "({} is True)",
    nullological.is_false: "({} is False)",
    logical.not_: "(not {})",
}

# Ordering operators written inline for same-typed numbers and strings and same-unit quantities.
_INLINE_ORDER: dict[Callable[..., Any], str] = {
    comparison.less: "<",
    comparison.less_or_equal: "<=",
    comparison.greater: ">",
    comparison.greater_or_equal: ">=",
}

# Operators compiled from their arguments' closures (builder=True) that have a source form too.
_SOURCE_BUILDERS: dict[Callable[..., Any], Callable[[list[codegen.Source]], codegen.Source]] = {
    logical.and_: lambda xs: codegen.and_(*xs),
    logical.or_: lambda xs: codegen.or_(*xs),
    logical.implies: lambda xs: codegen.implies(*xs),
    nullological.coalesce: codegen.coalesce,
}


def _memoize(c: Compiled) -> Compiled:
    """`c` computed once per evaluation context (ctx.memo), in source form when it has one."""
    if c.src is None or c.src.closure is not None:
        return Compiled(_memoized(c.fn), c.type, invariant=True)
    return Compiled(None, c.type, invariant=True, src=codegen.memo(c.src, next(_MEMO_KEYS), _MISS))


def _memoized(fn: Fn) -> Fn:
    key = next(_MEMO_KEYS)

    def memo(ctx: Context, frame: list[Any]) -> Any:
        cache = ctx.memo
        try:
            return cache[key]
        except KeyError:
            value = cache[key] = fn(ctx, frame)
            return value

    return memo


def _requirement(type_name: str, path: str, term: Compiled) -> DataRequirement:
    """The retrieve's filter as far as it is known at compile time (constant terminology)."""
    if not term.constant and term.type not in (t.VALUESET, t.CODE, t.CONCEPT):
        return DataRequirement(type_name, path)
    try:
        value = term.fn(None, [])
    except Exception:  # a non-constant terminology expression: only the type is known
        return DataRequirement(type_name, path)
    if isinstance(value, ValueSetRef):
        return DataRequirement(type_name, path, valueset=value.id)
    codes = tuple((c.system, c.code) for c in concept_codes(value))
    return DataRequirement(type_name, path, codes=codes) if codes else DataRequirement(type_name, path)


_SYSTEM_FUNCTION_ALIASES = {"Date": "DateSelector", "DateTime": "DateTimeSelector", "Time": "TimeSelector"}


def _decimal_literal(text: str, comp: ExpressionCompiler, node: Any, max_places: int | None = 8) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise comp.error(f"invalid number {text}", node) from None
    # copy_abs, not abs(): abs() rounds to the thread's 28 digits, and 28 + 8 digits are valid here.
    too_fine = max_places is not None and value.as_tuple().exponent < -max_places  # type: ignore[operator]
    if value.copy_abs() >= Decimal(10) ** 28 or too_fine:
        raise comp.error(f"decimal literal {text} exceeds 28 digits or 8 decimal places", node)
    return value


def slot_read(slot: int, type_: t.CqlType) -> Compiled:
    return Compiled(lambda ctx, frame: frame[slot], type_, src=codegen.slot(slot))


def _argument(c: Compiled, convert: registry.Converter | None) -> Compiled:
    """An operator argument after its implicit conversion; a constant or invariant argument is converted
    once, not at every call (a window `Interval[Today() - 6 months, Today()]` tested for every row)."""
    if convert is None:
        return c
    if c.constant:
        return const(convert(c.fn(None, [])), c.type)
    if c.invariant:
        return _memoize(_converted(c, convert))
    return _converted(c, convert)


def _converted(c: Compiled, convert: registry.Converter | None, type_: t.CqlType | None = None) -> Compiled:
    """`c` after an implicit conversion (of type `type_`, when given)."""
    ty = c.type if type_ is None else type_
    if convert is None:
        return Compiled(c._fn, ty, src=c.src)
    if c.src is not None:
        return generated(codegen.convert(c.src, convert), ty)
    fn = c.fn
    return Compiled(lambda ctx, frame: convert(fn(ctx, frame)), ty)


def _constant_call(impl: Callable[..., Any], fns: list[Fn], propagate: bool, kwargs: dict[str, Any]) -> Fn:
    """The closure of a call of constants (the compiler may evaluate it at compile time), with the null
    propagation of the generated form: one or two arguments stop at the first null, more are all
    evaluated first."""
    short = len(fns) <= 2

    def call(ctx: Context, frame: list[Any]) -> Any:
        values = []
        for f in fns:
            v = f(ctx, frame)
            if propagate and short and v is None:
                return None
            values.append(v)
        if propagate and any(v is None for v in values):
            return None
        return impl(*values, **kwargs)

    return call


def _function_call(func: CompiledFunction, args: list[Compiled]) -> Compiled:
    if func.external is not None:
        # Bound with cds.cql.external(context=True), it receives the evaluation Context first.
        needs_context = getattr(func.external, "needs_context", False)
        src = codegen.call_impl(func.external, [c.source for c in args], False, needs_context)
        return generated(src, func.return_type)
    n = len(args)
    # A function of no operands is a constant of the evaluation (`Lookback()`, a window ending
    # Today(), read by every lab criterion): remembering it costs one lookup, however small its body.
    small = n > 0 and not _does_work(func.node.body)
    if func.state == "done":
        # The body is compiled: the call builds the body's frame as a list display of the arguments
        # (evaluated in order) and its unused slots.
        body = func.fn
        assert body is not None
        target = body if small else _memo_call(func, n, body)
        padding = [codegen.Source("None", {})] * (func.frame_size - n)
        frame = codegen.list_of([*(c.source for c in args), *padding])
        return generated(codegen.call_impl(target, [frame], False, True), func.return_type)
    # A recursive call, compiled while its own body is: the body is looked up when called.
    fns = [c.fn for c in args]
    ident = id(func)
    if small:
        # A small function (a Coalesce of members, a tuple selector) costs less than remembering it.
        def call_plain(ctx: Context, frame: list[Any]) -> Any:
            new = [None] * func.frame_size
            for i in range(n):
                new[i] = fns[i](ctx, frame)
            body = func.fn
            assert body is not None
            return body(ctx, new)

        return Compiled(call_plain, func.return_type)

    def call(ctx: Context, frame: list[Any]) -> Any:
        new = [None] * func.frame_size
        for i in range(n):
            new[i] = fns[i](ctx, frame)
        body = func.fn
        assert body is not None
        return _remembered(ctx, (ident, *[_argument_key(v) for v in new[:n]]), body, new, n)

    return Compiled(call, func.return_type)


def _memo_call(func: CompiledFunction, n: int, body: Fn) -> Callable[[Context, list[Any]], Any]:
    """The body called through ctx.memo, keyed by the function and its arguments."""
    ident = id(func)
    key_of = _argument_key
    if n == 1:
        # _remembered and _argument_key written out: most remembered functions take one operand.
        keyed = _VALUE_KEYED

        def call1(ctx: Context, new: list[Any]) -> Any:
            v = new[0]
            if v is None:
                key: tuple[Any, ...] = (ident, None)
            elif isinstance(v, keyed):
                key = (ident, (type(v), v))
            elif type(v) in _KEYED_BY_PARTS:
                key = (ident, key_of(v))
            else:
                key = (ident, ("id", id(v)))
            memo = ctx.memo
            hit = memo.get(key)
            if hit is not None:
                return hit[1]
            value = body(ctx, new)
            memo[key] = (new[:1], value)
            return value

        return call1
    if n == 2:
        return lambda ctx, new: _remembered(ctx, (ident, key_of(new[0]), key_of(new[1])), body, new, 2)
    if n == 0:
        key = (ident,)
        return lambda ctx, new: _remembered(ctx, key, body, new, 0)
    return lambda ctx, new: _remembered(ctx, (ident, *[key_of(v) for v in new[:n]]), body, new, n)


def _remembered(ctx: Context, key: tuple[Any, ...], body: Fn, new: list[Any], n: int) -> Any:
    # A CQL function is pure: for the same arguments in one evaluation, its value is remembered
    # (rules call `Latest(vs, window)` or `Uses(vs)` many times with the same arguments).
    memo = ctx.memo
    hit = memo.get(key)
    if hit is not None:
        return hit[1]
    value = body(ctx, new)
    # The arguments are kept with the value: an identity key stays valid while its object lives.
    memo[key] = (new[:n], value)
    return value


def _does_work(body: a.Expr | None) -> bool:
    """Does a function body read data or loop (a retrieve or a query somewhere inside)?"""
    if body is None:
        return False
    stack: list[Any] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, a.Query | a.Retrieve):
            return True
        if isinstance(node, tuple | list):
            stack.extend(node)
        elif hasattr(node, "__dataclass_fields__"):
            stack.extend(getattr(node, f) for f in node.__dataclass_fields__ if f != "pos")
    return False


_VALUE_KEYED = (
    str,
    int,
    temporal.Date,
    temporal.DateTime,
    temporal.Time,
    ValueSetRef,
    CodeSystemRef,
    Code,
)


# Arguments keyed by their parts (_argument_key), neither by value nor by identity.
_KEYED_BY_PARTS = frozenset((Decimal, Interval))


def _argument_key(value: Any) -> Any:
    """A function-memo key for an argument: its value for immutable scalars (with its type, so that
    1, 1.0 and true differ), its identity for everything else (FHIR objects, lists, tuples)."""
    if value is None:
        return None
    if isinstance(value, _VALUE_KEYED):
        return (type(value), value)
    if type(value) is Decimal:
        # By its digits: 1.0 and 1.00 are equal but print differently (ToString).
        return (Decimal, value.as_tuple())
    if type(value) is Interval:
        # Windows are built afresh at each call site (`Lookback()`, `LastMonths(12)`): equal windows
        # share a key, so that `InWindow(observations, window)` is worked out once per window.
        low, high = _argument_key(value.low), _argument_key(value.high)
        return (Interval, low, high, value.low_closed, value.high_closed, value.point_type)
    return ("id", id(value))


def _dynamic_getter(name: str) -> Callable[[Any], Any]:
    """Member access on a runtime value of any kind (FHIR object, tuple, System value)."""
    model = fhir_model()

    def get(value: Any) -> Any:
        if isinstance(value, FhirObject):
            # Converted element values are kept on the object: FHIR text (dates above all) is parsed
            # once per resource and element, however many rules read it.
            memo = value.memo
            found = memo.get(name, _MISS)
            if found is not _MISS:
                return found
            getter = model.getter(value.type, name)
            result = memo[name] = getter(value.data) if getter is not None else None
            return result
        if value is None:
            return None
        if isinstance(value, dict):
            return value.get(name)
        if isinstance(value, Quantity):
            return value.value if name == "value" else value.unit if name == "unit" else None
        if isinstance(value, Code):
            return getattr(value, name, None) if name in ("code", "system", "version", "display") else None
        if isinstance(value, Concept):
            return list(value.codes) if name == "codes" else value.display if name == "display" else None
        if isinstance(value, Ratio):
            return getattr(value, name, None) if name in ("numerator", "denominator") else None
        if isinstance(value, ValueSetRef | CodeSystemRef):
            return getattr(value, name, None) if name in ("id", "version", "name") else None
        if isinstance(value, Interval):
            members = {"low": value.low, "high": value.high}
            members |= {"lowClosed": value.low_closed, "highClosed": value.high_closed}
            return members.get(name)
        if name == "value":  # a FHIR primitive is its System value
            return value
        return None

    return get


def _point_name(low: Any, high: Any) -> str | None:
    v = low if low is not None else high
    if v is None:
        return None
    rt = runtime_type(v)
    return rt.simple if isinstance(rt, t.NamedType) else None


def _choice(types: set[t.CqlType]) -> t.CqlType:
    return t.ChoiceType(tuple(sorted(types, key=str)))


def common_type(types: Sequence[t.CqlType]) -> t.CqlType | None:
    """The type every one of `types` converts to, preferring one of them; None if there is none."""
    real = [x for x in types if x != t.NULL]
    if not real:
        return None
    for candidate in real:
        conversions = [registry.conversion(x, candidate) for x in real]
        if all(
            c is not None and (c != registry.TO_ANY or x == candidate)
            for c, x in zip(conversions, real, strict=True)
        ):
            return candidate
    return registry._widen(real)


def _to_json(value: Any) -> Any:
    if isinstance(value, FhirObject):
        return value.data
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, temporal.Date | temporal.DateTime | temporal.Time):
        return temporal.to_string(value)
    if isinstance(value, Quantity):
        return {
            "value": value.value,
            "unit": value.unit,
            "system": "http://unitsofmeasure.org",
            "code": value.unit,
        }
    return value


def _quantity(v: dict[str, Any]) -> Quantity:
    value = v.get("value")
    return Quantity(Decimal(value) if value is not None else Decimal(0), normalize_unit(v.get("unit")))


def _codes(value: Any) -> tuple[Code, ...]:
    if isinstance(value, Code):
        return (value,)
    return tuple(value or ())


_SYSTEM_INSTANCES: dict[t.CqlType, Callable[[dict[str, Any]], Any]] = {
    t.QUANTITY: lambda v: _quantity(v) if v.get("value") is not None else None,
    t.CODE: lambda v: Code(v.get("code"), v.get("system"), v.get("version"), v.get("display")),
    t.CONCEPT: lambda v: Concept(_codes(v.get("codes")), v.get("display")),
    t.RATIO: lambda v: Ratio(v["numerator"], v["denominator"]),
    t.VALUESET: lambda v: ValueSetRef(v.get("id") or "", v.get("version"), v.get("name")),
    t.CODESYSTEM: lambda v: CodeSystemRef(v.get("id") or "", v.get("version"), v.get("name")),
}


__all__ = [
    "NULL_FN",
    "CodeSystemRef",
    "Compiled",
    "ExpressionCompiler",
    "common_type",
    "const",
    "instance_of",
]
