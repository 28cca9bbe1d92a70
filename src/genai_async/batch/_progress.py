"""Counters, live progress and the final summary of a file batch run.

:class:`Stats` counts results in O(1) memory: latencies go to a logarithmic
histogram (2 % wide buckets) from which p50/p99 are read. :class:`Progress`
draws a one-line bar redrawn with ``\\r`` on a terminal (at most 10 times a
second) or prints a plain line every 2 seconds otherwise. No third-party code.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from typing import TextIO

from ._executor import BatchResult

__all__ = ("BatchSummary", "Progress", "Stats", "format_summary")

_BASE = math.log(1.02)
_MIN_LATENCY = 1e-4  # 0.1 ms: the first bucket
_BUCKETS = 1100  # up to ~0.1 ms * 1.02**1100, about 9 hours


class Stats:
    """Running counts of one file run."""

    __slots__ = (
        "_hist",
        "bad_lines",
        "duplicate_lines",
        "duplicates",
        "earlier_errors",
        "errors",
        "ok",
        "output_tokens",
        "prompt_tokens",
        "retries",
        "sent",
        "skipped",
    )

    def __init__(self) -> None:
        self.ok = self.errors = self.bad_lines = self.skipped = self.duplicates = 0
        self.retries = self.sent = self.prompt_tokens = self.output_tokens = 0
        self.earlier_errors = 0
        self.duplicate_lines: list[int] = []
        self._hist = [0] * _BUCKETS

    @property
    def processed(self) -> int:
        """Input lines dealt with so far: results written, skipped and duplicate lines."""
        return self.ok + self.errors + self.skipped + self.duplicates

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.output_tokens

    def add(self, result: BatchResult) -> None:
        self.add_values(
            result.error is None,
            result.attempts,
            result.latency_s,
            result.prompt_tokens,
            result.output_tokens,
        )

    def add_values(
        self, ok: bool, attempts: int, latency: float, prompt_tokens: int, output_tokens: int
    ) -> None:
        if ok:
            self.ok += 1
        else:
            self.errors += 1
        if attempts:
            self.sent += 1
            self.retries += attempts - 1
            self.prompt_tokens += prompt_tokens
            self.output_tokens += output_tokens
            bucket = 0
            if latency > _MIN_LATENCY:
                bucket = min(_BUCKETS - 1, int(math.log(latency / _MIN_LATENCY) / _BASE) + 1)
            self._hist[bucket] += 1

    def percentile(self, q: float) -> float | None:
        """Latency at quantile ``q`` (0..1) in seconds, within 2 %; ``None`` with no data."""
        count = sum(self._hist)
        if not count:
            return None
        rank = max(1, math.ceil(q * count))
        seen = 0
        for bucket, n in enumerate(self._hist):
            seen += n
            if seen >= rank:
                if bucket == 0:
                    return _MIN_LATENCY
                return float(_MIN_LATENCY * math.exp(_BASE * (bucket - 0.5)))
        return None  # pragma: no cover - unreachable


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a file run did.

    **Attributes:** ``total_lines`` (non-blank input lines read), ``ok`` and ``errors``
    (records written by this run; ``errors`` includes ``bad_lines``), ``skipped``
    (keys already in the output), ``duplicates`` and ``duplicate_lines`` (the first
    line numbers of repeated keys), ``earlier_errors`` (error records a resumed output
    already held), ``retries``, ``sent`` (requests that reached the sending stage and
    got a final answer), ``queued`` (keys handed to the engine), ``wall_s``, ``latency_p50_s``/``latency_p99_s``,
    ``prompt_tokens``/``output_tokens``, ``dry_run``.
    """

    total_lines: int
    ok: int
    errors: int
    bad_lines: int
    skipped: int
    duplicates: int
    duplicate_lines: tuple[int, ...]
    earlier_errors: int
    retries: int
    sent: int
    queued: int
    wall_s: float
    latency_p50_s: float | None
    latency_p99_s: float | None
    prompt_tokens: int
    output_tokens: int
    dry_run: bool = False

    @property
    def requests_per_s(self) -> float:
        return self.sent / self.wall_s if self.wall_s > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0: every record succeeded; 1: some records are errors (or keys repeated)."""
        return 1 if self.errors or self.earlier_errors or self.duplicates else 0


def _num(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Live progress of a run on ``stream``: a bar on a terminal, periodic lines otherwise."""

    __slots__ = (
        "_drawn",
        "_due",
        "_samples",
        "_started",
        "interval",
        "stats",
        "stream",
        "total",
        "tty",
    )

    def __init__(
        self, stats: Stats, stream: TextIO | None, *, tty: bool, total: int | None
    ) -> None:
        self.stats = stats
        self.stream = stream
        self.tty = tty
        self.total = total
        self.interval = 0.1 if tty else 2.0
        self._started = time.monotonic()
        self._due = self._started + self.interval
        self._samples: deque[tuple[float, int, int]] = deque()
        self._drawn = False

    def maybe_render(self) -> None:
        """Draw if the last drawing is old enough (cheap to call per result)."""
        now = time.monotonic()
        if now >= self._due:
            self.render(now)

    def render(self, now: float | None = None) -> None:
        if self.stream is None:
            return
        now = time.monotonic() if now is None else now
        self._due = now + self.interval
        stats = self.stats
        samples = self._samples
        samples.append((now, stats.sent, stats.tokens))
        while len(samples) > 2 and now - samples[0][0] > 5.0:
            samples.popleft()
        t0, sent0, tok0 = samples[0]
        span = now - t0
        if span > 0.05:
            rate, tok_rate = (stats.sent - sent0) / span, (stats.tokens - tok0) / span
        else:
            elapsed = max(now - self._started, 1e-9)
            rate, tok_rate = stats.sent / elapsed, stats.tokens / elapsed
        done = stats.processed
        total = self.total
        eta = "?"
        if total is not None and rate > 0:
            eta = _clock(max(0, total - done) / rate)
        head = f"{done}/{total}" if total is not None else f"{done}"
        tail = (
            f"{_num(rate)} req/s  {_num(tok_rate)} tok/s  errors {stats.errors}  "
            f"retries {stats.retries}  ETA {eta}"
        )
        if self.tty:
            bar = ""
            if total:
                filled = min(24, 24 * done // total)
                bar = f"[{'#' * filled}{'.' * (24 - filled)}] {100 * done / total:5.1f}% "
            self.stream.write(f"\r{bar}{head}  {tail}\x1b[K")
            self._drawn = True
        else:
            percent = f" ({100 * done / total:.1f}%)" if total else ""
            self.stream.write(f"progress: {head}{percent}  {tail}\n")
        self.stream.flush()

    def close(self) -> None:
        """Draw the final state and end the bar's line."""
        if self.stream is None:
            return
        self.render()
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def format_summary(summary: BatchSummary) -> str:
    """The summary printed at the end of a run (a few lines, no trailing newline)."""
    s = summary
    written = s.ok + s.errors
    head = "dry run" if s.dry_run else "done"
    lines = [
        f"{head}: {s.total_lines} input lines in {s.wall_s:.2f} s  |  ok {s.ok}, "
        f"errors {s.errors} (bad lines {s.bad_lines}), skipped {s.skipped} (already in output), "
        f"duplicates {s.duplicates}"
    ]
    if s.duplicates:
        shown = ", ".join(str(n) for n in s.duplicate_lines)
        more = " ..." if s.duplicates > len(s.duplicate_lines) else ""
        lines.append(f"duplicate keys at lines {shown}{more} (not sent again)")
    if s.earlier_errors:
        lines.append(f"the output already held {s.earlier_errors} error records from earlier runs")
    if s.dry_run:
        lines.append(f"{s.queued} requests would be sent")
    else:
        p50 = "-" if s.latency_p50_s is None else f"{s.latency_p50_s * 1000:.1f} ms"
        p99 = "-" if s.latency_p99_s is None else f"{s.latency_p99_s * 1000:.1f} ms"
        lines.append(
            f"{written} records written, {s.sent} sent: {s.requests_per_s:.1f} req/s, "
            f"latency p50 {p50} p99 {p99}, retries {s.retries}, "
            f"tokens in {s.prompt_tokens} out {s.output_tokens}"
        )
    return "\n".join(lines)
