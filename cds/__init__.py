"""trialcds: clinical-trial eligibility as CDS Hooks cards, with trial rules written in CQL."""

__version__ = "0.1.0"
