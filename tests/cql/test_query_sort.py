"""Query `sort by` on plain keys (whole dates, strings, numbers) uses Python's own ordering: it must
order exactly as the CQL comparison does, ascending and descending, ties in their first order."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cds.cql.compiler.queries import _natural_keys
from cds.cql.operators.comparison import compare_for_sort
from cds.cql.values import temporal

_dates = st.builds(temporal.Date, st.integers(2019, 2021), st.integers(1, 12), st.integers(1, 28))
_day_stamps = st.builds(
    lambda y, m, d, off: temporal.DateTime(y, m, d, offset=off),
    st.integers(2019, 2021),
    st.integers(1, 12),
    st.integers(1, 28),
    st.sampled_from([None, Decimal("0"), Decimal("-5")]),
)
_anything = st.one_of(
    _dates,
    _day_stamps,
    st.builds(lambda y: temporal.Date(y), st.integers(2019, 2021)),  # a year only: not a plain key
    st.builds(lambda h: temporal.DateTime(2020, 1, 1, h), st.integers(0, 23)),  # an hour: not either
    st.text(max_size=3),
    st.integers(-5, 5),
    st.decimals(-5, 5, places=1),
    st.none(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(_dates, max_size=12),
        st.lists(_day_stamps, max_size=12),
        st.lists(st.text(max_size=3), max_size=12),
        st.lists(st.one_of(st.integers(-5, 5), st.decimals(-5, 5, places=1)), max_size=12),
        st.lists(_anything, max_size=12),
    ),
    st.booleans(),
)
def test_plain_keys_sort_as_the_cql_comparison(values: list[Any], descending: bool) -> None:
    keys = _natural_keys(values)
    if keys is None:
        return  # the comparison sort handles these
    sign = -1 if descending else 1
    expected = sorted(
        range(len(values)),
        key=functools.cmp_to_key(lambda i, j: sign * compare_for_sort(values[i], values[j])),
    )
    assert sorted(range(len(values)), key=keys.__getitem__, reverse=descending) == expected


def test_mixed_or_imprecise_keys_are_left_to_the_comparison() -> None:
    assert _natural_keys([temporal.Date(2020, 1, 1), None]) is None
    assert _natural_keys([temporal.Date(2020, 1, 1), temporal.Date(2020, 1)]) is None
    assert _natural_keys([temporal.DateTime(2020, 1, 1, 5)]) is None
    assert _natural_keys([temporal.Date(2020, 1, 1), temporal.DateTime(2020, 1, 1)]) is None
    assert _natural_keys([1, True]) is None
    assert _natural_keys([]) is None
