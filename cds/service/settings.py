"""The service's settings: one pydantic-settings class read from `TRIALCDS_*` environment variables.

Outside `demo` mode the class refuses configurations that would expose patient data or let a request
steer the service (authentication off, credentialed wildcard CORS, plain-http endpoints that are not
on this machine); the error lists every problem at once so an operator fixes them in one pass.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cds.service.fhir_server_policy import normalize_base_url

Url = Annotated[str, Field(min_length=1)]
ANONYMOUS_ISSUER = "urn:trialcds:anonymous"
# Members of a JWK that only a private key has; a verifier never needs them.
_PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


class ClientSettings(BaseModel):
    """One CDS Client (an EHR) allowed to call the service."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    iss: Url
    # Public keys shared out of band, as a JWKS document ({"keys": [...]}).
    jwks: dict[str, Any] | None = None
    # JWKS URLs this client may name in a token's `jku` header. A token without `jku` uses the
    # inline `jwks`, or the URL here when exactly one is listed.
    jku: tuple[Url, ...] = ()
    # Accepted `aud` values. Empty means the spec's rule: the URL of the endpoint being invoked.
    audiences: tuple[Url, ...] = ()
    # FHIR server base URLs the service may call on this client's behalf (SSRF allowlist).
    fhir_servers: tuple[Url, ...] = ()
    # When set, the token's `tenant` claim must equal it.
    tenant: str | None = None

    @field_validator("jku", "fhir_servers")
    @classmethod
    def _absolute_http_urls(cls, urls: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(normalize_base_url(url) for url in urls)

    @field_validator("jwks")
    @classmethod
    def _public_verification_keys(cls, jwks: dict[str, Any] | None) -> dict[str, Any] | None:
        if jwks is None:
            return None
        keys = jwks.get("keys")
        if not isinstance(keys, list) or not keys:
            raise ValueError('jwks must be a JWKS document: {"keys": [...]}')
        for key in keys:
            if not isinstance(key, dict) or key.get("kty") not in ("RSA", "EC"):
                raise ValueError("jwks keys must be RSA or EC public keys (HMAC is not allowed)")
            if _PRIVATE_JWK_MEMBERS & key.keys():
                raise ValueError("jwks must hold public keys only; remove the private key members")
            if not isinstance(key.get("kid"), str) or not key["kid"]:
                raise ValueError("every jwks key needs a kid (tokens name their key by kid)")
        try:
            KeySet.import_key_set({"keys": keys})
        except (JoseError, ValueError, TypeError) as error:
            raise ValueError(f"jwks does not parse as keys: {error}") from error
        return jwks

    @model_validator(mode="after")
    def _has_a_key_source(self) -> ClientSettings:
        if self.jwks is None and not self.jku:
            raise ValueError(f"client {self.iss}: configure jwks or at least one jku URL")
        return self


class Settings(BaseSettings):
    """Everything an operator sets; `TRIALCDS_<FIELD>` in the environment, lists as JSON."""

    model_config = SettingsConfigDict(env_prefix="TRIALCDS_", frozen=True, extra="forbid")

    mode: Literal["demo", "production"] = "production"
    # None means the mode's default: on in production, off in demo.
    auth_enabled: bool | None = None
    clients: tuple[ClientSettings, ...] = ()
    # FHIR servers the service may call when authentication is off (demo only).
    anonymous_fhir_servers: tuple[Url, ...] = ()
    # Our own public URL (scheme, host, path prefix) as EHRs see it, for the default `aud` check.
    public_base_url: Url | None = None
    cors_origins: tuple[Url, ...] = ()
    cors_allow_credentials: bool = False
    max_request_bytes: int = Field(default=8 * 1024 * 1024, gt=0)
    feedback_db_url: Url = "sqlite:///var/trialcds-feedback.sqlite3"
    override_suppression_days: int = Field(default=30, ge=0)
    fhir_request_timeout_s: float = Field(default=3.0, gt=0)
    fhir_deadline_s: float = Field(default=8.0, gt=0)
    # Last-resort bound on one hook call, engine included; past it the EHR gets a 503, not a hang.
    hook_timeout_s: float = Field(default=10.0, gt=0)
    jwt_leeway_s: int = Field(default=30, ge=0, le=300)
    # Tokens living longer than this are refused: it bounds how long a jti must be remembered.
    jwt_max_lifetime_s: int = Field(default=3600, gt=0, le=3600)
    jwks_min_refresh_s: float = Field(default=60.0, ge=0)
    jwks_max_age_s: float = Field(default=3600.0, gt=0)
    jwks_fetch_timeout_s: float = Field(default=3.0, gt=0)
    jti_cache_size: int = Field(default=200_000, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # The evaluation date of every hook (YYYY-MM-DD); unset: today. The demo fixes it to the date its
    # synthetic patients were written for, so their verdicts do not drift as the calendar moves.
    as_of: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    # Evaluation results kept by the content they came from (repeat chart opens); 0 turns it off.
    result_cache_size: int = Field(default=2048, ge=0)

    @field_validator("anonymous_fhir_servers")
    @classmethod
    def _normalized(cls, urls: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(normalize_base_url(url) for url in urls)

    @property
    def auth_required(self) -> bool:
        return self.auth_enabled if self.auth_enabled is not None else self.mode != "demo"

    @model_validator(mode="after")
    def _safe(self) -> Settings:
        problems = _consistency_problems(self)
        if self.mode != "demo":
            problems += _production_problems(self)
        if problems:
            raise ValueError("unsafe or inconsistent trialcds settings:\n- " + "\n- ".join(problems))
        return self


def _consistency_problems(settings: Settings) -> list[str]:
    problems = []
    if "*" in settings.cors_origins and settings.cors_allow_credentials:
        # Starlette answers a credentialed wildcard by echoing any Origin: every site gets in.
        problems.append("TRIALCDS_CORS_ORIGINS '*' cannot be combined with credentials; list the origins")
    if settings.fhir_request_timeout_s > settings.fhir_deadline_s:
        problems.append("TRIALCDS_FHIR_REQUEST_TIMEOUT_S must not exceed TRIALCDS_FHIR_DEADLINE_S")
    if settings.fhir_deadline_s >= settings.hook_timeout_s:
        problems.append("TRIALCDS_HOOK_TIMEOUT_S must exceed TRIALCDS_FHIR_DEADLINE_S")
    issuers = [client.iss for client in settings.clients]
    if len(set(issuers)) != len(issuers):
        problems.append("TRIALCDS_CLIENTS lists an iss twice; merge those entries")
    return problems


def _production_problems(settings: Settings) -> list[str]:
    problems = []
    if not settings.auth_required:
        problems.append("authentication is off (TRIALCDS_AUTH_ENABLED=false) outside demo mode")
    elif not settings.clients:
        problems.append("authentication is on but TRIALCDS_CLIENTS lists no client")
    urls = [("TRIALCDS_PUBLIC_BASE_URL", settings.public_base_url)] if settings.public_base_url else []
    for client in settings.clients:
        urls += [(f"jku of {client.iss}", url) for url in client.jku]
        urls += [(f"fhir_servers of {client.iss}", url) for url in client.fhir_servers]
    problems += [
        f"{where}: {url} is plain http to another machine; use https"
        for where, url in urls
        if not _https_or_loopback(url)
    ]
    return problems


def _https_or_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and is_loopback_host(parts.hostname or "")


def is_loopback_host(host: str) -> bool:
    """True for names and addresses that never leave this machine.

    >>> [is_loopback_host(h) for h in ("localhost", "127.0.0.2", "::1", "10.0.0.1", "example.org")]
    [True, True, True, False, False]
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
