"""Generated Python source (cds.cql.compiler.codegen) gives the values, evaluation order and errors of
the closures it replaces: three-valued logic, null propagation, short-circuits, memoisation."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from cds.cql import DefineError, compile_library, evaluate
from cds.cql.compiler import codegen
from cds.cql.models import FhirObject
from cds.cql.operators import comparison, logical, nullological
from cds.cql.runtime import Context

BOOLS = (True, False, None)


def recorder(log: list[str], name: str, value: Any) -> codegen.Fn:
    def fn(ctx: Any, frame: list[Any]) -> Any:
        log.append(name)
        return value

    return fn


def run_source(src: codegen.Source, frame: list[Any] | None = None) -> Any:
    return codegen.materialize(src)(Context(), frame if frame is not None else [])


@pytest.mark.parametrize(
    ("make", "builder"),
    [(codegen.and_, logical.and_), (codegen.or_, logical.or_), (codegen.implies, logical.implies)],
)
def test_logic_matches_the_closures_in_value_and_short_circuit(make: Any, builder: Any) -> None:
    for a, b in itertools.product(BOOLS, BOOLS):
        gen_log: list[str] = []
        src = make(
            codegen.call_closure(recorder(gen_log, "a", a)), codegen.call_closure(recorder(gen_log, "b", b))
        )
        clo_log: list[str] = []
        closure = builder([recorder(clo_log, "a", a), recorder(clo_log, "b", b)], [])
        assert run_source(src) is closure(Context(), []), (a, b)
        assert gen_log == clo_log, (a, b)


def test_string_equality_matches_the_operator_and_evaluates_both_operands() -> None:
    values = ("a", "b", "", None, 1, ["a"])
    for a, b in itertools.product(values, repeat=2):
        log: list[str] = []
        src = codegen.string_equal(
            codegen.call_closure(recorder(log, "a", a)),
            codegen.call_closure(recorder(log, "b", b)),
            comparison.equal_operator,
        )
        assert run_source(src) is comparison.equal(a, b), (a, b)
        assert log == ["a", "b"], (a, b)


def test_as_a_system_type_matches_the_caster() -> None:
    from decimal import Decimal

    from cds.cql import types as t
    from cds.cql.operators.conversion import SYSTEM_KEY, caster, system_class
    from cds.cql.values.quantity import Quantity

    def quantity() -> FhirObject:
        return FhirObject(
            "Quantity", {"value": 5, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}
        )

    converted = quantity()
    caster(t.QUANTITY)(converted)  # its System form now kept on it
    odd = quantity()
    odd.memo[SYSTEM_KEY] = "not a quantity"
    values = [None, Quantity(Decimal(1), "g"), "x", Decimal(2), True, quantity(), converted, odd]
    for target in (t.QUANTITY, t.STRING, t.DECIMAL, t.BOOLEAN):
        cls = system_class(target)
        assert cls is not None
        for value in values:
            src = codegen.cast_as(
                codegen.call_closure(lambda ctx, frame, v=value: v),
                cls,
                caster(target),
                FhirObject,
                SYSTEM_KEY,
            )
            assert (
                run_source(src) == caster(target)(value) if value is not None else run_source(src) is None
            ), (target, value)


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
def test_ordering_matches_the_operator_and_propagates_null_as_calls_do(op: str) -> None:
    from decimal import Decimal

    from cds.cql.compiler.expressions import _INLINE_ORDER
    from cds.cql.values import temporal
    from cds.cql.values.quantity import Quantity

    impl = next(f for f, o in _INLINE_ORDER.items() if o == op)
    values = [None, 1, 2, Decimal("1.0"), Decimal("1.5"), "a", "b", Quantity(Decimal(1), "g")]
    values += [Quantity(Decimal(1000), "mg"), Quantity(Decimal(2), "g"), temporal.Date(2020, 1, 1)]
    for a, b in itertools.product(values, repeat=2):
        log: list[str] = []
        src = codegen.ordering(
            codegen.call_closure(recorder(log, "a", a)),
            codegen.call_closure(recorder(log, "b", b)),
            op,
            impl,
            Quantity,
        )
        try:
            expected: Any = None if a is None or b is None else impl(a, b)
        except Exception as exc:  # a Date against a number: the same error either way
            expected = type(exc)
        try:
            got: Any = run_source(src)
        except Exception as exc:
            got = type(exc)
        assert got == expected, (a, op, b)
        assert log == (["a"] if a is None else ["a", "b"]), (a, b)


def test_membership_in_constant_strings_matches_the_operator() -> None:
    from cds.cql.operators import lists

    for strings in ([], ["final", "amended"], ["a", "a", ""]):
        for item in (None, "final", "a", "", "x", 1, ["a"]):
            src = codegen.in_strings(codegen.call_closure(lambda ctx, frame, v=item: v), strings, lists.in_)
            assert run_source(src) is lists.in_(item, strings), (item, strings)


def test_coalesce_stops_at_the_first_value() -> None:
    for values in itertools.product((None, 0, "x"), repeat=3):
        gen_log: list[str] = []
        src = codegen.coalesce(
            [codegen.call_closure(recorder(gen_log, str(i), v)) for i, v in enumerate(values)]
        )
        clo_log: list[str] = []
        fns = [recorder(clo_log, str(i), v) for i, v in enumerate(values)]
        closure = nullological.coalesce(fns, [])
        assert run_source(src) == closure(Context(), [])
        assert gen_log == clo_log


def test_null_propagating_calls() -> None:
    log: list[str] = []
    add = codegen.call_impl(
        lambda x, y: x + y,
        [codegen.call_closure(recorder(log, "a", None)), codegen.call_closure(recorder(log, "b", 2))],
        True,
        False,
    )
    # Two arguments: the second is not evaluated once the first is null (as call2 did).
    assert run_source(add) is None and log == ["a"]
    assert (
        run_source(codegen.call_impl(lambda x, y: x + y, [codegen.bind(1), codegen.bind(2)], True, False))
        == 3
    )
    log.clear()
    three = codegen.call_impl(
        lambda x, y, z: x + y + z,
        [codegen.call_closure(recorder(log, n, v)) for n, v in (("a", None), ("b", 2), ("c", 3))],
        True,
        False,
    )
    # Three arguments or the context: all are evaluated, then null if any is null.
    assert run_source(three) is None and log == ["a", "b", "c"]
    with_context = codegen.call_impl(lambda ctx, x: type(ctx).__name__ + x, [codegen.bind("!")], True, True)
    assert run_source(with_context) == "Context!"
    assert run_source(codegen.call_impl(lambda ctx: 7, [], True, True)) == 7
    keyword = codegen.call_impl(
        lambda x, precision: (x, precision), [codegen.bind(1)], True, False, {"precision": "day"}
    )
    assert run_source(keyword) == (1, "day")
    not_propagating = codegen.call_impl(lambda x: x is None, [codegen.bind(None)], False, False)
    assert run_source(not_propagating) is True


def test_conditionals_treat_only_true_as_true() -> None:
    for cond in BOOLS:
        src = codegen.if_(codegen.bind(cond), codegen.bind("then"), codegen.bind("else"))
        assert run_source(src) == ("then" if cond is True else "else")
    log: list[str] = []
    case = codegen.case(
        [codegen.call_closure(recorder(log, "w1", None)), codegen.call_closure(recorder(log, "w2", True))],
        [codegen.call_closure(recorder(log, "t1", 1)), codegen.call_closure(recorder(log, "t2", 2))],
        codegen.call_closure(recorder(log, "else", 3)),
    )
    assert run_source(case) == 2 and log == ["w1", "w2", "t2"]


def test_member_calls_the_getter_on_any_value() -> None:
    calls: list[Any] = []

    def getter(value: Any) -> Any:
        calls.append(value)
        if isinstance(value, FhirObject):
            value.memo["status"] = value.data.get("status")
            return value.memo["status"]
        return None if value is None else value.get("status")

    src = codegen.member(codegen.slot(0), getter)
    obj = FhirObject("Observation", {"status": "final"})
    assert run_source(src, [obj]) == "final" and len(calls) == 1
    assert run_source(src, [obj]) == "final" and len(calls) == 2
    assert run_source(src, [{"status": "x"}]) == "x"
    assert run_source(src, [None]) is None


def test_memo_computes_once_per_context() -> None:
    log: list[str] = []
    fn = codegen.materialize(codegen.memo(codegen.call_closure(recorder(log, "x", None)), -1, object()))
    ctx = Context()
    assert fn(ctx, []) is None and fn(ctx, []) is None
    assert log == ["x"]  # a remembered null is not recomputed
    fn(Context(), [])
    assert log == ["x", "x"]


def test_selectors_and_deep_nesting() -> None:
    items = [codegen.bind(1), codegen.slot(0), codegen.bind(None)]
    assert run_source(codegen.list_of(items), ["s"]) == [1, "s", None]
    assert run_source(codegen.tuple_of(["a", "b c"], items[:2]), ["s"]) == {"a": 1, "b c": "s"}
    deep = codegen.bind(0)
    for _ in range(200):  # far deeper than Python's parser takes in one expression
        deep = codegen.call_impl(lambda x: x + 1, [deep], True, False)
    assert run_source(deep) == 200


def run(text: str) -> dict[str, Any]:
    return evaluate(compile_library("library L\n" + text))  # type: ignore[arg-type]


def test_generated_defines_keep_three_valued_logic_and_nulls() -> None:
    results = run(
        "define N: null as Boolean\n"
        "define A: N and false\n"
        "define B: (1 = 1) or N\n"
        "define C: N implies (1 = 2)\n"
        "define D: Coalesce(null, null as Integer, 3 + 1)\n"
        "define E: if (N or false) then 1 else 2\n"
        "define F: case when N then 'a' when 2 > 1 then 'b' else 'c' end\n"
        "define G: 5 + (null as Integer)\n"
        "define H: { 1, null, 2 + 1 }\n"
        "define I: Tuple { a: 1 + 1, b: null }\n"
    )
    assert results["A"] is False and results["B"] is True and results["C"] is None
    assert results["D"] == 4 and results["E"] == 2 and results["F"] == "b" and results["G"] is None
    assert results["H"] == [1, None, 3] and results["I"] == {"a": 2, "b": None}


def test_functions_queries_and_type_operators() -> None:
    results = run(
        "define function Small(x Integer): Coalesce(x, 0) + 1\n"
        "define function Rows(xs List<Integer>): xs X where X > 1 return X * 10\n"
        "define Calls: Small(null) + Small(2)\n"
        "define Query: Rows({ 3, 1, 2, 3 })\n"
        "define Sorted: ({ 3, 1, 2, 3 }) X where X is not null return distinct X sort desc\n"
        "define Loop: ({ 1, 2 }) X return Rows({ X, X + 1 })\n"
        "define As: (5 as Integer) + 1\n"
        "define AsNull: ('a' as Integer) is null\n"
        "define Is: 5 is Integer\n"
    )
    assert results["Calls"] == 4
    assert results["Query"] == [30, 20]  # a return is distinct unless it says all
    assert results["Sorted"] == [3, 2, 1]
    assert results["Loop"] == [[20], [20, 30]]
    assert results["As"] == 6 and results["AsNull"] is True and results["Is"] is True


def test_a_failed_cast_names_its_define() -> None:
    results = run("define Bad: cast ('a' as Any) as Integer\ndefine Good: 1\n")
    assert results["Good"] == 1
    assert isinstance(results["Bad"], DefineError)
    assert "cannot cast" in str(results["Bad"]) and "Bad" in str(results["Bad"])


def test_closure_operands_still_short_circuit() -> None:
    # Define references have no source form: And, Or and Coalesce of them use the builder closures.
    results = run(
        "define T: 1 = 1\ndefine F: 1 = 2\ndefine N: null as Boolean\n"
        "define A: N and F\ndefine O: N or T\ndefine I: F implies N\ndefine C: Coalesce(N, F)\n"
    )
    assert results["A"] is False and results["O"] is True and results["I"] is True and results["C"] is False


def test_point_in_interval_fast_path_matches_the_general_rule() -> None:
    from cds.cql.operators import intervals
    from cds.cql.values import temporal
    from cds.cql.values.interval import Interval

    d = temporal.parse_date
    points = [1, 5, 10, d("2026-03"), d("2026-03-15"), d("2026")]
    shapes = [
        Interval(1, 10, True, True, "Integer"),
        Interval(1, 10, False, True, "Integer"),
        Interval(None, 10, True, True, "Integer"),
        Interval(1, None, True, False, "Integer"),
        Interval(d("2026-03-01"), d("2026-03-31"), True, True, "Date"),
        Interval(d("2026-03"), d("2026-04-02"), True, True, "Date"),
    ]
    for iv in shapes:
        for point in points:
            if type(point) is not type(iv.low or iv.high):
                continue
            general = intervals._all(
                (intervals._le(intervals._start(iv), point), intervals._le(point, intervals._end(iv)))
            )
            assert intervals._contains(iv, point, None, False) is general, (iv, point)


def test_inline_unary_operators() -> None:
    for value in BOOLS:
        assert run_source(codegen.unary("({} is None)", codegen.bind(value), False)) is (value is None)
        assert run_source(codegen.unary("(not {})", codegen.bind(value), True)) is (
            None if value is None else not value
        )
    results = run(
        "define N: null as Boolean\n"
        "define A: N is null\ndefine B: N is not true\ndefine C: (1 = 1) is false\ndefine D: not N\n"
        "define E: not (1 = 2)\n"
    )
    assert results == {"N": None, "A": True, "B": True, "C": False, "D": None, "E": True}


def test_string_fast_paths_agree_with_the_general_rules() -> None:
    from cds.cql.operators import comparison, lists

    for values in (["final", "amended", None], ["a", 1], [1, None], [], [True, "final"]):
        for item in ("final", "x", "a"):
            general = lists.any_true(lists._matches(v, item) for v in values)
            assert lists.member(values, item) is general, (values, item)
    assert comparison.equal("a", "a") is True and comparison.equal("a", "b") is False
    assert comparison.equal("a", None) is None


def test_generated_selectors_and_external_calls() -> None:
    from decimal import Decimal

    from cds.cql.engine import external
    from cds.cql.values.code import Code
    from cds.cql.values.interval import Interval
    from cds.cql.values.quantity import Quantity

    seen: list[Any] = []

    def plain(x: Any, y: Any) -> Any:
        seen.append((x, y))
        return None if x is None else x + y

    @external(context=True)
    def with_context(ctx: Any, x: Any) -> Any:
        return (type(ctx).__name__, x)

    text = (
        "library L\n"
        "define function Plain(x Integer, y Integer) returns Integer: external\n"
        "define function WithContext(x String) returns Any: external\n"
        "define function Window(n Integer): Interval[n, n + 2]\n"
        "define A: Plain(1, 2)\ndefine B: Plain(null, 2)\ndefine C: WithContext('x')\n"
        "define D: Window(3)\ndefine E: 4 in Window(3)\ndefine F: Window(null as Integer)\n"
        "define G: Window(3 + 0) overlaps Interval[1, 3]\n"
        "define H: Quantity { value: 1 + 1, unit: 'mg' }\n"
        "define I: Code { code: 'a' + 'b', system: 's' }\n"
        "define J: (Interval[5 - 0, 1]) is null\n"
    )
    results = evaluate(compile_library(text, externals={"Plain": plain, "WithContext": with_context}))
    assert results["A"] == 3 and results["B"] is None and seen == [(1, 2), (None, 2)]
    assert results["C"] == ("Context", "x")
    assert results["D"] == Interval(3, 5, True, True, "Integer") and results["E"] is True
    assert results["F"] == Interval(None, None, True, True, "Integer") and results["G"] is True
    assert results["H"] == Quantity(Decimal(2), "mg") and results["I"] == Code("ab", "s")
    assert isinstance(results["J"], DefineError)  # an interval whose low is above its high


def test_fhir_instance_selector_and_timing_window() -> None:
    results = run(
        "using FHIR version '4.0.1'\n"
        "define P: FHIR.Coding { code: 'a' + 'b', display: null }\n"
        "define S: P.code.value\n"
        "define W: Interval[Today() + 1 day, Today() + 2 days] starts within 3 days of Today()\n"
        "define X: (Today() + 5 days) 3 days or less after Today()\n"
    )
    assert (
        results["P"].data == {"code": "ab"}
        and results["S"] == "ab"
        and results["W"] is True
        and results["X"] is False
    )


def test_constant_calls_keep_a_closure_for_compile_time_use() -> None:
    from cds.cql.compiler.expressions import _constant_call

    log: list[str] = []
    two = _constant_call(lambda x, y: x + y, [recorder(log, "a", None), recorder(log, "b", 1)], True, {})
    assert two(None, []) is None and log == ["a"]
    log.clear()
    three = [recorder(log, "a", None), recorder(log, "b", 1), recorder(log, "c", 2)]
    assert _constant_call(lambda *xs: xs, three, True, {})(None, []) is None and log == ["a", "b", "c"]
    assert _constant_call(
        lambda x, precision: (x, precision), [recorder([], "a", 1)], True, {"precision": "day"}
    )(None, []) == (1, "day")
    assert _constant_call(lambda x: x is None, [recorder([], "a", None)], False, {})(None, []) is True
    # A constant interval converted at compile time (Integer -> Decimal points) through its closure.
    assert run("define A: 1.5 in Interval[1, 2]\n")["A"] is True


def logged() -> tuple[list[Any], Any]:
    """An external `Rec(x)` that returns its argument and logs each call, and the log: how many
    times a remembered function's body really ran."""
    log: list[Any] = []

    def record(x: Any) -> Any:
        log.append(x)
        return x

    return log, record


