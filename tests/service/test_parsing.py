"""Request bodies as JSON: exact numbers, strict JSON, every malformation a MalformedJson (a 400)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from cds.service.errors import BadRequest, MalformedJson
from cds.service.models import HookRequest, PatientViewRequest
from cds.service.parsing import parse_hook_call, read_json_object


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


# --- a hook call: its members read first, its prefetch only when needed -------------------------
PREFETCH = b'{"patient": {"resourceType": "Patient", "id": "p1", "x": 11.20}, "condition": null}'


def hook_body(prefetch: bytes | None = PREFETCH, **members: object) -> bytes:
    body = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/1", "patientId": "p1"},
        **members,
    }
    text = json.dumps(body).encode()
    return text if prefetch is None else text[:-1] + b', "prefetch": ' + prefetch + b"}"


def test_a_hook_call_is_the_request_the_whole_body_gives() -> None:
    call = parse_hook_call(hook_body())
    whole = call.whole()
    expected = PatientViewRequest.model_validate(read_json_object(hook_body()))
    assert type(whole) is PatientViewRequest and whole.model_dump() == expected.model_dump()
    assert whole.prefetch is not None and str(whole.prefetch["patient"]["x"]) == "11.20"
    assert call.request.prefetch is None and call.request.patient_id() == "p1"


def test_the_prefetch_digest_is_of_the_bytes_sent_and_travels_with_the_whole_request() -> None:
    call = parse_hook_call(hook_body())
    assert call.digest == hashlib.sha256(PREFETCH).hexdigest()
    assert call.whole().prefetch_digest == call.digest
    reformatted = parse_hook_call(hook_body(PREFETCH.replace(b": ", b":")))
    assert reformatted.digest != call.digest  # other bytes, another digest: never a wrong match
    assert parse_hook_call(hook_body(None)).digest is None
    assert parse_hook_call(hook_body(None)).whole().prefetch is None


@pytest.mark.parametrize(
    "prefetch",
    [b'{"patient": {"a": [1,}}', b'{"patient": {"a": "\xff"}}', b'{"patient": {"a": NaN}}'],
    ids=["malformed", "bad utf-8", "NaN"],
)
def test_malformed_json_in_the_prefetch_is_malformed_json_when_it_is_read(prefetch: bytes) -> None:
    with pytest.raises(MalformedJson):
        parse_hook_call(hook_body(prefetch)).whole()


def test_a_prefetch_of_the_wrong_shape_is_a_bad_request_naming_it() -> None:
    call = parse_hook_call(hook_body(b'{"patient": [1, 2]}'))
    with pytest.raises(BadRequest, match="prefetch"):
        call.whole()


@pytest.mark.parametrize("body", [b"[1]", b"{", b'"text"'])
def test_a_hook_body_that_is_no_json_object_is_malformed_at_once(body: bytes) -> None:
    with pytest.raises(MalformedJson):
        parse_hook_call(body)


def test_the_members_read_first_are_all_a_hook_request_has() -> None:
    # A member added to HookRequest but not read first would be silently dropped.
    from cds.service.parsing import _Envelope

    assert set(_Envelope.__struct_fields__) == set(HookRequest.model_fields)


def test_a_hook_call_shows_neither_the_access_token_nor_the_prefetch_in_its_repr() -> None:
    authorization = {
        "access_token": "secret-token-123",
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "patient/*.read",
        "subject": "cds-service",
    }
    body = hook_body(fhirServer="https://ehr.example.org/fhir", fhirAuthorization=authorization)
    text = repr(parse_hook_call(body))
    assert "secret-token-123" not in text and "11.20" not in text
