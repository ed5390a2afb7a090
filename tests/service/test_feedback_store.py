"""The feedback store, on SQLite and on a real PostgreSQL server (see conftest.postgres_url)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cds.service.feedback_store import Feedback, FeedbackStore, IssuedCard, Partition, make_engine

EHR = Partition("https://ehr.example.org")
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def overridden(card: str = "card-1", at: datetime = T0, **fields: object) -> Feedback:
    values: dict[str, object] = {
        "card_uuid": card,
        "service_id": "trial-eligibility",
        "outcome": "overridden",
        "outcome_at": at,
        "partition": EHR,
        "patient_id": "p-1",
        "protocol_key": "f01/dcssc",
    }
    values.update(fields)
    return Feedback(**values)  # type: ignore[arg-type]


def test_a_card_registry_entry_is_read_back(store: FeedbackStore) -> None:
    card = IssuedCard("card-1", "trial-eligibility", "p-1", "a-duse", Partition("iss", "tenant-a"), T0)
    store.record_issued([card])
    assert store.issued("card-1") == card
    assert store.issued("card-2") is None


def test_registering_the_same_card_twice_keeps_the_first(store: FeedbackStore) -> None:
    first = IssuedCard("card-1", "trial-eligibility", "p-1", "a-duse", EHR, T0)
    store.record_issued([first])
    store.record_issued([IssuedCard("card-1", "trial-eligibility", "p-2", "f01", EHR, T0)])
    assert store.issued("card-1") == first


def test_feedback_is_stored_with_reason_comment_and_suggestions(store: FeedbackStore) -> None:
    item = overridden(
        reason_code="declined",
        reason_system="https://trialcds.example.org/override",
        reason_display="Patient declined",
        user_comment="prefers to wait",
        accepted_suggestions=("s-1",),
    )
    assert store.record([item], received_at=T0) == 1
    assert store.feedback_for("card-1") == [item]


def test_the_same_card_and_outcome_is_stored_once(store: FeedbackStore) -> None:
    assert store.record([overridden(), overridden()], received_at=T0) == 1
    assert store.record([overridden(at=T0 + timedelta(minutes=5))], received_at=T0) == 0
    assert len(store.feedback_for("card-1")) == 1


def test_accepted_and_overridden_for_one_card_are_both_kept(store: FeedbackStore) -> None:
    accepted = overridden(outcome="accepted", accepted_suggestions=("s-1",))
    assert store.record([overridden(), accepted], received_at=T0) == 2
    assert [item.outcome for item in store.feedback_for("card-1")] == ["overridden", "accepted"]


def test_an_override_suppresses_the_trial_for_that_patient_for_n_days(store: FeedbackStore) -> None:
    store.record([overridden()], received_at=T0)
    assert store.suppressed("p-1", "f01/dcssc", T0 + timedelta(days=29), 30, partition=EHR)
    assert not store.suppressed("p-1", "f01/dcssc", T0 + timedelta(days=30, seconds=1), 30, partition=EHR)


def test_suppression_is_per_patient_and_per_trial(store: FeedbackStore) -> None:
    store.record([overridden()], received_at=T0)
    now = T0 + timedelta(days=1)
    assert not store.suppressed("p-2", "f01/dcssc", now, 30, partition=EHR)
    assert not store.suppressed("p-1", "f01/lcssc", now, 30, partition=EHR)
    assert not store.suppressed("p-1", "a-duse", now, 30, partition=EHR)


def test_an_accepted_card_suppresses_nothing(store: FeedbackStore) -> None:
    store.record([overridden(outcome="accepted", accepted_suggestions=("s-1",))], received_at=T0)
    assert not store.suppressed("p-1", "f01/dcssc", T0 + timedelta(days=1), 30, partition=EHR)


def test_zero_days_turns_suppression_off(store: FeedbackStore) -> None:
    store.record([overridden()], received_at=T0)
    assert not store.suppressed("p-1", "f01/dcssc", T0, 0, partition=EHR)


def test_suppression_stays_within_one_client_and_tenant(store: FeedbackStore) -> None:
    store.record([overridden(partition=Partition("https://ehr.example.org", "clinic-a"))], received_at=T0)
    now = T0 + timedelta(days=1)
    assert store.suppressed(
        "p-1", "f01/dcssc", now, 30, partition=Partition("https://ehr.example.org", "clinic-a")
    )
    assert not store.suppressed(
        "p-1", "f01/dcssc", now, 30, partition=Partition("https://ehr.example.org", "clinic-b")
    )
    assert not store.suppressed("p-1", "f01/dcssc", now, 30, partition=EHR)
    assert not store.suppressed(
        "p-1", "f01/dcssc", now, 30, partition=Partition("https://other-ehr.example.org")
    )


def test_suppression_can_be_limited_to_the_service_that_was_overridden(store: FeedbackStore) -> None:
    store.record([overridden()], received_at=T0)
    now = T0 + timedelta(days=1)
    assert store.suppressed("p-1", "f01/dcssc", now, 30, partition=EHR, service_id="trial-eligibility")
    assert not store.suppressed(
        "p-1", "f01/dcssc", now, 30, partition=EHR, service_id="trial-medication-check"
    )


def test_an_outcome_time_in_the_future_counts_from_its_arrival(store: FeedbackStore) -> None:
    # A client clock a year ahead must not hide the card for a year and a month.
    store.record([overridden(at=T0 + timedelta(days=365))], received_at=T0)
    assert not store.suppressed("p-1", "f01/dcssc", T0 + timedelta(days=31), 30, partition=EHR)


def test_times_in_other_offsets_compare_as_utc(store: FeedbackStore) -> None:
    plus_two = T0.astimezone(__import__("datetime").timezone(timedelta(hours=2)))
    store.record([overridden(at=plus_two)], received_at=T0 + timedelta(hours=1))
    assert store.feedback_for("card-1")[0].outcome_at == T0


def test_suppressed_keys_answers_for_several_trials_at_once(store: FeedbackStore) -> None:
    store.record([overridden(), overridden(card="card-2", protocol_key="a-duse")], received_at=T0)
    keys = store.suppressed_keys("p-1", ["f01/dcssc", "a-duse", "f01/lcssc"], T0, 30, partition=EHR)
    assert keys == {"f01/dcssc", "a-duse"}


def test_feedback_on_an_unknown_card_is_kept_without_patient(store: FeedbackStore) -> None:
    assert store.record([overridden(card="unknown", patient_id=None, protocol_key=None)], received_at=T0) == 1
    assert store.feedback_for("unknown")[0].patient_id is None


def test_other_databases_are_refused() -> None:
    with pytest.raises(ValueError, match="SQLite or PostgreSQL"):
        make_engine("mysql://db.example.org/cds")


def test_a_bare_postgresql_url_uses_the_psycopg_3_driver() -> None:
    engine = make_engine("postgresql://cds@db.example.org/cds")
    assert engine.dialect.driver == "psycopg"


def test_only_a_sqlite_store_is_local(store: FeedbackStore) -> None:
    # The service files cards in a local store where the request runs, in a network one from a thread.
    assert store.local is (store.engine.url.get_backend_name() == "sqlite")
    assert FeedbackStore("sqlite://").local


def test_an_in_memory_sqlite_store_works_across_threads() -> None:
    import threading

    memory = FeedbackStore("sqlite://")
    memory.record_issued([IssuedCard("card-1", "s", "p-1", None, EHR, T0)])
    seen: list[IssuedCard | None] = []
    worker = threading.Thread(target=lambda: seen.append(memory.issued("card-1")))
    worker.start()
    worker.join()
    assert seen[0] is not None
    memory.close()


def test_the_sqlite_file_and_its_folder_are_created(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "nested" / "feedback.sqlite3"
    FeedbackStore(f"sqlite:///{path}").close()
    assert path.exists()


def test_concurrent_writers_never_wait_on_the_sqlite_file_lock(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: 16 worker threads registering cards at once queued on SQLite's file lock, whose
    busy handler sleeps up to 100 ms a try (p99 543 ms measured). The store now lets one writer in at
    a time itself; with SQLite's own waiting turned off, any overlap would raise "database is locked"."""
    import threading
    from pathlib import Path

    from cds.service import feedback_store

    monkeypatch.setattr(feedback_store, "SQLITE_BUSY_TIMEOUT_MS", 0)
    store = FeedbackStore(f"sqlite:///{Path(str(tmp_path)) / 'feedback.sqlite3'}")
    errors: list[BaseException] = []

    def register(worker: int) -> None:
        try:
            for n in range(25):
                card = IssuedCard(
                    f"{worker}-{n}", "trial-eligibility", f"p{worker}", "a-duse", Partition("x"), T0
                )
                store.record_issued([card])
                store.record([overridden(f"{worker}-{n}")], T0)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=register, args=(worker,)) for worker in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.issued("15-24") is not None and len(store.feedback_for("7-3")) == 1