def test_function_calls_are_remembered_per_argument_value_and_type() -> None:
    from decimal import Decimal

    log, record = logged()

    text = (
        "library L\n"
        "define function Rec(x Any) returns Any: external\n"
        "define function Q(x Any): ({ 1 }) X return Rec(x)\n"
        "define function Q2(x Any, y Any): ({ 1 }) X return Rec(x)\n"
        "define A: { Q(1), Q(1), Q(1.0), Q(true), Q(null), Q(null), Q2(2, 1), Q2(2, 1), Q2(2, 2) }\n"
    )
    results = evaluate(compile_library(text, externals={"Rec": record}))
    assert results["A"] == [[1], [1], [Decimal("1.0")], [True], [None], [None], [2], [2], [2]]
    # 1, 1.0 and true are different arguments; a null argument is remembered like any other.
    assert log == [1, Decimal("1.0"), True, None, 2, 2]


def test_distinct_of_fewer_than_two_values_is_a_copy() -> None:
    from decimal import Decimal

    from cds.cql.operators.lists import distinct_values

    for values in ([], [None], ["a"], [[1]]):
        out = distinct_values(values)
        assert out == values and out is not values
    assert distinct_values([1, None, Decimal("1.0"), None, "a"]) == [1, None, "a"]


def test_generated_queries_of_every_shape() -> None:
    results = run(
        "define Cross: from ({ 1, 2 }) A, ({ 'x', 'y' }) B return A + 0\n"
        "define Pairs: from ({ 1, 2 }) A, ({ 3 }) B where A < B\n"
        "define Lets: ({ 1, 2, 3 }) X let Y: X * 2, Z: Y + 1 where Z > 3 return all Z\n"
        "define With: ({ 1, 2, 3 }) X with ({ 2, 3, 4 }) Y such that Y = X + 1 return X\n"
        "define Without: ({ 1, 2, 3 }) X without ({ 2 }) Y such that Y = X return X\n"
        "define Single: (5) X where X > 1 return X * 2\n"
        "define SingleNone: (null as Integer) X return X\n"
        "define SingleFiltered: (5) X where X > 9\n"
        "define NullList: (null as List<Integer>) X return X\n"
        "define Sorted: ({ 3, 1, 2 }) X let Y: X where Y is not null sort desc\n"
        "define Empty: from ({ 1 }) A, ({ } as List<Integer>) B return A\n"
    )
    assert results["Cross"] == [1, 2]  # distinct
    assert results["Pairs"] == [{"A": 1, "B": 3}, {"A": 2, "B": 3}]
    assert results["Lets"] == [5, 7]
    assert results["With"] == [1, 2, 3] and results["Without"] == [1, 3]
    assert results["Single"] == 10 and results["SingleNone"] is None and results["SingleFiltered"] is None
    assert results["NullList"] == [] and results["Sorted"] == [3, 2, 1] and results["Empty"] == []


