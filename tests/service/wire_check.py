"""The spec's JSON rule as a test helper: no null and no empty string, array or object anywhere."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

# The only empty values the spec writes out: `{"cards": []}` and `{"services": []}` at the top.
ALLOWED_EMPTY_TOP_LEVEL = frozenset({"cards", "services"})


def empty_values(value: Any, path: str = "$") -> list[str]:
    """JSON paths of every null or empty value under `value` (the allowed top-level ones excepted)."""
    found: list[str] = []
    if value is None or (isinstance(value, str | list | dict) and not value):
        return [path]
    if isinstance(value, dict):
        for key, item in value.items():
            if path == "$" and key in ALLOWED_EMPTY_TOP_LEVEL and item == []:
                continue
            found += empty_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += empty_values(item, f"{path}[{index}]")
    return found


def assert_clean_json(response: Response) -> None:
    if "json" not in response.headers.get("content-type", "") or not response.content:
        return
    problems = empty_values(response.json())
    assert not problems, f"{response.request.method} {response.request.url}: empty values at {problems}"


class CheckedClient(TestClient):
    """A TestClient that walks every JSON response it receives for null and empty values."""

    def request(self, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        response = super().request(*args, **kwargs)
        assert_clean_json(response)
        return response
