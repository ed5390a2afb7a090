"""What the routes share: one instance per app, reached through a FastAPI dependency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from cds.service.engine import HookEngine
from cds.service.feedback_store import FeedbackStore
from cds.service.observability import Metrics
from cds.service.settings import Settings


@dataclass(frozen=True)
class ServiceState:
    settings: Settings
    engine: HookEngine
    store: FeedbackStore
    metrics: Metrics
    clock: Callable[[], float]

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)


async def service_state(request: Request) -> ServiceState:
    # A coroutine so that FastAPI does not send this lookup to a worker thread (see require_json).
    return cast(ServiceState, request.app.state.service)


State = Annotated[ServiceState, Depends(service_state)]
