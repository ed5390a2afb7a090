"""Request bodies as JSON: exact numbers, strict JSON, every malformation a MalformedJson (a 400)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cds.service.errors import MalformedJson
from cds.service.parsing import read_json_object


def test_numbers_with_a_fraction_or_exponent_are_exact_decimals_and_integers_stay_integers() -> None:
    body = b'{"a": 11.20, "b": 1e2, "c": 100, "d": -0.5, "e": 123456789012345678901234567890}'
    value = read_json_object(body)
    assert value == {
        "a": Decimal("11.20"),
        "b": Decimal("1E+2"),
        "c": 100,
        "d": Decimal("-0.5"),
        "e": 10**29 + 23456789012345678901234567890,
    }
    assert str(value["a"]) == "11.20" and type(value["c"]) is int


def test_it_reads_what_python_json_reads() -> None:
    text = json.dumps(
        {"resourceType": "Patient", "name": [{"given": ["Zoë", "李"]}], "active": True, "x": None}
    )
    assert read_json_object(text.encode()) == json.loads(text)


def test_a_utf8_byte_order_mark_is_ignored() -> None:
    assert read_json_object(b'\xef\xbb\xbf{"hook": "patient-view"}') == {"hook": "patient-view"}


def test_the_last_of_duplicate_members_wins_as_in_python_json() -> None:
    assert read_json_object(b'{"a": 1, "a": 2}') == {"a": 2}


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[1]",
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b'{"a": 1} x',
        b'{"a": "\xff"}',
        b'{"a": "\\ud800"}',
        '{"a": 1}'.encode("utf-16"),
        b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
    ids=[
        "empty",
        "truncated",
        "array",
        "NaN",
        "Infinity",
        "trailing",
        "bad utf-8",
        "lone surrogate",
        "utf-16",
        "deep",
    ],
)
def test_anything_else_is_malformed_json(body: bytes) -> None:
    with pytest.raises(MalformedJson):
        read_json_object(body)
