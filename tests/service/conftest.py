"""Fixtures for the service tests: settings, an app around a fake engine, a throwaway PostgreSQL."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from cds.service.app import create_app
from cds.service.feedback_store import FeedbackStore, metadata
from cds.service.jwks import JwksError
from cds.service.settings import Settings

from .support import EC_KEY, FHIR_SERVER, ISSUER, RSA_KEY, Clock, FakeEngine, jwks_of
from .wire_check import CheckedClient

PG_BINDIR = Path(os.environ.get("TRIALCDS_PG_BINDIR", "/usr/lib/postgresql/15/bin"))

SettingsFactory = Callable[..., Settings]
ClientFactory = Callable[..., CheckedClient]


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Production settings with one client (inline EC and RSA keys); keywords override fields."""

    def build(**overrides: Any) -> Settings:
        client: dict[str, Any] = {
            "iss": ISSUER,
            "jwks": jwks_of(EC_KEY, RSA_KEY),
            "fhir_servers": [FHIR_SERVER],
        }
        client.update(overrides.pop("client", {}))
        fields: dict[str, Any] = {
            "mode": "production",
            "clients": [client],
            "feedback_db_url": f"sqlite:///{tmp_path / 'feedback.sqlite3'}",
        }
        fields.update(overrides)
        return Settings(**fields)

    return build


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_client(make_settings: SettingsFactory, engine: FakeEngine, clock: Clock) -> Iterator[ClientFactory]:
    """An HTTP client on a fresh app; every JSON answer it gets is walked for empty values."""
    clients: list[CheckedClient] = []

    def build(settings: Settings | None = None, **options: Any) -> CheckedClient:
        app = create_app(settings or make_settings(), options.pop("engine", engine), clock=clock, **options)
        client = CheckedClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def jwks_server() -> Callable[[Mapping[str, Any]], Any]:
    """A JWKS fetcher double: serves the documents set per URL and counts fetches."""

    class Server:
        def __init__(self) -> None:
            self.documents: dict[str, Mapping[str, Any]] = {}
            self.fetches: list[str] = []

        async def __call__(self, url: str) -> Mapping[str, Any]:
            self.fetches.append(url)
            if url not in self.documents:
                raise JwksError("HTTP 404")
            return self.documents[url]

    def build(documents: Mapping[str, Any]) -> Server:
        server = Server()
        server.documents.update(documents)
        return server

    return build


# --- PostgreSQL --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres_user(directory: Path) -> list[str]:
    """Command prefix to run PostgreSQL's tools: initdb refuses to run as root."""
    if os.geteuid() != 0:
        return []
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root needs the postgres account (Debian's postgresql package creates it)")
    shutil.chown(directory, account.pw_uid, account.pw_gid)
    return ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", "--"]


def _run(command: list[str], log: Path | None = None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        server_log = log.read_text() if log is not None and log.exists() else ""
        pytest.fail(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}{server_log}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server of its own for this test session, on a free port, removed afterwards."""
    initdb, pg_ctl = PG_BINDIR / "initdb", PG_BINDIR / "pg_ctl"
    if not initdb.exists():
        pytest.fail(f"PostgreSQL binaries not found in {PG_BINDIR}: install Debian's postgresql package")
    # Not under pytest's tmp dir: that one is private to the current user, and the server runs as
    # the postgres user when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="trialcds-pg-"))
    data, log, port = root / "data", root / "server.log", _free_port()
    as_user = _as_postgres_user(root)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    try:
        _run(
            [
                *as_user,
                str(initdb),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "trialcds",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        _run(
            [
                *as_user,
                str(pg_ctl),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "-t",
                "30",
                "start",
            ],
            log,
        )
        yield f"postgresql+psycopg://trialcds@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            stop = [*as_user, str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop"]
            subprocess.run(stop, capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FeedbackStore]:
    """A fresh, empty feedback store on each backend."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        previous = FeedbackStore(url)
        metadata.drop_all(previous.engine)
        previous.close()
    else:
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    feedback_store = FeedbackStore(url)
    yield feedback_store
    feedback_store.close()
