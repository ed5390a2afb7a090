"""Client JWTs per CDS Hooks 2.0.1 "Security": every refused variant is a bare 401."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from typing import Any

import pytest
from httpx import Response

from .conftest import ClientFactory, SettingsFactory
from .support import (
    EC_KEY,
    ISSUER,
    NOW,
    OTHER_EC_KEY,
    RSA_KEY,
    SERVICE_URL,
    Clock,
    b64,
    bearer,
    claims,
    es384_signer,
    jwks_of,
    patient_view,
    raw_token,
    rs384_signer,
    sign,
)
from .wire_check import CheckedClient

JKU = "https://ehr.example.org/.well-known/jwks.json"
NEUTRAL_401 = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "login"}]}


def call(
    client: CheckedClient, headers: dict[str, str], path: str = "/cds-services/trial-eligibility"
) -> Response:
    return client.post(path, json=patient_view(), headers=headers)


def assert_refused(response: Response) -> None:
    assert response.status_code == 401
    assert response.json() == NEUTRAL_401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def hs256_with_public_key(_: Any = None) -> str:
    # The classic key-confusion attack: HMAC keyed with the server's own *public* key.
    secret = RSA_KEY.as_pem(private=False)
    header = {"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}
    return raw_token(header, claims(), lambda data: hmac.new(secret, data, hashlib.sha256).digest())


def alg_none(_: Any = None) -> str:
    return raw_token({"alg": "none", "kid": "ec-1", "typ": "JWT"}, claims(), lambda _: b"")


def tampered(_: Any = None) -> str:
    header, _, signature = sign().split(".")
    forged_payload = b64(
        b'{"iss":"' + ISSUER.encode() + b'","aud":"' + SERVICE_URL.encode() + b'","admin":true}'
    )
    return f"{header}.{forged_payload}.{signature}"


def rs256(_: Any = None) -> str:
    from joserfc import jwt

    return jwt.encode({"alg": "RS256", "kid": "rsa-1"}, claims(), RSA_KEY, algorithms=["RS256"])


def deep_token(claims_deep: bool) -> str:
    header = b'{"alg":"ES384","kid":"ec-1","typ":"JWT"}'
    deep = b"[" * 5000 + b"]" * 5000
    return ".".join(b64(part) for part in ((header, deep) if claims_deep else (deep, b"{}")) + (b"x",))


# name -> (token factory, the reason our log gives; the response never does)
REFUSED_TOKENS: dict[str, tuple[Callable[[], str], str]] = {
    "alg none": (alg_none, "algorithm not allowed"),
    "HS256 keyed with the public key": (hs256_with_public_key, "algorithm not allowed"),
    "RS256 (not a CDS Hooks algorithm)": (rs256, "algorithm not allowed"),
    "wrong iss": (lambda: sign(iss="https://other-ehr.example.org"), "issuer not allowlisted"),
    "wrong aud": (
        lambda: sign(aud="https://cds.example.org/cds-services/trial-eligibility"),
        "InvalidClaimError",
    ),
    "aud of another service": (
        lambda: sign(aud="http://testserver/cds-services/trial-medication-check"),
        "InvalidClaimError",
    ),
    "expired": (lambda: sign(iat=int(NOW) - 600, exp=int(NOW) - 60), "ExpiredTokenError"),
    "iat in the future": (lambda: sign(iat=int(NOW) + 300, exp=int(NOW) + 600), "InvalidClaimError"),
    "nbf in the future": (lambda: sign(nbf=int(NOW) + 300), "InvalidClaimError"),
    "no exp": (lambda: sign(exp=None), "MissingClaimError"),
    "no iat": (lambda: sign(iat=None), "MissingClaimError"),
    "no jti": (lambda: sign(jti=None), "MissingClaimError"),
    "no aud": (lambda: sign(aud=None), "MissingClaimError"),
    "exp is not a number": (lambda: sign(exp="tomorrow"), "InvalidClaimError"),
    "lives longer than an hour": (lambda: sign(exp=int(NOW) + 7200), "lives too long"),
    "unknown kid": (lambda: sign(header={"kid": "ec-2"}), "unknown kid"),
    "missing kid": (lambda: sign(header={"kid": None}), "no kid"),
    "jku not on the allowlist": (lambda: sign(header={"jku": "https://attacker.example/jwks.json"}), "jku"),
    "tampered payload": (tampered, "bad signature"),
    "signed by another key with the same kid": (lambda: sign(OTHER_EC_KEY), "bad signature"),
    "ES384 header on the RSA key": (
        lambda: raw_token({"alg": "ES384", "kid": "rsa-1", "typ": "JWT"}, claims(), rs384_signer(RSA_KEY)),
        "signature check failed",
    ),
    "typ is not JWT": (lambda: sign(header={"typ": "JOSE+JSON"}), "typ"),
    "critical header extension": (
        lambda: raw_token(
            {"alg": "ES384", "kid": "ec-1", "typ": "JWT", "crit": ["exp"], "exp": 1},
            claims(),
            es384_signer(EC_KEY),
        ),
        "critical header",
    ),
    "not a JWT at all": (lambda: "not-a-token", "not a compact JWS"),
    "jti too long to remember": (lambda: sign(jti="j" * 257), "jti too long"),
    # Regression: JSON nested past Python's recursion limit, read before any signature check, was a 500.
    "claims nested too deeply": (lambda: deep_token(claims_deep=True), "not a compact JWS"),
    "header nested too deeply": (lambda: deep_token(claims_deep=False), "not a compact JWS"),
}


@pytest.mark.parametrize("name", REFUSED_TOKENS)
def test_refused_token_gets_a_bare_401(
    name: str, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    make_token, reason = REFUSED_TOKENS[name]
    client = make_client()
    with caplog.at_level(logging.INFO, logger="trialcds.service.auth"):
        assert_refused(call(client, bearer(make_token())))
    reasons = [record.reason for record in caplog.records if hasattr(record, "reason")]
    assert len(reasons) == 1 and reason in reasons[0], reasons


def test_hand_built_tokens_verify_when_nothing_is_wrong(make_client: ClientFactory) -> None:
    # Controls for the raw tokens above: they fail for the reason named, not for a bad signer.
    client = make_client()
    es = raw_token({"alg": "ES384", "kid": "ec-1", "typ": "JWT"}, claims(), es384_signer(EC_KEY))
    rs = raw_token({"alg": "RS384", "kid": "rsa-1", "typ": "JWT"}, claims(), rs384_signer(RSA_KEY))
    assert call(client, bearer(es)).status_code == 200
    assert call(client, bearer(rs)).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwdw=="},
        {"Authorization": "Bearer a b"},
    ],
    ids=["no header", "empty bearer", "basic", "spaces"],
)
def test_missing_or_non_bearer_credentials_get_a_bare_401(
    headers: dict[str, str], make_client: ClientFactory
) -> None:
    assert_refused(call(make_client(), headers))


def test_valid_es384_token_is_accepted(make_client: ClientFactory) -> None:
    assert call(make_client(), bearer(sign(EC_KEY))).status_code == 200


def test_valid_rs384_token_is_accepted(make_client: ClientFactory) -> None:
    assert call(make_client(), bearer(sign(RSA_KEY))).status_code == 200


def test_a_replayed_token_is_refused(make_client: ClientFactory) -> None:
    client, token = make_client(), sign()
    assert call(client, bearer(token)).status_code == 200
    assert_refused(call(client, bearer(token)))


def test_aud_may_be_an_array_that_contains_our_url(make_client: ClientFactory) -> None:
    token = sign(aud=["https://somewhere.example", SERVICE_URL])
    assert call(make_client(), bearer(token)).status_code == 200


def test_configured_audiences_replace_the_endpoint_url(
    make_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    # Some EHRs have the health system type aud in by hand; whatever they agreed on is what counts.
    client = make_client(make_settings(client={"audiences": ["urn:trialcds"]}))
    assert call(client, bearer(sign(aud="urn:trialcds"))).status_code == 200
    assert_refused(call(client, bearer(sign(aud=SERVICE_URL))))


def test_public_base_url_decides_the_expected_aud(
    make_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    client = make_client(make_settings(public_base_url="https://cds.example.org/trialcds"))
    url = "https://cds.example.org/trialcds/cds-services/trial-eligibility"
    assert call(client, bearer(sign(aud=url))).status_code == 200
    assert_refused(call(client, bearer(sign(aud=SERVICE_URL))))


def test_extra_claims_such_as_sub_and_a_past_nbf_are_accepted(make_client: ClientFactory) -> None:
    token = sign(sub="client-id", nbf=int(NOW) - 10, epic_extra="x")
    assert call(make_client(), bearer(token)).status_code == 200


def test_clock_skew_within_the_leeway_is_tolerated(make_client: ClientFactory) -> None:
    token = sign(iat=int(NOW) + 20, exp=int(NOW) - 20 + 300)
    assert call(make_client(), bearer(token)).status_code == 200
    assert call(make_client(), bearer(sign(iat=int(NOW) - 300, exp=int(NOW) - 20))).status_code == 200


def test_tenant_must_match_when_the_client_has_one(
    make_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    client = make_client(make_settings(client={"tenant": "hospital-a"}))
    assert call(client, bearer(sign(tenant="hospital-a"))).status_code == 200
    assert_refused(call(client, bearer(sign(tenant="hospital-b"))))
    assert_refused(call(client, bearer(sign())))


def test_feedback_accepts_the_feedback_url_or_the_service_url_as_aud(make_client: ClientFactory) -> None:
    client = make_client()
    body = {"feedback": [{"card": "c", "outcome": "overridden", "outcomeTimestamp": "2027-01-15T00:00:00Z"}]}
    path = "/cds-services/trial-eligibility/feedback"
    for aud in (SERVICE_URL + "/feedback", SERVICE_URL):
        assert client.post(path, json=body, headers=bearer(sign(aud=aud))).status_code == 200
    assert_refused(client.post(path, json=body, headers=bearer(sign(aud="http://testserver/cds-services"))))


def test_authentication_is_checked_before_the_service_is_looked_up(make_client: ClientFactory) -> None:
    assert_refused(call(make_client(), {}, path="/cds-services/no-such-service"))


def test_demo_mode_without_authentication_needs_no_token(
    make_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    assert call(make_client(make_settings(mode="demo")), {}).status_code == 200


def test_the_token_is_never_logged(make_client: ClientFactory, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="trialcds")
    client, good, bad = make_client(), sign(), sign(aud="https://wrong.example")
    call(client, bearer(good))
    call(client, bearer(bad))
    logged = "\n".join(f"{record.getMessage()} {vars(record)}" for record in caplog.records)
    assert "authentication refused" in logged
    for token in (good, bad):
        assert token not in logged and token.split(".")[2] not in logged


# --- keys from an allowlisted jku ---------------------------------------------------------------


@pytest.fixture
def jku_settings(make_settings: SettingsFactory) -> Any:
    return make_settings(client={"jwks": None, "jku": [JKU]})


def test_keys_are_fetched_from_an_allowlisted_jku(
    make_client: ClientFactory, jku_settings: Any, jwks_server: Any
) -> None:
    server = jwks_server({JKU: jwks_of(EC_KEY)})
    client = make_client(jku_settings, jwks_fetcher=server)
    assert call(client, bearer(sign(header={"jku": JKU}))).status_code == 200
    assert call(client, bearer(sign())).status_code == 200  # no jku: the client's only URL
    assert server.fetches == [JKU]


def test_a_rotated_key_is_found_by_refetching_the_jwks(
    make_client: ClientFactory, jku_settings: Any, jwks_server: Any, clock: Clock
) -> None:
    server = jwks_server({JKU: jwks_of(EC_KEY)})
    client = make_client(jku_settings, jwks_fetcher=server)
    assert call(client, bearer(sign())).status_code == 200
    rotated = OTHER_EC_KEY.as_dict(private=False) | {"kid": "ec-2"}
    server.documents[JKU] = {"keys": [rotated]}
    from joserfc.jwk import ECKey

    new_key = ECKey.import_key(OTHER_EC_KEY.as_dict(private=True) | {"kid": "ec-2"})
    clock.now += 120  # past the minimum refresh interval
    token = sign(new_key, iat=int(clock.now), exp=int(clock.now) + 300)
    assert call(client, bearer(token)).status_code == 200
    assert server.fetches == [JKU, JKU]


def test_unknown_kids_refetch_at_most_once_per_interval(
    make_client: ClientFactory, jku_settings: Any, jwks_server: Any
) -> None:
    server = jwks_server({JKU: jwks_of(EC_KEY)})
    client = make_client(jku_settings, jwks_fetcher=server)
    for index in range(5):
        assert_refused(call(client, bearer(sign(header={"kid": f"made-up-{index}"}))))
    assert server.fetches == [JKU]


def test_an_unreachable_jwks_refuses_the_token(
    make_client: ClientFactory, jku_settings: Any, jwks_server: Any
) -> None:
    client = make_client(jku_settings, jwks_fetcher=jwks_server({}))
    assert_refused(call(client, bearer(sign())))


def test_a_client_with_several_jku_urls_needs_the_token_to_name_one(
    make_client: ClientFactory, make_settings: SettingsFactory, jwks_server: Any
) -> None:
    second = "https://ehr.example.org/keys-2.json"
    settings = make_settings(client={"jwks": None, "jku": [JKU, second]})
    client = make_client(settings, jwks_fetcher=jwks_server({second: jwks_of(EC_KEY)}))
    assert_refused(call(client, bearer(sign())))
    assert call(client, bearer(sign(header={"jku": second}))).status_code == 200