def test_a_sqlite_commit_never_checkpoints_the_wal_itself(tmp_path: object) -> None:
    """Regression: cards are filed where the request runs, and SQLite's automatic checkpoint (every
    1,000 WAL pages) ran inside the committing call: 12-16 ms with an fsync, every ~430 cards, with
    every other request waiting. The store's own thread checkpoints instead."""
    from pathlib import Path

    store = FeedbackStore(f"sqlite:///{Path(str(tmp_path)) / 'feedback.sqlite3'}")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    store.close()


def test_the_store_thread_moves_the_wal_into_the_database(tmp_path: object) -> None:
    import time
    from pathlib import Path

    store = FeedbackStore(f"sqlite:///{Path(str(tmp_path)) / 'feedback.sqlite3'}", checkpoint_every_s=0.02)
    for n in range(200):
        store.record_issued([IssuedCard(f"card-{n}", "trial-eligibility", "p-1", "a-duse", EHR, T0)])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(log and log == moved for log, moved in store.checkpoints):
        time.sleep(0.02)
    assert any(log and log == moved for log, moved in store.checkpoints)  # every WAL frame moved
    store.close()
    assert (
        FeedbackStore(f"sqlite:///{Path(str(tmp_path)) / 'feedback.sqlite3'}").issued("card-199") is not None
    )
