"""Eligibility results -> CDS Hooks cards."""

from .eligibility import CardContext, eligibility_card, eligibility_cards
from .medication import medication_cards

__all__ = ["CardContext", "eligibility_card", "eligibility_cards", "medication_cards"]
