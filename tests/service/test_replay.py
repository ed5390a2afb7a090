"""The jti replay cache: a token id is accepted once while it can still be valid, memory stays bounded."""

from __future__ import annotations

from cds.service.replay import ReplayCache


def test_a_token_id_is_accepted_once() -> None:
    cache = ReplayCache(capacity=10)
    assert cache.first_use("iss", "jti-1", expires_at=100, now=0)
    assert not cache.first_use("iss", "jti-1", expires_at=100, now=50)


def test_the_same_jti_from_two_issuers_are_different_tokens() -> None:
    cache = ReplayCache(capacity=10)
    assert cache.first_use("ehr-a", "jti-1", expires_at=100, now=0)
    assert cache.first_use("ehr-b", "jti-1", expires_at=100, now=0)


def test_an_entry_is_forgotten_once_its_token_expired_beyond_the_leeway() -> None:
    cache = ReplayCache(capacity=10, leeway_s=30)
    cache.first_use("iss", "jti-1", expires_at=100, now=0)
    assert not cache.first_use("iss", "jti-1", expires_at=100, now=129)
    cache.first_use("iss", "other", expires_at=500, now=131)
    assert len(cache) == 1


def test_a_full_cache_evicts_the_entry_closest_to_expiry() -> None:
    cache = ReplayCache(capacity=2)
    cache.first_use("iss", "late", expires_at=300, now=0)
    cache.first_use("iss", "soon", expires_at=100, now=0)
    cache.first_use("iss", "new", expires_at=200, now=0)
    assert len(cache) == 2
    assert not cache.first_use("iss", "late", expires_at=300, now=1)
    assert not cache.first_use("iss", "new", expires_at=200, now=1)


def test_size_never_exceeds_capacity() -> None:
    cache = ReplayCache(capacity=50)
    for index in range(1000):
        cache.first_use("iss", f"jti-{index}", expires_at=10_000 + index % 7, now=0)
    assert len(cache) == 50
