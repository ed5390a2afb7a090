"""Errors of the HAPI FHIR sandbox, each saying what to do about it."""

from __future__ import annotations


class HapiError(Exception):
    """Something about the local HAPI FHIR sandbox went wrong."""


class HapiBuildError(HapiError):
    """The launcher could not be built (Maven or the JDK missing, or the build failed)."""


class HapiStartError(HapiError):
    """The server could not be started, or did not answer in time."""


class HapiLoadError(HapiError):
    """HAPI refused a Bundle; the message names the Bundle and gives HAPI's diagnostics."""

    def __init__(self, bundle_name: str, status: int, diagnostics: str) -> None:
        super().__init__(f"bundle {bundle_name!r} was refused by HAPI (HTTP {status}): {diagnostics}")
        self.bundle_name = bundle_name
        self.status = status
        self.diagnostics = diagnostics
