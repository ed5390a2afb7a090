"""The fhirServer allowlist matches exact base URLs, so a request cannot steer the service elsewhere."""

from __future__ import annotations

import pytest

from cds.service.fhir_server_policy import is_allowed, normalize_base_url

ALLOWED = ["https://ehr.example.org/fhir/r4"]


@pytest.mark.parametrize(
    "url",
    [
        "https://ehr.example.org/fhir/r4",
        "https://ehr.example.org/fhir/r4/",
        "HTTPS://EHR.EXAMPLE.ORG/fhir/r4",
        "https://ehr.example.org:443/fhir/r4",
    ],
)
def test_spellings_of_an_allowlisted_base_url_are_allowed(url: str) -> None:
    assert is_allowed(url, ALLOWED)


@pytest.mark.parametrize(
    "url",
    [
        "http://ehr.example.org/fhir/r4",  # downgraded scheme
        "https://ehr.example.org:8443/fhir/r4",  # another port
        "https://ehr.example.org/fhir",  # parent path
        "https://ehr.example.org/fhir/r4/admin",  # deeper path
        "https://ehr.example.org/fhir/r4/../../internal",  # dot segments
        "https://ehr.example.org.evil.test/fhir/r4",  # look-alike host
        "https://user@ehr.example.org/fhir/r4",  # userinfo
        "https://ehr.example.org/fhir/r4?x=1",  # query
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "file:///etc/passwd",
        "not a url",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    assert not is_allowed(url, ALLOWED)


def test_an_empty_allowlist_allows_nothing() -> None:
    assert not is_allowed("https://ehr.example.org/fhir/r4", [])


def test_ipv6_hosts_keep_their_brackets() -> None:
    assert normalize_base_url("http://[::1]:8080/fhir/") == "http://[::1]:8080/fhir"


def test_bad_port_is_refused() -> None:
    with pytest.raises(ValueError, match="port"):
        normalize_base_url("https://ehr.example.org:99999/fhir")
