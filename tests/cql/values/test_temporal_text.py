"""Parsing date/time text (literals and the To* conversions) and printing it back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cds.cql.values.temporal import (
    Date,
    DateTime,
    TemporalError,
    Time,
    parse_date,
    parse_datetime,
    parse_time,
    to_literal,
    to_string,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014", Date(2014)),
        ("2014-01", Date(2014, 1)),
        ("2014-01-02", Date(2014, 1, 2)),
        ("2014-01-02T12:30:00", Date(2014, 1, 2)),
    ],
)
def test_dates_parse_at_any_precision_and_todate_ignores_the_time(text: str, expected: Date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["14-01-02", "2014/01/02", "2014-1-2", "2014-01-02x", "", "2014T10"])
def test_text_that_is_not_a_date_does_not_parse(text: str) -> None:
    assert parse_date(text) is None


def test_a_date_in_the_format_but_off_the_calendar_is_an_error() -> None:
    with pytest.raises(TemporalError):
        parse_date("2014-02-30")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014", DateTime(2014)),
        ("2014T", DateTime(2014)),
        ("2014-01-02T", DateTime(2014, 1, 2)),
        ("2014-01-02T10", DateTime(2014, 1, 2, 10)),
        ("2014-01-02T10:30:05.1", DateTime(2014, 1, 2, 10, 30, 5, 100)),
        ("2014-01-02T10:30:05.123456", DateTime(2014, 1, 2, 10, 30, 5, 123)),
        ("2014-01-02T10:30Z", DateTime(2014, 1, 2, 10, 30, offset=Decimal(0))),
        ("2014-01-02T10:30-05:00", DateTime(2014, 1, 2, 10, 30, offset=Decimal(-5))),
        ("2014-01-02T10:30+05:30", DateTime(2014, 1, 2, 10, 30, offset=Decimal("5.5"))),
        ("2014-01-02T10:30+0545", DateTime(2014, 1, 2, 10, 30, offset=Decimal("5.75"))),
        ("2014-01-02T10:30+01", DateTime(2014, 1, 2, 10, 30, offset=Decimal(1))),
    ],
)
def test_datetimes_parse_with_and_without_offsets(text: str, expected: DateTime) -> None:
    assert parse_datetime(text) == expected


def test_an_unstated_offset_stays_unstated() -> None:
    parsed = parse_datetime("2014-01-02T10:30")
    assert parsed is not None and parsed.offset is None


@pytest.mark.parametrize("text", ["2014-01-02 10:30", "2014-01-02T1030", "2014-01-02T10:30+5", "2014T10:30"])
def test_text_that_is_not_a_datetime_does_not_parse(text: str) -> None:
    assert parse_datetime(text) is None


@pytest.mark.parametrize("text", ["2014-01-02T25:00", "2014-01-02T10:30+05:75", "2014-01-02T10:30+15:00"])
def test_a_datetime_in_the_format_but_impossible_is_an_error(text: str) -> None:
    with pytest.raises(TemporalError):
        parse_datetime(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10", Time(10)),
        ("T10:30", Time(10, 30)),
        ("10:30:05", Time(10, 30, 5)),
        ("10:30:05.5", Time(10, 30, 5, 500)),
        ("T14:30:00.0-05:45", Time(14, 30, 0, 0)),
    ],
)
def test_times_parse_with_or_without_the_leading_t(text: str, expected: Time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["1030", "10:3", "T", "10:30:05.", "2014-01-02"])
def test_text_that_is_not_a_time_does_not_parse(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("value", "text", "literal"),
    [
        (Date(14, 1), "0014-01", "@0014-01"),
        (DateTime(2014), "2014", "@2014T"),
        (DateTime(2014, 1, 2, offset=Decimal(3)), "2014-01-02", "@2014-01-02T"),
        (DateTime(2014, 1, 2, 3, 4, 5, 6, Decimal("-1.25")), "2014-01-02T03:04:05.006-01:15", None),
        (DateTime(2014, 1, 2, 3, offset=Decimal(0)), "2014-01-02T03+00:00", None),
        (Time(3), "03", "@T03"),
    ],
)
def test_printing_pads_components_and_shows_only_stated_offsets(
    value: Date | DateTime | Time, text: str, literal: str | None
) -> None:
    assert to_string(value) == text
    assert to_literal(value) == (literal or "@" + text)


@pytest.mark.parametrize(
    "text", ["2014", "2014-03", "2014-03-04T", "2014-03-04T05:06:07.089+05:30", "2014-03-04T05:06-08:00"]
)
def test_literals_round_trip(text: str) -> None:
    value = parse_datetime(text)
    assert value is not None
    assert parse_datetime(to_literal(value)[1:]) == value
