"""String operators: concatenation, Combine / Split, characters, search, Substring and regular
expressions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds.cql import CqlRuntimeError, evaluate_expression
from cds.cql.operators import strings

examples = settings(max_examples=150, deadline=None)
text = st.text(alphabet="ab,- ", max_size=12)


def cql(expression: str) -> Any:
    return evaluate_expression(expression)


# -------------------------------------------------------------------------------- concatenation
def test_plus_concatenates_strings() -> None:
    assert cql("'a' + 'b'") == "ab"
    assert cql("Concatenate('a', 'b')") == "ab"


def test_plus_with_a_null_string_is_null() -> None:
    assert cql("'a' + null") is None
    assert cql("Concatenate(null, 'b')") is None


def test_ampersand_reads_null_as_the_empty_string() -> None:
    assert cql("'John' & null & ' Doe'") == "John Doe"
    assert cql("(null as String) & null") == ""


def test_combine_joins_with_the_separator_and_skips_nulls() -> None:
    assert cql("Combine({'a', 'b', 'c'}, '-')") == "a-b-c"
    assert cql("Combine({'a', null, 'c'})") == "ac"


def test_combine_with_a_null_separator_joins_without_one() -> None:
    assert cql("Combine({'a', 'b'}, null)") == "ab"


def test_combine_of_an_empty_or_null_list_is_null() -> None:
    assert cql("Combine({})") is None
    assert cql("Combine(null)") is None


def test_split_cuts_at_every_separator() -> None:
    assert cql("Split('a,b,,c', ',')") == ["a", "b", "", "c"]


def test_split_without_the_separator_keeps_the_string_whole() -> None:
    assert cql("Split('a,b', '-')") == ["a,b"]
    assert cql("Split('a,b', null)") == ["a,b"]
    assert cql("Split(null, ',')") is None


def test_split_on_matches_cuts_at_pattern_matches() -> None:
    assert cql("SplitOnMatches('a1b22c', '\\\\d+')") == ["a", "b", "c"]


# ------------------------------------------------------------------------------------ characters
def test_length_counts_characters() -> None:
    assert cql("Length('')") == 0
    assert cql("Length('ab')") == 2
    assert cql("Length(null as String)") is None


def test_upper_and_lower_change_case() -> None:
    assert cql("Upper('aB')") == "AB"
    assert cql("Lower('Ab')") == "ab"
    assert cql("Upper(null)") is None


def test_indexer_is_zero_based_and_null_outside_the_string() -> None:
    assert cql("'ab'[1]") == "b"
    assert cql("Indexer('ab', 0)") == "a"
    assert cql("Indexer('ab', 2)") is None
    assert cql("Indexer('ab', -1)") is None


# ---------------------------------------------------------------------------------------- search
def test_position_of_takes_the_pattern_first() -> None:
    assert cql("PositionOf('b', 'abab')") == 1
    assert cql("LastPositionOf('b', 'abab')") == 3
    assert cql("PositionOf('c', 'ab')") == -1


def test_the_empty_pattern_is_found_at_the_start_and_at_the_end() -> None:
    assert cql("PositionOf('', 'abc')") == 0
    assert cql("LastPositionOf('', 'abc')") == 3


def test_starts_and_ends_with_are_case_sensitive() -> None:
    assert cql("StartsWith('Breathe deep', 'Bre')") is True
    assert cql("StartsWith('Breathe deep', 'bre')") is False
    assert cql("EndsWith('the man!!', 'n!!')") is True
    assert cql("EndsWith('abc', '')") is True


def test_search_with_a_null_is_null() -> None:
    assert cql("PositionOf(null, 'a')") is None
    assert cql("StartsWith('hi', null)") is None


# ------------------------------------------------------------------------------------- Substring
def test_substring_runs_from_the_start_index_to_the_end() -> None:
    assert cql("Substring('abc', 1)") == "bc"
    assert cql("Substring('abc', 1, 1)") == "b"


def test_substring_length_beyond_the_end_stops_at_the_end() -> None:
    assert cql("Substring('ab', 0, 3)") == "ab"


def test_substring_starting_outside_the_string_is_null() -> None:
    assert cql("Substring('ab', 2)") is None
    assert cql("Substring('ab', -1)") is None


def test_substring_of_the_empty_string_at_zero_is_empty() -> None:
    assert cql("Substring('', 0)") == ""


def test_substring_with_a_negative_length_is_null() -> None:
    assert cql("Substring('abc', 0, -1)") is None


# --------------------------------------------------------------------------- regular expressions
def test_matches_finds_the_pattern_anywhere() -> None:
    assert cql("Matches('1,2three', '\\\\d,\\\\d\\\\w+')") is True
    assert cql("Matches('Library/FHIR-ModelInfo', 'Library')") is True


def test_matches_anchored_to_the_whole_string() -> None:
    assert cql("Matches('1,2three', '^\\\\w+$')") is False
    assert cql("Matches('abc', '^[a-c]+$')") is True


def test_matches_lets_the_dot_cross_line_breaks() -> None:
    assert cql("Matches('a\\nb', '^a.b$')") is True


def test_matches_with_a_null_pattern_is_null() -> None:
    assert cql("Matches('abc', null)") is None


def test_an_invalid_pattern_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError, match="regular expression"):
        cql("Matches('abc', '(')")


def test_replace_matches_replaces_every_match() -> None:
    assert cql("ReplaceMatches('bop she bop', 'bop', 'bang')") == "bang she bang"


def test_replace_matches_substitutes_groups_and_escaped_characters() -> None:
    assert cql("ReplaceMatches('2014-01-31', '(\\\\d+)-(\\\\d+)-(\\\\d+)', '$3/$2/$1')") == "31/01/2014"
    assert cql("ReplaceMatches('a b', '\\\\s', '\\\\$')") == "a$b"


def test_replace_matches_names_a_group_in_braces() -> None:
    assert cql("ReplaceMatches('ab', '(?<x>b)', '[${x}]')") == "a[b]"


def test_lookbehind_is_not_read_as_a_named_group() -> None:
    assert cql("ReplaceMatches('ab', '(?<=a)b', 'c')") == "ac"


def test_replace_matches_referring_to_a_missing_group_is_an_error() -> None:
    with pytest.raises(CqlRuntimeError, match="group"):
        cql("ReplaceMatches('ab', 'b', '$2')")


# ------------------------------------------------------------------------------------- properties
@examples
@given(st.lists(text, max_size=6), st.sampled_from([",", "-", "; "]))
def test_split_undoes_combine_when_no_part_holds_the_separator(parts: list[str], sep: str) -> None:
    parts = [p for p in parts if sep not in p]
    combined = strings.combine(parts, sep)
    if parts:
        assert combined is not None
        assert strings.split(combined, sep) == parts
    else:
        assert combined is None


@examples
@given(text, st.integers(-3, 15), st.integers(0, 15))
def test_substring_is_a_slice_of_the_string(value: str, start: int, length: int) -> None:
    result = strings.substring(value, start, length)
    if result is not None:
        assert value[start:].startswith(result)
        assert len(result) == min(length, len(value) - start)
    else:
        assert start < 0 or start >= len(value)


@examples
@given(text, text)
def test_position_of_agrees_with_starts_with_at_that_position(pattern: str, value: str) -> None:
    position = strings.position_of(pattern, value)
    if position >= 0:
        assert value[position:].startswith(pattern)
        assert strings.last_position_of(pattern, value) >= position
    else:
        assert pattern not in value