def test_datetime_comparison_to_the_day_agrees_with_the_component_walk() -> None:
    import importlib

    from cds.cql.values import temporal

    tc = importlib.import_module("cds.cql.values.temporal.compare")

    texts = [
        "2026-03-15T10:00:00Z",
        "2026-03-15T23:00:00-05:00",
        "2026-03-16",
        "2026-03",
        "2026",
        "2025-12-31T00:00",
    ]
    values = [temporal.parse_datetime(x if "T" in x else x + "T") for x in texts]
    for a, b in itertools.product(values, repeat=2):
        assert a is not None and b is not None
        for precision in (temporal.Precision.YEAR, temporal.Precision.MONTH, temporal.Precision.DAY):
            walked = tc._walk_to(tc._datetime_parts(a), tc._datetime_parts(b), precision)
            assert tc.compare_at(a, b, precision) == walked, (a, b, precision)


def test_common_datetime_texts_read_as_the_general_parser_reads_them() -> None:
    import random

    from cds.cql.values.temporal import TemporalError
    from cds.cql.values.temporal import text as tt

    def outcome(parse: Any, value: str) -> Any:
        try:
            return ("ok", repr(parse(value)))
        except TemporalError as exc:
            return ("error", str(exc))

    rng = random.Random(7)
    samples = ["2026-03-15T", "2026-02-29T", "2024-02-29T", "0000-01-01T", "2026-13-01T", "2026-00-10T"]
    samples += [
        "2026-03-15T10:00:00Z",
        "2026-03-15T24:00:00Z",
        "2026-03-15T10:60:00Z",
        "2026-03-15T10:00:60Z",
    ]
    samples += ["2026-03-15T10:00:00+14:00", "2026-03-15T10:00:00+14:30", "2026-03-15T10:00:00-00:00"]
    samples += [
        "2026-03-15T10:00:00+05:75",
        "2026-03-15T10:00:00X",
        "2026-03-15T10:00:00+0530",
        "٢٠٢٦-03-15T",
    ]
    for _ in range(3000):
        y, mo, d = (
            rng.choice(["2026", "1999", "0001", "9999", "0000"]),
            rng.randint(0, 13),
            rng.randint(0, 32),
        )
        h, mi, s = rng.randint(0, 25), rng.randint(0, 61), rng.randint(0, 61)
        zone = rng.choice(["Z", "", "+01:00", "-05:30", "+14:00", "-14:01", "+00:60", "z", "+1:00"])
        samples.append(f"{y}-{mo:02d}-{d:02d}T" + rng.choice(["", f"{h:02d}:{mi:02d}:{s:02d}{zone}"]))
    for value in samples:
        assert outcome(tt.parse_datetime, value) == outcome(tt._general_datetime, value), value


