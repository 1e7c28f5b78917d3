"""Capped, jittered exponential backoff for stream reconnection. Pure: no sleeping, no clock.

The schedule follows the official web client (``reconnectingWebSocket.ts``): the delay before
reconnection attempt ``n`` (0 for the first attempt after a drop) is
``min(initial * 2**n, maximum)``, then scaled by a uniform factor in ``[1 - jitter, 1 + jitter]``.
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable

__all__ = ["Backoff"]


class Backoff:
    """Delays between reconnection attempts: ``initial`` doubling up to ``maximum``, ±``jitter``.

    ``random`` returns floats in ``[0, 1)`` (default ``random.random``); inject a seeded one to get a
    reproducible schedule. The jitter is applied after the cap, as the web client does, so a delay can
    exceed ``maximum`` by up to ``jitter``.
    """

    __slots__ = ("_random", "initial", "jitter", "maximum")

    def __init__(
        self,
        initial: float = 1.0,
        maximum: float = 10.0,
        *,
        jitter: float = 0.3,
        random: Callable[[], float] | None = None,
    ) -> None:
        if not initial >= 0 or not maximum >= 0:  # also rejects NaN
            raise ValueError(f"backoff delays must be >= 0 (initial={initial!r}, maximum={maximum!r})")
        if not 0 <= jitter <= 1:
            raise ValueError(f"jitter must be within [0, 1], got {jitter!r}")
        self.initial = float(initial)
        self.maximum = float(maximum)
        self.jitter = float(jitter)
        self._random = random if random is not None else _random.random

    def base_delay(self, attempt: int) -> float:
        """The delay before attempt ``attempt`` (0-based) without jitter."""
        # Cap the exponent: 2**attempt for a large attempt would be a huge int, and the cap wins anyway.
        return min(self.initial * 2.0 ** min(max(attempt, 0), 64), self.maximum)

    def delay(self, attempt: int) -> float:
        """The jittered delay in seconds before attempt ``attempt`` (0-based); never negative."""
        factor = 1.0 + self.jitter * (2.0 * self._random() - 1.0)
        return max(0.0, self.base_delay(attempt) * factor)
