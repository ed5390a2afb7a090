"""Where feedback and issued cards are kept: SQLite by default, PostgreSQL by URL (SQLAlchemy Core).

Feedback only names a card uuid, so each card the service returns is registered (uuid -> service,
patient, protocol or cohort) and feedback is tied back to a patient and a trial through it. That is
what "a card overridden for a patient and trial is not shown again for N days" needs.

Patient ids are unique only within one EHR, so every row carries its partition: the client's issuer
and, when the client sends one, its tenant. Clients may report the same outcome more than once; a
(card, outcome) pair is stored once. User comments are stored for review but never logged.
Times are stored as naive UTC, because SQLite keeps no offsets.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

Outcome = Literal["accepted", "overridden"]

log = logging.getLogger("trialcds.service.feedback")

# How long SQLite itself waits for another process's write (`trialcds serve --workers N`). Writers
# within one process never get that far: the store lets them in one at a time (see _writing).
SQLITE_BUSY_TIMEOUT_MS = 5000
# How often the store's thread moves a SQLite WAL into the database file.
CHECKPOINT_EVERY_S = 1.0

metadata = sa.MetaData()

issued_cards = sa.Table(
    "issued_card",
    metadata,
    sa.Column("uuid", sa.String, primary_key=True),
    sa.Column("service_id", sa.String, nullable=False),
    sa.Column("patient_id", sa.String, nullable=False),
    sa.Column("protocol_key", sa.String),
    sa.Column("issuer", sa.String, nullable=False),
    sa.Column("tenant", sa.String),
    sa.Column("issued_at", sa.DateTime, nullable=False),
)

feedback = sa.Table(
    "card_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("card_uuid", sa.String, nullable=False),
    sa.Column("outcome", sa.String, nullable=False),
    sa.Column("service_id", sa.String, nullable=False),
    sa.Column("patient_id", sa.String),
    sa.Column("protocol_key", sa.String),
    sa.Column("issuer", sa.String, nullable=False),
    sa.Column("tenant", sa.String),
    sa.Column("reason_code", sa.String),
    sa.Column("reason_system", sa.String),
    sa.Column("reason_display", sa.String),
    sa.Column("user_comment", sa.Text),
    sa.Column("accepted_suggestions", sa.JSON, nullable=False),
    sa.Column("outcome_at", sa.DateTime, nullable=False),
    # The outcome time, but never later than its arrival: a client clock far in the future must
    # not suppress a card for longer than the configured window.
    sa.Column("effective_at", sa.DateTime, nullable=False),
    sa.Column("received_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("card_uuid", "outcome", name="uq_card_feedback_card_outcome"),
    sa.Index(
        "ix_card_feedback_suppression",
        "issuer",
        "tenant",
        "patient_id",
        "protocol_key",
        "outcome",
        "effective_at",
    ),
)


@dataclass(frozen=True)
class Partition:
    """Whose patient ids these are: one client (issuer), optionally one of its tenants."""

    issuer: str
    tenant: str | None = None


@dataclass(frozen=True)
class IssuedCard:
    uuid: str
    service_id: str
    patient_id: str
    protocol_key: str | None
    partition: Partition
    issued_at: datetime


@dataclass(frozen=True)
class Feedback:
    card_uuid: str
    service_id: str
    outcome: Outcome
    outcome_at: datetime
    partition: Partition
    patient_id: str | None = None
    protocol_key: str | None = None
    accepted_suggestions: tuple[str, ...] = ()
    reason_code: str | None = None
    reason_system: str | None = None
    reason_display: str | None = None
    user_comment: str | None = field(default=None, repr=False)


class FeedbackStore:
    """Synchronous store. The app calls a SQLite store where the request runs (`local`), any other
    from a worker thread."""

    def __init__(self, url: str, checkpoint_every_s: float = CHECKPOINT_EVERY_S) -> None:
        self.engine = make_engine(url)
        metadata.create_all(self.engine)
        # SQLite takes one writer at a time and makes the others sleep and retry (up to 100 ms a
        # try): under concurrent hook calls that was a p99 of 543 ms. Queueing writers on a lock
        # here costs nothing, since they could not have written at once anyway. PostgreSQL needs none.
        self._write_lock: AbstractContextManager[Any] = (
            threading.Lock() if self.engine.dialect.name == "sqlite" else nullcontext()
        )
        self._register = _insert_ignoring_repeats(self.engine.dialect.name, issued_cards, ["uuid"])
        self._suppression: dict[tuple[bool, bool], sa.Select[Any]] = {}
        # (WAL frames, frames moved) of each checkpoint the store's thread ran; the latest few.
        self.checkpoints: deque[tuple[int, int]] = deque(maxlen=16)
        self._closing = threading.Event()
        self._checkpointer: threading.Thread | None = None
        if _wal_file(self.engine):
            self._checkpointer = threading.Thread(
                target=self._checkpoint_every,
                args=(checkpoint_every_s,),
                name="feedback-checkpoint",
                daemon=True,
            )
            self._checkpointer.start()

    @property
    def local(self) -> bool:
        """True for a SQLite file (or memory): a call takes a fraction of a millisecond and never waits
        on a network, so the service makes it where it is rather than in a worker thread."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._write_lock, self.engine.begin() as connection:
            yield connection

    def close(self) -> None:
        if self._checkpointer is not None:
            self._closing.set()
            self._checkpointer.join(timeout=5)
        self.engine.dispose()

    def _checkpoint_every(self, seconds: float) -> None:
        """Move the WAL into the database file, off the request path (see _sqlite_engine). PASSIVE:
        it never waits for, nor holds up, a writer; its fsync runs without the GIL."""
        while not self._closing.wait(seconds):
            try:
                with self.engine.connect() as connection:
                    row = connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
                self.checkpoints.append((int(row[1]), int(row[2])))
            except SQLAlchemyError as error:
                # The WAL keeps growing until a later try succeeds; nothing is lost meanwhile.
                log.warning("feedback database checkpoint failed", extra={"error_type": type(error).__name__})

    def record_issued(self, cards: Iterable[IssuedCard]) -> None:
        rows = [_issued_row(card) for card in cards]
        if rows:
            # One prepared statement for all rows: this runs on every hook call that shows a card.
            with self._writing() as connection:
                connection.execute(self._register, rows)

    def issued(self, card_uuid: str) -> IssuedCard | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(issued_cards).where(issued_cards.c.uuid == card_uuid)).first()
        return None if row is None else _issued_card(row._mapping)

    def record(self, items: Iterable[Feedback], received_at: datetime) -> int:
        """Store feedback; returns how many items were new (repeats of a card's outcome are not)."""
        rows = [_feedback_row(item, received_at) for item in items]
        if not rows:
            return 0
        with self._writing() as connection:
            return _insert_new(connection, feedback, rows, ["card_uuid", "outcome"])

    def feedback_for(self, card_uuid: str) -> list[Feedback]:
        query = sa.select(feedback).where(feedback.c.card_uuid == card_uuid).order_by(feedback.c.id)
        with self.engine.connect() as connection:
            return [_feedback(row._mapping) for row in connection.execute(query)]

    def suppressed(
        self,
        patient_id: str,
        protocol_key: str,
        now: datetime,
        days: int,
        *,
        partition: Partition,
        service_id: str | None = None,
    ) -> bool:
        """True when a card for this patient and trial was overridden in the last `days` days."""
        keys = self.suppressed_keys(
            patient_id, [protocol_key], now, days, partition=partition, service_id=service_id
        )
        return protocol_key in keys

    def suppressed_keys(
        self,
        patient_id: str,
        protocol_keys: Iterable[str],
        now: datetime,
        days: int,
        *,
        partition: Partition,
        service_id: str | None = None,
    ) -> frozenset[str]:
        """The subset of `protocol_keys` overridden for this patient in the last `days` days."""
        wanted = sorted(set(protocol_keys))
        if days <= 0 or not wanted:
            return frozenset()
        query = self._suppression_query(partition.tenant is None, service_id is None)
        values = {
            "issuer": partition.issuer,
            "tenant": partition.tenant,
            "patient": patient_id,
            "keys": wanted,
            "since": naive_utc(now - timedelta(days=days)),
            "service": service_id,
        }
        with self.engine.connect() as connection:
            return frozenset(connection.execute(query, values).scalars())

    def _suppression_query(self, no_tenant: bool, any_service: bool) -> sa.Select[Any]:
        """The suppression lookup, built once per shape: building a statement costs more than running
        it, and it runs on every hook call that shows a card."""
        query = self._suppression.get((no_tenant, any_service))
        if query is None:
            query = (
                sa.select(feedback.c.protocol_key)
                .distinct()
                .where(
                    feedback.c.issuer == sa.bindparam("issuer"),
                    feedback.c.tenant.is_(None) if no_tenant else feedback.c.tenant == sa.bindparam("tenant"),
                    feedback.c.patient_id == sa.bindparam("patient"),
                    feedback.c.protocol_key.in_(sa.bindparam("keys", expanding=True)),
                    feedback.c.outcome == "overridden",
                    feedback.c.effective_at > sa.bindparam("since"),
                )
            )
            if not any_service:
                query = query.where(feedback.c.service_id == sa.bindparam("service"))
            self._suppression[(no_tenant, any_service)] = query
        return query


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        # psycopg 3 is the driver we ship; a bare postgresql:// would ask SQLAlchemy for psycopg2.
        return sa.create_engine(parsed.set(drivername="postgresql+psycopg"), pool_pre_ping=True)
    raise ValueError(f"the feedback database must be SQLite or PostgreSQL, not {backend}")


