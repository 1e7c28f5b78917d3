"""The reconnection backoff: 1 s doubling to 10 s, ±30 % jitter, reproducible with a seeded random."""

from __future__ import annotations

import random

import pytest

from coder_chat.streaming._connection.backoff import Backoff


def test_base_schedule_doubles_and_caps() -> None:
    backoff = Backoff()
    assert [backoff.base_delay(n) for n in range(7)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0]
    assert backoff.base_delay(10_000) == 10.0  # no overflow for absurd attempt counts
    assert backoff.base_delay(-1) == 1.0


def test_jitter_extremes() -> None:
    assert Backoff(random=lambda: 0.0).delay(0) == pytest.approx(0.7)
    assert Backoff(random=lambda: 0.5).delay(2) == pytest.approx(4.0)
    assert Backoff(random=lambda: 1.0).delay(9) == pytest.approx(13.0)  # jitter applies after the cap


def test_seeded_sequence_is_reproducible_and_within_bounds() -> None:
    first = Backoff(random=random.Random(1234).random)
    second = Backoff(random=random.Random(1234).random)
    delays = [first.delay(n) for n in range(8)]
    assert delays == [second.delay(n) for n in range(8)]
    expected = random.Random(1234)
    assert delays == pytest.approx([min(2.0**n, 10.0) * (1 + 0.3 * (2 * expected.random() - 1)) for n in range(8)])
    for n, delay in enumerate(delays):
        base = min(2.0**n, 10.0)
        assert 0.7 * base <= delay <= 1.3 * base


def test_many_seeded_delays_stay_in_bounds() -> None:
    rng = random.Random(7)
    backoff = Backoff(0.5, 4.0, random=rng.random)
    for _ in range(2_000):
        attempt = rng.randrange(12)
        base = min(0.5 * 2**attempt, 4.0)
        assert 0.7 * base - 1e-12 <= backoff.delay(attempt) <= 1.3 * base + 1e-12


def test_configurable_initial_max_and_no_jitter() -> None:
    backoff = Backoff(0.25, 1.0, jitter=0.0)
    assert [backoff.delay(n) for n in range(5)] == [0.25, 0.5, 1.0, 1.0, 1.0]
    assert Backoff(0.0, 0.0).delay(3) == 0.0


@pytest.mark.parametrize(
    ("initial", "maximum", "jitter"),
    [(-1.0, 10.0, 0.3), (1.0, -1.0, 0.3), (float("nan"), 1.0, 0.3), (1.0, 10.0, 1.5), (1.0, 10.0, -0.1)],
)
def test_invalid_settings_are_rejected(initial: float, maximum: float, jitter: float) -> None:
    with pytest.raises(ValueError):
        Backoff(initial, maximum, jitter=jitter)
