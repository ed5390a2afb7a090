"""The progress of a screening run on stderr: a bar redrawn in place on a terminal, plain lines
(every tenth of the way) when the output is a file or a pipe, so logs stay readable."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 30
REDRAW_EVERY_S = 0.2


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """
    >>> bar(3, 10, 10)
    '[###.......]'
    >>> bar(0, 0, 4)
    '[####]'
    """
    filled = width if total == 0 else width * done // total
    return "[" + "#" * filled + "." * (width - filled) + "]"


def eta_text(seconds: float) -> str:
    """
    >>> eta_text(75.2), eta_text(3725)
    ('1:15', '1:02:05')
    """
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Counts screened patients out of `total`; `already` were screened by an earlier run."""

    def __init__(
        self,
        stream: TextIO,
        total: int,
        already: int = 0,
        *,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.total = total
        self.done = already
        self.failed = 0
        self._already = already
        self._tty = stream.isatty() if tty is None else tty
        self._clock = clock
        self._started = clock()
        self._last_draw = float("-inf")
        self._last_tenth = 10 * already // total if total else 10

    @property
    def rate(self) -> float:
        """Patients per second in this run (the earlier run's are not counted)."""
        elapsed = self._clock() - self._started
        return (self.done - self._already) / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        text = f"screened {self.done}/{self.total} patients"
        if self.failed:
            text += f", {self.failed} not screened"
        rate = self.rate
        if rate > 0:
            text += f", {rate:.1f}/s"
            if self.done < self.total:
                text += f", {eta_text((self.total - self.done) / rate)} left"
        return text

    def start(self) -> None:
        if self._already:
            self.stream.write(f"resuming: {self._already} of {self.total} patients already screened\n")
        self._draw(force=True)

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        self._draw(force=self.done == self.total)

    def finish(self) -> None:
        if self._tty:
            self._draw(force=True)
            self.stream.write("\n")
        elif self._last_tenth < 10:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def _draw(self, force: bool = False) -> None:
        if self._tty:
            now = self._clock()
            if force or now - self._last_draw >= REDRAW_EVERY_S:
                self._last_draw = now
                self.stream.write(f"\r{bar(self.done, self.total)} {self.line()}\x1b[K")
                self.stream.flush()
            return
        tenth = 10 * self.done // self.total if self.total else 10
        if tenth > self._last_tenth or (force and self.done == 0):
            self._last_tenth = tenth
            self.stream.write(self.line() + "\n")
            self.stream.flush()