def test_function_calls_are_remembered_per_interval_value() -> None:
    log, record = logged()

    text = (
        "library L\n"
        "define function Rec(x Any) returns Any: external\n"
        "define function Q(x Any): ({ 1 }) X return Rec(x)\n"
        "define function W(n Integer): Interval[@2020-01-01, @2020-01-01 + Quantity { value: n, unit: 'day' }]\n"
        "define A: { Q(W(1)), Q(W(1)), Q(Interval[@2020-01-01, @2020-01-02]), Q(Interval[@2020-01-01, @2020-01-02)),\n"
        "  Q(W(2)), Q(Interval[@2020-01-01T, @2020-01-02T]), Q(Interval[null as Date, null]), Q(Interval[null, null]),\n"
        "  Q(Interval[1, 2]), Q(Interval[1, 2.0]), Q(Interval[1.0, 2.0]), Q(Interval[1 'mg', 2 'mg']) }\n"
    )
    results = evaluate(compile_library(text, externals={"Rec": record}))
    values = [x[0] for x in results["A"]]
    # Equal windows built afresh are one argument (the first three); closedness, precision, point
    # type, the digits of a Decimal and the value each make a different one.
    assert len(log) == 10
    assert [repr(v) for v in values] == [repr(v) for v in log[:1] * 3 + log[1:]]
    # Quantity boundaries are kept apart by identity: the value is what a fresh call gives.
    fresh = evaluate(
        compile_library(text.replace("({ 1 }) X return Rec(x)", "Rec(x)"), externals={"Rec": record})
    )
    assert [repr(v) for v in fresh["A"]] == [repr(v) for v in values]


