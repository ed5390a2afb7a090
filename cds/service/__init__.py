"""The CDS Hooks service: `create_app(settings, engine)` and the types an engine works with."""

from cds.service.app import create_app
from cds.service.auth import AuthenticatedClient
from cds.service.engine import HookEngine, PrefetchUnavailable
from cds.service.settings import Settings

__all__ = ["AuthenticatedClient", "HookEngine", "PrefetchUnavailable", "Settings", "create_app"]
