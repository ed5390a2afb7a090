"""Three-valued logic, checked exhaustively and as properties against the truth tables."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from cds.cql import evaluate_expression

VALUES = [True, False, None]


def lit(v: bool | None) -> str:
    return "null" if v is None else ("true" if v else "false")


def kleene_and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def kleene_or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def test_and_or_implies_xor_match_the_truth_tables() -> None:
    for a, b in itertools.product(VALUES, VALUES):
        assert evaluate_expression(f"{lit(a)} and {lit(b)}") is kleene_and(a, b)
        assert evaluate_expression(f"{lit(a)} or {lit(b)}") is kleene_or(a, b)
        not_a = None if a is None else not a
        assert evaluate_expression(f"{lit(a)} implies {lit(b)}") is kleene_or(not_a, b)
        xor = None if a is None or b is None else a is not b
        assert evaluate_expression(f"{lit(a)} xor {lit(b)}") is xor


booleans = st.sampled_from(VALUES)


@given(booleans, booleans)
def test_de_morgan_holds_in_three_valued_logic(a: bool | None, b: bool | None) -> None:
    left = evaluate_expression(f"not ({lit(a)} and {lit(b)})")
    right = evaluate_expression(f"(not {lit(a)}) or (not {lit(b)})")
    assert left is right


def test_false_and_does_not_evaluate_its_right_operand() -> None:
    # The right operand would raise; `and` must stop at false.
    assert evaluate_expression("false and Message(true, true, 'X', 'Error', 'evaluated')") is False
    assert evaluate_expression("true or Message(true, true, 'X', 'Error', 'evaluated')") is True