def test_functions_of_no_operands_are_remembered_per_evaluation() -> None:
    log, record = logged()

    def fail(x: Any) -> Any:
        log.append("fail")
        raise ValueError("no")

    text = (
        "library L\n"
        "define function Rec(x Any) returns Any: external\n"
        "define function Fail(x Any) returns Any: external\n"
        "define function Window(): Interval[Today() - 3 months, Rec(Today())]\n"
        "define function Nothing(): Rec(null as Date)\n"
        "define function Broken(): Fail(1)\n"
        "define A: { Window(), Window() }\n"
        "define B: Window() = Interval[Today() - 3 months, Today()]\n"
        "define C: { Nothing(), Nothing() }\n"
        "define D: Broken()\n"
        "define E: Broken()\n"
    )
    lib = compile_library(text, externals={"Rec": record, "Fail": fail})
    results = evaluate(lib, as_of="2026-11-01")
    # Once per evaluation, the same value as the body gives (a null too); a failure is not remembered.
    assert results["A"][0] is results["A"][1] and results["B"] is True and results["C"] == [None, None]
    assert isinstance(results["D"], DefineError) and isinstance(results["E"], DefineError)
    assert log == [log[0], None, "fail", "fail"]
    assert evaluate(lib, as_of="2026-11-02")["A"][0] != results["A"][0]  # a new evaluation, a new window


def test_decimal_arguments_are_remembered_by_their_digits() -> None:
    text = (
        "library L\n"
        "define function Q(x Decimal): ({ 1 }) X return ToString(x)\n"
        "define A: { Q(1.0), Q(1.00), Q(1.0) }\n"
        "define B: { ToString(1.0), ToString(1.00), ToString(1.0) }\n"
    )
    results = evaluate(compile_library(text))
    assert [x[0] for x in results["A"]] == results["B"] == ["1.0", "1.00", "1.0"]