def _sqlite_engine(url: URL) -> Engine:
    in_memory = _in_memory(url.database)
    if not in_memory:
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
    # Worker threads share connections; an in-memory database exists once only on one connection.
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if in_memory:
        options["poolclass"] = StaticPool
    engine = sa.create_engine(url, **options)

    @sa.event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _: Any) -> None:
        cursor = connection.cursor()
        # WAL lets hook calls read while feedback is written; NORMAL sync is safe under WAL. No
        # automatic checkpoint: it runs inside a commit (12-16 ms with its fsync, every ~430 cards),
        # and commits run where hook requests run. FeedbackStore's thread checkpoints instead.
        pragmas = ["journal_mode=WAL", "synchronous=NORMAL", f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}"]
        if not in_memory:
            pragmas.append("wal_autocheckpoint=0")
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine


def _wal_file(engine: Engine) -> bool:
    """A SQLite database in a file: one whose WAL the store checkpoints itself."""
    return engine.dialect.name == "sqlite" and not _in_memory(engine.url.database)


def _in_memory(database: str | None) -> bool:
    return database in (None, "", ":memory:") or "mode=memory" in (database or "")


def _insert_ignoring_repeats(dialect: str, table: sa.Table, keys: list[str]) -> Any:
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing(index_elements=keys)


