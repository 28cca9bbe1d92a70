"""Admission control shared by every request of one batch run (or one Dask worker).

:class:`Gate` decides when an attempt may be sent. It combines four things:

* a **concurrency window** on an anyio ``CapacityLimiter`` that follows AIMD:
  a 429 halves it (once per round trip: answers to attempts sent before the last
  cut do not cut again), each success grows it by ``1/window`` (about one slot
  per window of successes), never above the requested concurrency;
* a **shared pause**: a server delay (``Retry-After``, ``retry-after-ms`` or
  ``RetryInfo``) holds back every new send of the run until it has passed;
* **requests per minute** and **tokens per minute** pacing, each a GCRA
  ("virtual scheduling") reservation: an attempt takes the next free slot and
  sleeps until it, so requests are evenly spaced with no initial burst and no
  thundering herd. Tokens are charged from an estimate before the send and
  corrected by the real ``totalTokenCount`` afterwards (refunded on failure).

Only anyio primitives are used, so a gate runs on asyncio, uvloop and trio. A
gate must be built inside a running event loop and used on that loop only.
"""

from __future__ import annotations

import anyio

__all__ = ("Gate",)


class Gate:
    """Concurrency window, shared pause and RPM/TPM pacing for one run.

    **Parameters:** ``concurrency`` (the most attempts in flight), ``rpm`` and ``tpm``
    (``None`` or ``0``: unlimited).

    Usage::

        gate = Gate(64, rpm=600, tpm=None)
        seq = await gate.admit(est_tokens)
        try:
            ...send...
        finally:
            gate.release()
        gate.on_success(est_tokens, actual_tokens)   # or on_throttle(seq) / refund(est)
    """

    __slots__ = (
        "_cut_at",
        "_limiter",
        "_next_request",
        "_next_token",
        "_rpm_interval",
        "_sent",
        "_tpm_interval",
        "max_concurrency",
        "paused_until",
        "throttles",
        "window",
    )

    def __init__(
        self, concurrency: int, rpm: float | None = None, tpm: float | None = None
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        if (rpm is not None and rpm < 0) or (tpm is not None and tpm < 0):
            raise ValueError("rpm and tpm must be positive (or None for no limit)")
        self.max_concurrency = concurrency
        self.window = float(concurrency)
        self._limiter = anyio.CapacityLimiter(concurrency)
        self.paused_until = 0.0
        self._rpm_interval = 60.0 / rpm if rpm else 0.0
        self._tpm_interval = 60.0 / tpm if tpm else 0.0
        self._next_request = 0.0
        self._next_token = 0.0
        self._sent = 0
        self._cut_at = 0
        self.throttles = 0

    @property
    def limit(self) -> int:
        """The current concurrency limit (between 1 and ``max_concurrency``)."""
        return int(self._limiter.total_tokens)

    @property
    def in_flight(self) -> int:
        return self._limiter.borrowed_tokens

    @property
    def counts_tokens(self) -> bool:
        """Whether a TPM limit is set (callers skip the token estimate otherwise)."""
        return self._tpm_interval > 0.0

    async def admit(self, est_tokens: int = 0) -> int:
        """Wait until one attempt may be sent; returns its sequence number.

        Holds one concurrency slot on return: call :meth:`release` when the attempt ends.
        """
        limiter = self._limiter
        try:
            limiter.acquire_nowait()  # the usual case: no checkpoint, no scheduling round
        except anyio.WouldBlock:
            await limiter.acquire()
        try:
            if self.paused_until or self._rpm_interval or self._tpm_interval:
                await self._pace(est_tokens)
        except BaseException:
            limiter.release()
            raise
        self._sent += 1
        return self._sent

    async def _pace(self, est_tokens: int) -> None:
        now = anyio.current_time()
        if self.paused_until > now:
            await self._wait_pause()
            now = anyio.current_time()
        at = now
        if self._rpm_interval:
            at = max(at, self._next_request)
            self._next_request = at + self._rpm_interval
        if self._tpm_interval:
            slot = max(now, self._next_token)
            self._next_token = slot + est_tokens * self._tpm_interval
            at = max(at, slot)
        if at > now:
            await anyio.sleep(at - now)
            if self.paused_until > anyio.current_time():
                await self._wait_pause()  # a pause began while this attempt waited for its slot

    async def _wait_pause(self) -> None:
        while True:
            remaining = self.paused_until - anyio.current_time()
            if remaining <= 0:
                return
            await anyio.sleep(remaining)

    def release(self) -> None:
        """Give back the concurrency slot taken by :meth:`admit`."""
        self._limiter.release()

    def pause(self, seconds: float) -> None:
        """Hold back every new send for ``seconds`` from now (a longer pause wins)."""
        if seconds > 0:
            until = anyio.current_time() + seconds
            if until > self.paused_until:
                self.paused_until = until

    def on_success(self, est_tokens: int, actual_tokens: int) -> None:
        """An attempt succeeded: grow the window; settle its token charge."""
        window = self.window
        if window < self.max_concurrency:
            window = min(float(self.max_concurrency), window + 1.0 / window)
            self.window = window
            self._set_limit(int(window))
        if self._tpm_interval and actual_tokens != est_tokens:
            self._next_token += (actual_tokens - est_tokens) * self._tpm_interval

    def refund(self, est_tokens: int) -> None:
        """An attempt failed without using tokens: give its estimate back."""
        if self._tpm_interval and est_tokens:
            self._next_token -= est_tokens * self._tpm_interval

    def on_throttle(self, seq: int) -> None:
        """Attempt ``seq`` got a 429: halve the window, once per round trip."""
        self.throttles += 1
        if seq <= self._cut_at:
            return  # sent before the last cut: that cut already answered this congestion
        self._cut_at = self._sent
        self.window = max(1.0, self.window / 2.0)
        self._set_limit(int(self.window))

    def _set_limit(self, value: int) -> None:
        value = max(1, value)
        if value != self._limiter.total_tokens:
            self._limiter.total_tokens = value

    def __repr__(self) -> str:
        return (
            f"<Gate limit={self.limit}/{self.max_concurrency} in_flight={self.in_flight} "
            f"throttles={self.throttles}>"
        )
