"""The response serializer never emits null or empty values, except the spec's empty cards list."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cds.service.models import Card, CdsResponse, Discovery
from cds.service.wire import prune, render, to_wire

from .support import card
from .wire_check import CheckedClient, empty_values

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=30,
)


@given(json_values)
def test_pruned_json_has_no_empty_values_anywhere(value: object) -> None:
    pruned = prune({"root": value})
    assert empty_values(pruned) == [] or pruned == {}


def test_a_response_without_guidance_is_the_specs_empty_cards_list() -> None:
    assert json.loads(render(CdsResponse())) == {"cards": []}


def test_a_discovery_without_services_is_an_empty_services_list() -> None:
    assert json.loads(render(Discovery())) == {"services": []}


def test_optional_members_without_value_are_omitted_not_null_or_empty() -> None:
    wire = to_wire(CdsResponse(cards=(Card.model_validate(card()),)))
    assert wire == {
        "cards": [
            {
                "summary": "Possible trial match: F01 (NCT06208280)",
                "indicator": "info",
                "source": {"label": "trialcds", "url": "https://trialcds.example.org"},
            }
        ]
    }


def test_empty_members_inside_extensions_and_resources_are_dropped() -> None:
    extension = {
        "trialcds.eligibility": {"protocol": "f01", "criteria": [{"id": "c1", "evidence": []}], "note": ""}
    }
    wire = to_wire(CdsResponse(cards=(Card.model_validate(card(extension=extension)),)))
    assert wire["cards"][0]["extension"] == {
        "trialcds.eligibility": {"protocol": "f01", "criteria": [{"id": "c1"}]}
    }


def test_false_and_zero_are_values_and_stay() -> None:
    assert prune({"isRecommended": False, "count": 0, "gone": None}) == {"isRecommended": False, "count": 0}


@pytest.mark.parametrize(
    "number",
    [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("-Infinity"), Decimal("sNaN")],
)
def test_non_finite_numbers_cannot_be_rendered(number: float | Decimal) -> None:
    # Regression: a Decimal NaN was written as NaN, which is not JSON.
    with pytest.raises(ValueError):
        render({"value": number, "note": "fine"})
    with pytest.raises(ValueError):
        render({"cards": [{"deep": [{"value": number}]}], "text": "null"})


def test_a_huge_but_finite_decimal_is_a_number() -> None:
    assert render({"value": Decimal("1E+400")}) == b'{"value":1E+400}'


def test_rendering_writes_what_python_json_writes() -> None:
    body = {
        "cards": [{"summary": 'Zoë: "quoted" \\ back\nslash \u2028 李 ✅', "n": [1, 2.5, True, False, 0]}],
        "text": "the word null in a string",  # not taken for a non-finite number
    }
    assert render(body) == json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def test_the_walker_finds_every_empty_value() -> None:
    found = empty_values({"cards": [], "a": None, "b": {"c": ""}, "d": [{}], "e": [[]], "f": {"cards": []}})
    assert found == ["$.a", "$.b.c", "$.d[0]", "$.e[0]", "$.f.cards"]


def test_the_checked_test_client_fails_on_a_response_with_empty_values() -> None:
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    careless = FastAPI()
    careless.add_api_route("/", lambda: JSONResponse({"cards": [], "systemActions": []}))
    with CheckedClient(careless) as client, pytest.raises(AssertionError, match=r"\$\.systemActions"):
        client.get("/")
