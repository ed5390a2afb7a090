"""Progress on stderr: a bar redrawn in place on a terminal, a line per tenth otherwise."""

from __future__ import annotations

import io

from cds.screening.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_without_a_terminal_a_plain_line_is_written_per_tenth_of_the_way() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress(out, 100, tty=False, clock=clock)
    progress.start()
    for _ in range(100):
        clock.now += 0.5
        progress.advance()
    progress.finish()
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and "\r" not in out.getvalue()
    assert lines[0] == "screened 0/100 patients"
    assert lines[-1] == "screened 100/100 patients, 2.0/s"


def test_on_a_terminal_the_bar_is_redrawn_on_one_line() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress(out, 4, tty=True, clock=clock)
    progress.start()
    for _ in range(4):
        clock.now += 1.0
        progress.advance()
    progress.finish()
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert "\r[" + "#" * 30 + "] screened 4/4 patients, 1.0/s" in text


def test_a_resumed_run_says_how_many_were_screened_before_and_counts_only_its_own_rate() -> None:
    out, clock = io.StringIO(), Clock()
    progress = Progress(out, 10, already=6, tty=False, clock=clock)
    progress.start()
    clock.now = 2.0
    for _ in range(4):
        progress.advance()
    assert out.getvalue().startswith("resuming: 6 of 10 patients already screened\n")
    assert progress.rate == 2.0


def test_patients_not_screened_are_counted_apart() -> None:
    out = io.StringIO()
    progress = Progress(out, 2, tty=False, clock=Clock())
    progress.advance(failed=True)
    assert progress.line() == "screened 1/2 patients, 1 not screened"
