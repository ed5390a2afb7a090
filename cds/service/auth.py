"""Client authentication per CDS Hooks 2.0.1 "Security and Safety": a JWT signed by the EHR.

Checks, in the order the best-practice guide gives: the issuer is allowlisted; the header names an
asymmetric algorithm we trust (RS384 or ES384; never `none`, never HMAC), a `kid`, and either no
`jku` or one on that client's list; the signature verifies with that client's key; `aud` is an
accepted value; `exp`, `iat` (and `nbf`, if sent) hold with a small leeway; the tenant matches when
configured; the `jti` was not seen before. Every failure raises the same `AuthenticationError`, which
the app answers with a bare 401: telling a caller which check failed helps only an attacker.
The token itself is never logged or kept; only iss and jti are.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import Depends, Request
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import Key
from joserfc.jwt import JWTClaimsRegistry

from cds.service.fhir_server_policy import is_allowed
from cds.service.jwks import JwksCache, JwksError, find_key, parse_key_set
from cds.service.replay import ReplayCache
from cds.service.settings import ANONYMOUS_ISSUER, ClientSettings, Settings

log = logging.getLogger("trialcds.service.auth")

ALGORITHMS = ("RS384", "ES384")
# Not strict about header members: clients add their own, and `crit` is refused separately.
_JWS = jws.JWSRegistry(algorithms=list(ALGORITHMS), strict_check_header=False)
_MAX_TOKEN_CHARS = 16 * 1024
# Every accepted jti is remembered until its token expires; a long one would be a memory lever.
_MAX_JTI_CHARS = 256


class AuthenticationError(Exception):
    """A request's credentials were refused; `reason` is for our log, never for the response."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AuthenticatedClient:
    """The CDS Client behind a request, as far as the service needs to know it."""

    issuer: str
    tenant: str | None
    fhir_servers: tuple[str, ...]

    def may_call(self, fhir_server: str) -> bool:
        return is_allowed(fhir_server, self.fhir_servers)


@dataclass(frozen=True)
class _Unverified:
    token: jws.CompactSignature
    header: dict[str, Any]
    claims: dict[str, Any]


class Authenticator:
    def __init__(
        self, settings: Settings, jwks: JwksCache, replay: ReplayCache, clock: Callable[[], float]
    ) -> None:
        self.required = settings.auth_required
        self.public_base_url = settings.public_base_url
        self._anonymous = AuthenticatedClient(ANONYMOUS_ISSUER, None, settings.anonymous_fhir_servers)
        self._clients = {client.iss: client for client in settings.clients}
        self._inline = {c.iss: parse_key_set(c.jwks) for c in settings.clients if c.jwks is not None}
        self._jwks = jwks
        self._replay = replay
        self._clock = clock
        self._leeway = settings.jwt_leeway_s
        self._max_lifetime = settings.jwt_max_lifetime_s

    async def authenticate(self, authorization: str | None, audiences: Sequence[str]) -> AuthenticatedClient:
        if not self.required:
            return self._anonymous
        try:
            return await self._verify(bearer_token(authorization), audiences)
        except AuthenticationError as error:
            log.info("authentication refused", extra={"reason": error.reason})
            raise

    async def _verify(self, token: str, audiences: Sequence[str]) -> AuthenticatedClient:
        unverified = _split(token)
        issuer = unverified.claims.get("iss")
        client = self._clients.get(issuer) if isinstance(issuer, str) else None
        if client is None:
            raise AuthenticationError("issuer not allowlisted")
        alg, kid = _check_header(unverified.header, client)
        key = await self._key(client, unverified.header.get("jku"), kid)
        try:
            valid = jws.validate_compact(unverified.token, key, [alg], _JWS)
        except (JoseError, ValueError) as error:
            raise AuthenticationError(f"signature check failed: {type(error).__name__}") from error
        if not valid:
            raise AuthenticationError("bad signature")
        now = self._clock()
        claims = unverified.claims
        _check_claims(claims, client, audiences, now, self._leeway, self._max_lifetime)
        if not self._replay.first_use(client.iss, claims["jti"], float(claims["exp"]), now):
            raise AuthenticationError("jti replayed")
        log.debug("authenticated", extra={"iss": client.iss, "jti": claims["jti"]})
        tenant = claims.get("tenant")
        return AuthenticatedClient(
            client.iss, tenant if isinstance(tenant, str) else client.tenant, client.fhir_servers
        )

    async def _key(self, client: ClientSettings, jku: object, kid: str) -> Key:
        if jku is None and client.iss in self._inline:
            key = find_key(self._inline[client.iss], kid)
            if key is None:
                raise AuthenticationError("unknown kid")
            return key
        url = _jwks_url(client, jku)
        try:
            return await self._jwks.key(url, kid)
        except JwksError as error:
            raise AuthenticationError(f"no key: {error}") from error


def bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > _MAX_TOKEN_CHARS:
        raise AuthenticationError("no bearer token")
    return token


def _split(token: str) -> _Unverified:
    """Header and claims, read before the signature is checked: only to find whose key to use."""
    try:
        compact = jws.extract_compact(token.encode("ascii"), registry=_JWS)
        claims = json.loads(compact.payload)
    except (JoseError, ValueError, UnicodeError, RecursionError) as error:
        # RecursionError: JSON nested past Python's limit, from a token not yet known to be genuine.
        raise AuthenticationError("not a compact JWS") from error
    header = dict(compact.headers())
    if not isinstance(claims, dict):
        raise AuthenticationError("claims are not an object")
    return _Unverified(compact, header, claims)


def _check_header(header: dict[str, Any], client: ClientSettings) -> tuple[str, str]:
    alg, kid, typ = header.get("alg"), header.get("kid"), header.get("typ")
    if alg not in ALGORITHMS:
        raise AuthenticationError("algorithm not allowed")
    if not isinstance(kid, str) or not kid:
        raise AuthenticationError("no kid")
    if not isinstance(typ, str) or typ.upper() != "JWT":
        raise AuthenticationError("typ is not JWT")
    # `crit` names extensions the verifier must understand; we understand none (RFC 7515 4.1.11).
    if "crit" in header or "b64" in header:
        raise AuthenticationError("critical header extension")
    return cast(str, alg), kid


def _jwks_url(client: ClientSettings, jku: object) -> str:
    if jku is None:
        if len(client.jku) == 1:
            return client.jku[0]
        raise AuthenticationError("no jku and no configured key set")
    if not isinstance(jku, str) or jku not in client.jku:
        raise AuthenticationError("jku not allowlisted")
    return jku


def _check_claims(
    claims: dict[str, Any],
    client: ClientSettings,
    audiences: Sequence[str],
    now: float,
    leeway: int,
    max_lifetime: int,
) -> None:
    accepted = list(client.audiences or audiences)
    registry = JWTClaimsRegistry(
        now=int(now),
        leeway=leeway,
        iss={"essential": True, "value": client.iss},
        aud={"essential": True, "values": accepted},
        exp={"essential": True},
        iat={"essential": True},
        jti={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise AuthenticationError(f"claims refused: {type(error).__name__}") from error
    if len(claims["jti"]) > _MAX_JTI_CHARS:
        raise AuthenticationError("jti too long")
    if claims["exp"] - now > max_lifetime + leeway:
        raise AuthenticationError("token lives too long")
    if client.tenant is not None and claims.get("tenant") != client.tenant:
        raise AuthenticationError("tenant mismatch")


def endpoint_audiences(base_url: str, path: str) -> tuple[str, ...]:
    """The `aud` values naming the endpoint at `path`.

    A feedback call is made on behalf of the service it reports on, and clients differ in which of
    the two URLs they put in `aud`, so both are accepted.

    >>> endpoint_audiences("https://cds.example.org/", "/cds-services/trials/feedback")
    ('https://cds.example.org/cds-services/trials/feedback', 'https://cds.example.org/cds-services/trials')
    """
    url = base_url.rstrip("/") + path
    if path.endswith("/feedback"):
        return url, url.removesuffix("/feedback")
    return (url,)


async def authenticated_client(request: Request) -> AuthenticatedClient:
    authenticator = cast(Authenticator, request.app.state.authenticator)
    base = authenticator.public_base_url or str(request.base_url)
    audiences = endpoint_audiences(base, request.url.path)
    return await authenticator.authenticate(request.headers.get("authorization"), audiences)


Client = Annotated[AuthenticatedClient, Depends(authenticated_client)]
