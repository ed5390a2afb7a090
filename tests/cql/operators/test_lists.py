"""List operators: membership, inclusion, set operations, element access and sub-lists."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds.cql import CqlRuntimeError, evaluate_expression
from cds.cql.models import FhirObject
from cds.cql.operators.comparison import equal
from cds.cql.operators.lists import Membership, any_true, descendents, distinct_values, equality_key
from cds.cql.values import temporal
from cds.cql.values.code import Code, Concept
from cds.cql.values.quantity import Quantity

examples = settings(max_examples=80, deadline=None)


def cql(text: str) -> Any:
    return evaluate_expression(text)


def cql_list(values: list[int | None]) -> str:
    return "{" + ", ".join("null" if v is None else str(v) for v in values) + "}"


# ------------------------------------------------------------------------------------ membership
def test_an_element_in_the_list_is_in_it() -> None:
    assert cql("2 in {1, 2, 3}") is True
    assert cql("{1, 2, 3} contains 2") is True


def test_an_element_not_in_the_list_is_not_in_it_even_beside_a_null() -> None:
    assert cql("{null, 'b', 'c'} contains 'a'") is False


def test_null_is_in_a_list_that_holds_a_null() -> None:
    assert cql("null in {1, null}") is True
    assert cql("null in {1, 2}") is False


def test_nothing_is_in_a_null_list() -> None:
    assert cql("1 in (null as List<Integer>)") is False


def test_membership_of_a_date_of_other_precision_is_unknown() -> None:
    assert cql("@2012 in {@2012-01-01}") is None
    assert cql("@2013 in {@2012-01-01}") is False


def test_membership_uses_unit_conversion_for_quantities() -> None:
    assert cql("1 'g' in {1000 'mg', 5 'mg'}") is True


def test_properly_includes_an_element_needs_another_element_besides_it() -> None:
    assert cql("{'a', 'b'} properly includes 'a'") is True
    assert cql("{'a', 'a'} properly includes 'a'") is False
    assert cql("{'a'} properly includes 'a'") is False


def test_a_null_element_might_be_the_item_so_proper_inclusion_is_unknown() -> None:
    assert cql("{'a', null} properly includes 'a'") is None
    assert cql("{'a', 'b', null} properly includes 'a'") is True


def test_properly_included_in_a_null_list_is_false() -> None:
    assert cql("'a' properly included in (null as List<String>)") is False


def test_membership_with_a_precision_compares_only_down_to_it() -> None:
    assert cql("{@2012-01-01T10:00} includes day of @2012-01-01T12:00") is True
    assert cql("{@2012-01-01T10:00} includes hour of @2012-01-01T12:00") is False


def test_a_precision_finer_than_a_date_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError):
        cql("{@2012-01-01} includes hour of @2012-01-01")


# ------------------------------------------------------------------------------------- inclusion
def test_a_list_includes_a_sublist_of_its_elements() -> None:
    assert cql("{1, 2, 3} includes {3, 1}") is True
    assert cql("{1, 2, 3} includes {4}") is False
    assert cql("{2} included in {1, 2, 3}") is True


def test_every_list_includes_the_empty_list() -> None:
    assert cql("{1, 2, 3} includes {}") is True
    assert cql("{} includes {}") is True


def test_list_inclusion_with_a_null_operand_is_null() -> None:
    assert cql("(null as List<Integer>) includes {2}") is None
    assert cql("{'s', 'a', 'm'} includes null") is None
    assert cql("null included in {2}") is None


def test_proper_inclusion_needs_an_element_the_sublist_lacks() -> None:
    assert cql("{1, 2, 3} properly includes {2}") is True
    assert cql("{1, 2, 3} properly includes {1, 2, 3}") is False
    assert cql("{1, 1} properly includes {1}") is False
    assert cql("{} properly included in {1}") is True


def test_an_element_after_includes_is_tested_for_membership() -> None:
    assert cql("{@T15:59:59.999, @T20:59:59.999} includes @T15:59:59.999") is True
    assert cql("@T16:00:00.000 included in {@T15:59:59.999}") is False


# -------------------------------------------------------------------------------- set operations
def test_union_keeps_each_element_once() -> None:
    assert cql("{1, 2, 3} union {2, 4}") == [1, 2, 3, 4]
    assert cql("{null} union {null}") == [None]


def test_union_reads_a_null_list_as_empty() -> None:
    assert cql("{1, 1, 2} union null") == [1, 2]


def test_intersect_keeps_common_elements_in_the_first_lists_order() -> None:
    assert cql("{4, 3, 2, 1} intersect {2, 3}") == [3, 2]


def test_intersect_with_null_is_null() -> None:
    assert cql("{1, 2} intersect null") is None


def test_except_removes_the_second_lists_elements() -> None:
    assert cql("{1, 2, 3, 4} except {2, 3}") == [1, 4]
    assert cql("{2, 3} except {1, 2, 3, 4}") == []


def test_except_null_keeps_the_first_list() -> None:
    assert cql("{1, 4} except null") == [1, 4]


def test_except_keeps_an_element_only_possibly_in_the_second_list() -> None:
    assert cql("{@2012} except {@2012-01-01}") == cql("{@2012}")


def test_distinct_compares_decimals_and_integers_by_value_and_keeps_one_null() -> None:
    assert distinct_values([1, None, Decimal("1.0"), None, "1", True]) == [1, None, "1", True]


def test_distinct_removes_equal_quantities_in_other_units() -> None:
    assert distinct_values([Quantity(1000, "mg"), Quantity(1, "g")]) == [Quantity(1000, "mg")]


def test_distinct_treats_codes_with_the_same_code_system_version_and_display_as_one() -> None:
    a, b = Code("1", "s", None, "x"), Code("2", "s")
    assert distinct_values([a, b, Code("1", "s", None, "x"), Code("1", "s", None, "y")]) == [
        a,
        b,
        Code("1", "s", None, "y"),
    ]


def test_a_code_in_a_long_list_is_found_as_in_a_short_one() -> None:
    codes = [Code(str(i), "http://snomed.info/sct") for i in range(500)]
    assert Membership.of(codes)(Code("499", "http://snomed.info/sct")) is True
    assert Membership.of(codes)(Code("500", "http://snomed.info/sct")) is False


def test_membership_index_still_finds_a_concept_equal_to_a_code() -> None:
    code = Code("1", "s")
    assert Membership.of([Concept((code,))])(code) is True
    assert Membership.of([code, None])(Concept((code,))) is True
    assert Membership.of([code, None])(None) is True


# -------------------------------------------------------------------------------- element access
def test_first_and_last_of_an_empty_list_are_null() -> None:
    assert cql("First({})") is None
    assert cql("Last({})") is None


def test_first_and_last_return_null_elements_as_they_are() -> None:
    assert cql("First({null, 1})") is None
    assert cql("Last({null, 1})") == 1


def test_indexer_counts_from_zero_and_is_null_out_of_range() -> None:
    assert cql("{10, 20}[1]") == 20
    assert cql("{10, 20}[2]") is None
    assert cql("{10, 20}[-1]") is None
    assert cql("(null as List<Integer>)[0]") is None


def test_index_of_is_minus_one_when_absent_and_null_for_a_null_item() -> None:
    assert cql("IndexOf({1, 2}, 2)") == 1
    assert cql("IndexOf({1, 2}, 3)") == -1
    assert cql("IndexOf({1, null}, null)") is None


def test_length_counts_nulls_and_a_null_list_has_length_zero() -> None:
    assert cql("Length({null, 1})") == 2
    assert cql("Length(null as List<Integer>)") == 0


def test_singleton_from_a_list_of_one_is_its_element() -> None:
    assert cql("singleton from {5}") == 5
    assert cql("singleton from {}") is None


def test_singleton_from_a_list_of_two_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError):
        cql("singleton from {1, 2}")


def test_exists_ignores_null_elements() -> None:
    assert cql("exists {null}") is False
    assert cql("exists {null, 1}") is True
    assert cql("exists (null as List<Integer>)") is False


# -------------------------------------------------------------------------------------- sub-lists
def test_skip_and_take_split_a_list() -> None:
    assert cql("Skip({1, 2, 3, 4, 5}, 2)") == [3, 4, 5]
    assert cql("Take({1, 2, 3, 4, 5}, 2)") == [1, 2]


def test_take_of_a_null_count_is_empty_and_skip_of_a_null_count_is_everything() -> None:
    assert cql("Take({1, 2, 3}, null as Integer)") == []
    assert cql("Skip({1, 2, 3}, null as Integer)") == [1, 2, 3]


def test_tail_drops_the_first_element() -> None:
    assert cql("Tail({1, 2, 3})") == [2, 3]
    assert cql("Tail({})") == []
    assert cql("Tail(null)") is None


def test_slice_counts_negative_indexes_from_the_end() -> None:
    assert cql("Slice({1, 2, 3, 4, 5}, 1, -1)") == [2, 3, 4]
    assert cql("Slice({1, 2, 3, 4, 5}, -2)") == [4, 5]
    assert cql("Slice({1, 2, 3, 4, 5}, 1, null)") == [2, 3, 4, 5]


def test_flatten_joins_the_inner_lists_and_keeps_their_nulls() -> None:
    assert cql("Flatten({{1, 2}, {null}, {3}})") == [1, 2, None, 3]


def test_flatten_skips_a_null_inner_list() -> None:
    assert cql("Flatten({{1}, null, {2}})") == [1, 2]


# ------------------------------------------------------------------------------------ equality
def test_lists_with_nulls_in_the_same_places_are_equal() -> None:
    assert cql("{null} = {null}") is True
    assert cql("{1, null} = {1, null}") is True


def test_a_null_against_a_value_makes_list_equality_unknown() -> None:
    assert cql("{1, 2} = {1, null}") is None
    assert cql("{1, 2} = {3, null}") is False


def test_sort_puts_the_less_precise_of_two_agreeing_datetimes_first() -> None:
    result = cql("({ @2012-01-01T12, @2012-01-01T, @2011-05-05T }) D sort asc")
    assert [d.hour for d in result] == [None, None, 12]
    assert result[0].year == 2011


# ---------------------------------------------------------------------------------- descendents
def test_descendents_of_a_fhir_object_reach_nested_elements() -> None:
    obs = FhirObject(
        "Observation",
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
        },
    )
    found = descendents(obs)
    assert "final" in found
    assert "718-7" in found
    assert any(isinstance(d, FhirObject) and d.type == "Coding" for d in found)


def test_descendents_of_null_is_null() -> None:
    assert cql("(null).descendents()") is None


# ----------------------------------------------------------------------------------- properties
small_lists = st.lists(st.one_of(st.none(), st.integers(-5, 5)), max_size=8)


@examples
@given(small_lists, small_lists)
def test_union_holds_exactly_the_elements_of_either_list_once(
    a: list[int | None], b: list[int | None]
) -> None:
    result = cql(f"{cql_list(a)} union {cql_list(b)}")
    assert sorted(result, key=repr) == sorted(set(a) | set(b), key=repr)


@examples
@given(small_lists, small_lists)
def test_intersect_and_except_partition_the_distinct_first_list(
    a: list[int | None], b: list[int | None]
) -> None:
    both = cql(f"{cql_list(a)} intersect {cql_list(b)}")
    only = cql(f"{cql_list(a)} except {cql_list(b)}")
    assert sorted(both + only, key=repr) == sorted(set(a), key=repr)


@examples
@given(small_lists, st.integers(0, 10))
def test_take_then_skip_rebuild_the_list(a: list[int | None], n: int) -> None:
    assert cql(f"Take({cql_list(a)}, {n})") + cql(f"Skip({cql_list(a)}, {n})") == a


@examples
@given(small_lists, st.integers(-5, 5))
def test_in_agrees_with_python_membership_for_integers(a: list[int | None], x: int) -> None:
    assert cql(f"{x} in {cql_list(a)}") is (x in a)


simple_values = st.one_of(
    st.booleans(),
    st.integers(-3, 3),
    st.decimals(min_value=-3, max_value=3, places=1),
    st.sampled_from(["1", "a", "A"]),
    st.builds(
        Code,
        st.sampled_from(["1", "2"]),
        st.sampled_from(["s", None]),
        st.none(),
        st.sampled_from(["x", None]),
    ),
)


@examples
@given(simple_values, simple_values)
def test_the_hash_key_of_a_value_agrees_with_cql_equality(a: Any, b: Any) -> None:
    # The hashed paths of distinct and membership are only right while this holds.
    assert (equality_key(a) == equality_key(b)) is (equal(a, b) is True)


def test_any_true_is_kleene_or() -> None:
    assert any_true([False, None, True]) is True
    assert any_true([False, None]) is None
    assert any_true([]) is False


# Dates and DateTimes of every precision, with and without offsets (fractional ones too): the
# values equality normalises, where a bucket key that disagreed with it would keep a duplicate.
_offsets = st.sampled_from([None, Decimal("0"), Decimal("-5"), Decimal("5.5"), Decimal("14"), Decimal("-12")])
_datetimes = st.builds(
    lambda y, m, d, h, mi, off, cut: temporal.DateTime(
        y, *([m, d, h, mi][:cut] + [None] * (4 - cut)), offset=off
    ),
    st.sampled_from([2019, 2020]),
    st.sampled_from([12, 1]),
    st.sampled_from([31, 1]),
    st.sampled_from([0, 5, 23]),
    st.sampled_from([0, 30]),
    _offsets,
    st.integers(0, 4),
)
_dates = st.builds(
    lambda y, m, d, cut: temporal.Date(y, *([m, d][:cut] + [None] * (2 - cut))),
    st.sampled_from([2019, 2020]),
    st.sampled_from([12, 1]),
    st.sampled_from([31, 1]),
    st.integers(0, 2),
)


def _distinct_by_pairs(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if not any(equal(x, v) is True for x in out):
            out.append(v)
    return out


@examples
@given(
    st.lists(st.one_of(_datetimes, _dates), max_size=8),
    st.lists(_offsets.filter(lambda o: o is not None), max_size=3),
    st.sampled_from(["0", "-5", "5.5"]),
)
def test_distinct_temporal_values_agrees_with_comparing_every_pair(
    values: list[Any], shifts: list[Decimal], offset: str
) -> None:
    # Each value also at other offsets: the same instant written with other dates, often a day apart.
    values = values + [
        temporal.with_offset(v, s) for v in values for s in shifts if isinstance(v, temporal.DateTime)
    ]
    token = temporal.EVALUATION_OFFSET.set(Decimal(offset))
    try:
        # The same objects kept, not just equal ones.
        assert [id(v) for v in distinct_values(values)] == [id(v) for v in _distinct_by_pairs(values)]
    finally:
        temporal.EVALUATION_OFFSET.reset(token)
