"""Process-level memory policy for long-running commands (the service, evaluate, screen)."""

from __future__ import annotations

import gc


def settle_after_loading() -> None:
    """Take everything loaded so far out of the cycle collector's reach.

    Compiled CQL, the FHIR model and the value sets live as long as the process (~290,000 objects
    with both trials loaded). Each full collection walked all of them: 146 ms measured, which was
    the p99 of hook calls under load. Frozen objects are still freed by reference counting; only the
    cycle search skips them. Called after loading, before the first request or patient: once the
    trials are compiled and, for `trialcds evaluate`, again once the patients' records are read.
    """
    gc.collect()
    gc.freeze()