def _insert_new(connection: Connection, table: sa.Table, rows: list[dict[str, Any]], keys: list[str]) -> int:
    added = 0
    for row in rows:
        statement = _insert_ignoring_repeats(connection.dialect.name, table, keys).values(row)
        # Counting returned rows, not rowcount: drivers disagree on rowcount once RETURNING is implied.
        added += len(connection.execute(statement.returning(*(table.c[key] for key in keys))).all())
    return added


def naive_utc(moment: datetime) -> datetime:
    """
    >>> from datetime import timezone
    >>> naive_utc(datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))))
    datetime.datetime(2026, 3, 1, 10, 0)
    """
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _issued_row(card: IssuedCard) -> dict[str, Any]:
    return {
        "uuid": card.uuid,
        "service_id": card.service_id,
        "patient_id": card.patient_id,
        "protocol_key": card.protocol_key,
        "issuer": card.partition.issuer,
        "tenant": card.partition.tenant,
        "issued_at": naive_utc(card.issued_at),
    }


def _issued_card(row: Any) -> IssuedCard:
    return IssuedCard(
        uuid=row["uuid"],
        service_id=row["service_id"],
        patient_id=row["patient_id"],
        protocol_key=row["protocol_key"],
        partition=Partition(row["issuer"], row["tenant"]),
        issued_at=_aware(row["issued_at"]),
    )


def _feedback_row(item: Feedback, received_at: datetime) -> dict[str, Any]:
    outcome_at, received = naive_utc(item.outcome_at), naive_utc(received_at)
    return {
        "card_uuid": item.card_uuid,
        "outcome": item.outcome,
        "service_id": item.service_id,
        "patient_id": item.patient_id,
        "protocol_key": item.protocol_key,
        "issuer": item.partition.issuer,
        "tenant": item.partition.tenant,
        "reason_code": item.reason_code,
        "reason_system": item.reason_system,
        "reason_display": item.reason_display,
        "user_comment": item.user_comment,
        "accepted_suggestions": list(item.accepted_suggestions),
        "outcome_at": outcome_at,
        "effective_at": min(outcome_at, received),
        "received_at": received,
    }


def _feedback(row: Any) -> Feedback:
    return Feedback(
        card_uuid=row["card_uuid"],
        service_id=row["service_id"],
        outcome=row["outcome"],
        outcome_at=_aware(row["outcome_at"]),
        partition=Partition(row["issuer"], row["tenant"]),
        patient_id=row["patient_id"],
        protocol_key=row["protocol_key"],
        accepted_suggestions=tuple(row["accepted_suggestions"]),
        reason_code=row["reason_code"],
        reason_system=row["reason_system"],
        reason_display=row["reason_display"],
        user_comment=row["user_comment"],
    )
