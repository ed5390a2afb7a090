"""The local HAPI FHIR sandbox used by the end-to-end tests and `trialcds sandbox`."""

from .errors import HapiBuildError, HapiError, HapiLoadError, HapiStartError
from .hapi import (
    DEFAULT_PORT,
    HapiServer,
    LoadReport,
    build,
    load,
    running,
    start,
    stop,
    wait_ready,
)

__all__ = [
    "DEFAULT_PORT",
    "HapiBuildError",
    "HapiError",
    "HapiLoadError",
    "HapiServer",
    "HapiStartError",
    "LoadReport",
    "build",
    "load",
    "running",
    "start",
    "stop",
    "wait_ready",
]
