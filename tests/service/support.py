"""Test doubles and builders for the service tests: keys, JWTs, a fake engine, hook requests."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from cds.service.auth import AuthenticatedClient
from cds.service.engine import PrefetchUnavailable
from cds.service.models import CdsResponse, HookRequest, Service

BASE = "http://testserver"
ISSUER = "https://ehr.example.org"
FHIR_SERVER = "https://ehr.example.org/fhir/r4"
SERVICE_URL = f"{BASE}/cds-services/trial-eligibility"
NOW = 1_800_000_000.0  # a fixed "now" (2027-01-15), so token times are reproducible

EC_KEY = ECKey.generate_key("P-384", parameters={"kid": "ec-1"})
RSA_KEY = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})
OTHER_EC_KEY = ECKey.generate_key("P-384", parameters={"kid": "ec-1"})


def jwks_of(*keys: ECKey | RSAKey) -> dict[str, Any]:
    return {"keys": [key.as_dict(private=False) for key in keys]}


def claims(**overrides: Any) -> dict[str, Any]:
    base = {
        "iss": ISSUER,
        "aud": SERVICE_URL,
        "iat": int(NOW),
        "exp": int(NOW) + 300,
        "jti": uuid.uuid4().hex,
    }
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def sign(
    key: ECKey | RSAKey = EC_KEY, header: Mapping[str, Any] | None = None, **claim_overrides: Any
) -> str:
    alg = "ES384" if isinstance(key, ECKey) else "RS384"
    full_header = {"alg": alg, "kid": key.kid, "typ": "JWT", **(header or {})}
    full_header = {k: v for k, v in full_header.items() if v is not None}
    return jwt.encode(full_header, claims(**claim_overrides), key, algorithms=[alg], default_type=None)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(
    header: Mapping[str, Any], payload: Mapping[str, Any], sign_with: Callable[[bytes], bytes]
) -> str:
    """A compact JWS built by hand, for tokens no well-behaved library would produce."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64(sign_with(signing_input.encode()))}"


def es384_signer(key: ECKey) -> Callable[[bytes], bytes]:
    def signer(data: bytes) -> bytes:
        r, s = decode_dss_signature(key.private_key.sign(data, ec.ECDSA(hashes.SHA384())))  # type: ignore[union-attr]
        return r.to_bytes(48, "big") + s.to_bytes(48, "big")

    return signer


def rs384_signer(key: RSAKey) -> Callable[[bytes], bytes]:
    def signer(data: bytes) -> bytes:
        return key.private_key.sign(data, padding.PKCS1v15(), hashes.SHA384())  # type: ignore[union-attr]

    return signer


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def card(summary: str = "Possible trial match: F01 (NCT06208280)", **extra: Any) -> dict[str, Any]:
    return {
        "summary": summary,
        "indicator": "info",
        "source": {"label": "trialcds", "url": "https://trialcds.example.org"},
        **extra,
    }


def eligibility_card(protocol: str, cohort: str | None = None) -> dict[str, Any]:
    result = {"protocol": protocol, "verdict": "possibly-eligible"}
    if cohort:
        result["cohort"] = cohort
    return card(
        summary=f"Possible trial match: {protocol}",
        extension={"trialcds.eligibility": result},
        overrideReasons=[
            {"code": "declined", "system": "https://trialcds.example.org/override", "display": "Declined"}
        ],
    )


def patient_view(patient: str = "p-1", **extra: Any) -> dict[str, Any]:
    return {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/dr-1", "patientId": patient},
        **extra,
    }


@dataclass(frozen=True)
class Call:
    service_id: str
    request: HookRequest
    client: AuthenticatedClient


@dataclass
class FakeEngine:
    """Answers every call with the configured cards, or raises the configured error; records calls."""

    cards_json: list[dict[str, Any]] = field(default_factory=list)
    error: Exception | None = None
    delay_s: float = 0.0
    calls: list[Call] = field(default_factory=list)

    def services(self) -> list[Service]:
        return [
            Service(hook="patient-view", id="trial-eligibility", title="Trials", description="Trial matches"),
            Service(hook="order-sign", id="trial-medication-check", description="Orders that break a trial"),
        ]

    def remembered_cards(
        self, service_id: str, request: HookRequest, prefetch_digest: str | None
    ) -> CdsResponse | None:
        return None  # every call reaches `cards`, where it is recorded

    async def cards(self, service_id: str, request: HookRequest, client: AuthenticatedClient) -> CdsResponse:
        self.calls.append(Call(service_id, request, client))
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if self.error is not None:
            raise self.error
        return CdsResponse.model_validate({"cards": self.cards_json})


def missing_prefetch() -> PrefetchUnavailable:
    return PrefetchUnavailable("prefetch key 'patient' is missing and no FHIR server may be called")


class Clock:
    """A settable clock (epoch seconds) shared by the app and the test."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
