"""Results of evaluations, kept by the content they were computed from.

EHRs fire `patient-view` each time a chart opens; when the patient's data, the evaluation date and the
protocols are the same, so is the result. The key is a SHA-256 of exactly those inputs (resources in
a canonical JSON form), so a changed record is a new key, never a stale answer. A result that came
from the prefetch alone is also kept under the digest of the prefetch's bytes as sent: a client that
sends the same bytes again is answered without reading them (a second entry for the same result).
Only results are kept: cards (with their fresh uuids) are built for every response. Patient data
stays in this process's memory, bounded, as the evaluation's own data does.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import msgspec

from ..eligibility.results import PatientResult

# Members sorted at every level; a Decimal written as the number it was read as, digit for digit
# (11.20 is not 11.2, and neither is the string "11.20"). Eight times faster than Python's json here.
_CANONICAL = msgspec.json.Encoder(order="sorted", decimal_format="number")


def content_key(resources: Iterable[Any], *context: str | None) -> str:
    """SHA-256 of the context and the resources in one canonical JSON text: members sorted, resources
    in (type, id) order so two EHR searches returning the same records in another order agree."""
    ordered = sorted(resources, key=_identity)
    return hashlib.sha256(_CANONICAL.encode([context, ordered])).hexdigest()


def sent_key(prefetch_digest: str, *context: str) -> str:
    """SHA-256 of a prefetch's digest (of the bytes the client sent) and the context; a JSON text of
    another shape than content_key's, so the two kinds of key never meet."""
    return hashlib.sha256(_CANONICAL.encode(["sent", prefetch_digest, context])).hexdigest()


def _identity(resource: Any) -> tuple[str, str]:
    if not isinstance(resource, dict):
        return ("", "")
    return (str(resource.get("resourceType", "")), str(resource.get("id", "")))


class ResultCache:
    """A bounded least-recently-used map from content keys to evaluation results."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, PatientResult] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> PatientResult | None:
        if self.size == 0:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, result: PatientResult) -> None:
        if self.size == 0:
            return
        with self._lock:
            self._items[key] = result
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
