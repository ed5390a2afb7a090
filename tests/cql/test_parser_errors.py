"""Golden tests: what an author sees when CQL text is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from cds.cql import CqlError, CqlSemanticError, CqlSyntaxError, compile_library, evaluate_expression
from cds.cql.parser import parse_expression, parse_library, unescape


def message_of(text: str) -> str:
    with pytest.raises(CqlError) as info:
        compile_library(text)
    return str(info.value)


def test_syntax_error_names_library_line_column_and_expectation() -> None:
    text = "library Demo\ndefine X: 1 +\ndefine Y: 2\n"
    assert message_of(text) == "library Demo, line 3:1: unexpected 'define'"


def test_syntax_error_carries_a_caret_excerpt() -> None:
    with pytest.raises(CqlSyntaxError) as info:
        parse_library("library Demo\ndefine X: Interval[1, 2\n", "Demo")
    assert info.value.line == 2 and info.value.column == 24
    assert info.value.message == "unexpected end of text; expected ')', ']'"


def test_unexpected_character_is_named() -> None:
    with pytest.raises(CqlSyntaxError, match=r"unexpected character '\?'"):
        parse_expression("1 ? 2")


def test_unknown_identifier_names_define_and_position() -> None:
    text = "library Demo\ndefine X: 1 + Missing\n"
    assert message_of(text) == "library Demo, line 2:15, define 'X': Could not resolve identifier Missing"


def test_operator_without_matching_signature_is_a_semantic_error() -> None:
    text = "library Demo\ndefine X: 'a' - 1\n"
    assert message_of(text) == (
        "library Demo, line 2:11, define 'X': Could not resolve call to operator - "
        "with signature (System.String, System.Integer)"
    )


def test_unknown_type_is_reported() -> None:
    text = "library Demo\ndefine X: 1 is Integr\n"
    assert message_of(text) == "library Demo, line 2:16, define 'X': unknown type Integr"


def test_cycle_of_defines_is_reported() -> None:
    text = "library Demo\ndefine A: B\ndefine B: A\n"
    assert "refers to itself (a cycle of defines)" in message_of(text)


def test_out_of_range_integer_literal_suggests_long() -> None:
    with pytest.raises(CqlSemanticError, match="write 2147483648L for a Long"):
        evaluate_expression("2147483648")


def test_expression_errors_use_the_expressions_own_lines() -> None:
    with pytest.raises(CqlSemanticError) as info:
        evaluate_expression("1 +\n  nope")
    assert (info.value.line, info.value.column) == (2, 3)


def test_string_escapes_follow_cql() -> None:
    assert unescape(r"a\'b\nc\u0041") == "a'b\ncA"
    assert evaluate_expression(r"'it\'s'") == "it's"


def test_an_expression_nested_deeper_than_the_engine_goes_is_a_cql_error_not_a_crash() -> None:
    # Regression: 5,000 chained additions raised RecursionError from the tree builder, which
    # `trialcds cql -e` reported as an internal error.
    deep = "1" + " + 1" * 5000
    with pytest.raises(CqlSyntaxError, match="nested too deeply"):
        parse_expression(deep)
    assert message_of(f"library Deep\ndefine X: {deep}\n") == (
        "library Deep: the CQL is nested too deeply for this engine; split it into defines"
    )
    with pytest.raises(CqlError, match="nested too deeply"):
        evaluate_expression(deep)
    assert evaluate_expression("1" + " + 1" * 300) == 301


@pytest.mark.parametrize(
    "form",
    [
        lambda n: "{" * n + "1" + "}" * n,  # regression: the compiler's recursion limit struck at 340
        lambda n: "if true then " * n + "1" + " else 0" * n,
        lambda n: "Tuple{a: " * n + "1" + "}" * n,
        lambda n: "({1}) X return " * n + "1",
        lambda n: "case when true then " * n + "1" + " else 0 end" * n,
    ],
    ids=["list", "if", "tuple", "query", "case"],
)
def test_at_any_depth_an_expression_evaluates_or_is_too_deep_never_a_crash(form: Any) -> None:
    for depth in range(100, 700, 60):
        try:
            evaluate_expression(form(depth))
        except CqlError as exc:
            assert "nested too deeply" in str(exc), (depth, str(exc))
