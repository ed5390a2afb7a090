"""What the service reads off the engine's cards: which trial a card is about, and its uuid.

Per CONTRACT.md an eligibility card carries its result object under
`extension["trialcds.eligibility"]`, with `protocol` and, for protocols with cohorts, `cohort`.
That pair is the card's protocol key, the unit overrides suppress.
"""

from __future__ import annotations

import uuid

from cds.service.models import Card, CdsResponse

ELIGIBILITY_EXTENSION = "trialcds.eligibility"


def protocol_key(card: Card) -> str | None:
    """`protocol/cohort`, or `protocol` alone, from the card's eligibility extension.

    >>> from cds.service.models import Source
    >>> card = Card(summary="s", indicator="info", source=Source(label="l"),
    ...             extension={"trialcds.eligibility": {"protocol": "f01", "cohort": "dcssc"}})
    >>> protocol_key(card)
    'f01/dcssc'
    """
    result = (card.extension or {}).get(ELIGIBILITY_EXTENSION)
    if not isinstance(result, dict):
        return None
    protocol, cohort = result.get("protocol"), result.get("cohort")
    if not isinstance(protocol, str) or not protocol:
        return None
    return f"{protocol}/{cohort}" if isinstance(cohort, str) and cohort else protocol


def with_uuids(response: CdsResponse) -> CdsResponse:
    """Every card with a uuid: feedback can only name a card that has one."""
    if all(card.uuid is not None for card in response.cards):
        return response
    cards = tuple(
        card if card.uuid else card.model_copy(update={"uuid": uuid.uuid4()}) for card in response.cards
    )
    return response.model_copy(update={"cards": cards})
