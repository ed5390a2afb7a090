"""Settings: sensible defaults, read from TRIALCDS_* variables, unsafe combinations refused."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pydantic import ValidationError

from cds.service.settings import ClientSettings, Settings

from .support import EC_KEY, RSA_KEY, jwks_of

CLIENT = {
    "iss": "https://ehr.example.org",
    "jwks": jwks_of(EC_KEY),
    "fhir_servers": ["https://ehr.example.org/fhir"],
}


def production(**fields: Any) -> Settings:
    return Settings(**{"clients": [CLIENT], **fields})


def test_authentication_is_on_by_default_outside_demo() -> None:
    assert production().auth_required


def test_authentication_is_off_by_default_in_demo_and_can_be_turned_on() -> None:
    assert not Settings(mode="demo").auth_required
    assert Settings(mode="demo", auth_enabled=True).auth_required


def test_turning_authentication_off_outside_demo_is_refused() -> None:
    with pytest.raises(ValidationError, match="authentication is off"):
        production(auth_enabled=False)


def test_authentication_without_any_client_is_refused_outside_demo() -> None:
    with pytest.raises(ValidationError, match="lists no client"):
        Settings(mode="production")


def test_wildcard_cors_with_credentials_is_refused_even_in_demo() -> None:
    with pytest.raises(ValidationError, match="credentials"):
        Settings(mode="demo", cors_origins=["*"], cors_allow_credentials=True)
    assert production(cors_origins=["*"]).cors_origins == ("*",)


def test_plain_http_fhir_server_on_another_machine_is_refused_outside_demo() -> None:
    client = {**CLIENT, "fhir_servers": ["http://ehr.example.org/fhir"]}
    with pytest.raises(ValidationError, match="plain http"):
        Settings(clients=[client])


@pytest.mark.parametrize(
    "url", ["http://localhost:8080/fhir", "http://127.0.0.1/fhir", "http://[::1]:8080/fhir"]
)
def test_plain_http_fhir_server_on_loopback_is_allowed(url: str) -> None:
    assert Settings(clients=[{**CLIENT, "fhir_servers": [url]}]).clients[0].fhir_servers


def test_plain_http_jku_and_public_url_are_refused_outside_demo() -> None:
    with pytest.raises(ValidationError, match=re.escape("jku of https://ehr.example.org")):
        Settings(clients=[{"iss": CLIENT["iss"], "jku": ["http://keys.example.org/jwks.json"]}])
    with pytest.raises(ValidationError, match="TRIALCDS_PUBLIC_BASE_URL"):
        production(public_base_url="http://cds.example.org")


def test_demo_mode_accepts_plain_http_anywhere() -> None:
    client = {**CLIENT, "fhir_servers": ["http://ehr.example.org/fhir"]}
    assert Settings(mode="demo", clients=[client]).mode == "demo"


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(auth_enabled=False, cors_origins=["*"], cors_allow_credentials=True)
    message = str(raised.value)
    assert "authentication is off" in message and "credentials" in message


def test_a_client_needs_a_key_source() -> None:
    with pytest.raises(ValidationError, match="configure jwks or at least one jku"):
        ClientSettings(iss="https://ehr.example.org")


def test_inline_jwks_must_hold_public_keys_only() -> None:
    private = {"keys": [EC_KEY.as_dict(private=True)]}
    with pytest.raises(ValidationError, match="public keys only"):
        ClientSettings(iss="https://ehr.example.org", jwks=private)


def test_inline_jwks_must_not_hold_hmac_secrets() -> None:
    oct_key = {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "h"}]}
    with pytest.raises(ValidationError, match="HMAC"):
        ClientSettings(iss="https://ehr.example.org", jwks=oct_key)


def test_inline_jwks_keys_need_a_kid() -> None:
    key = RSA_KEY.as_dict(private=False)
    del key["kid"]
    with pytest.raises(ValidationError, match="kid"):
        ClientSettings(iss="https://ehr.example.org", jwks={"keys": [key]})


def test_allowlisted_urls_are_normalized() -> None:
    client = ClientSettings(iss="i", jwks=jwks_of(EC_KEY), fhir_servers=["HTTPS://EHR.example.org:443/fhir/"])
    assert client.fhir_servers == ("https://ehr.example.org/fhir",)


def test_a_fhir_server_entry_with_credentials_is_refused() -> None:
    with pytest.raises(ValidationError, match="credentials"):
        ClientSettings(iss="i", jwks=jwks_of(EC_KEY), fhir_servers=["https://user:pw@ehr.example.org/fhir"])


def test_the_same_issuer_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="iss twice"):
        Settings(clients=[CLIENT, CLIENT])


def test_fhir_timeouts_must_nest_inside_the_hook_timeout() -> None:
    with pytest.raises(ValidationError, match="FHIR_REQUEST_TIMEOUT_S"):
        production(fhir_request_timeout_s=9, fhir_deadline_s=5)
    with pytest.raises(ValidationError, match="HOOK_TIMEOUT_S"):
        production(fhir_deadline_s=10, hook_timeout_s=10)


def test_tokens_may_not_be_configured_to_live_longer_than_an_hour() -> None:
    with pytest.raises(ValidationError):
        production(jwt_max_lifetime_s=7200)


def test_settings_are_read_from_trialcds_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIALCDS_MODE", "production")
    monkeypatch.setenv("TRIALCDS_CLIENTS", json.dumps([CLIENT]))
    monkeypatch.setenv("TRIALCDS_CORS_ORIGINS", '["https://sandbox.cds-hooks.org"]')
    monkeypatch.setenv("TRIALCDS_OVERRIDE_SUPPRESSION_DAYS", "14")
    monkeypatch.setenv("TRIALCDS_FEEDBACK_DB_URL", "postgresql+psycopg://cds@db.example.org/cds")
    settings = Settings()
    assert settings.clients[0].iss == "https://ehr.example.org"
    assert settings.cors_origins == ("https://sandbox.cds-hooks.org",)
    assert settings.override_suppression_days == 14
    assert settings.feedback_db_url.startswith("postgresql+psycopg://")


def test_unknown_setting_names_are_refused() -> None:
    with pytest.raises(ValidationError):
        production(max_body=1)


def test_feedback_db_defaults_to_a_sqlite_file() -> None:
    assert production().feedback_db_url.startswith("sqlite:///")
