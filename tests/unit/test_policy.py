"""The reconnection policy without sockets: every kind of drop and refusal, and the answer to each."""

from __future__ import annotations

import pytest

from coder_chat.client.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from coder_chat.streaming import StreamDisconnectedError, StreamTimeoutError
from coder_chat.streaming._connection.backoff import Backoff
from coder_chat.streaming._connection.policy import (
    FATAL_CLOSE_CODES,
    ConnectionDropped,
    Fail,
    IdleTimeout,
    ReconnectPolicy,
    ServerClosed,
    Wait,
)


def policy(*, reconnect: bool = True, max_attempts: int = 10) -> ReconnectPolicy:
    # No jitter: each delay is the base schedule, 1 s doubling to 10 s.
    return ReconnectPolicy(reconnect=reconnect, max_attempts=max_attempts, backoff=Backoff(1.0, 10.0, jitter=0.0))


def test_a_drop_after_frames_waits_the_first_delay_every_time() -> None:
    p = policy()
    for _ in range(20):
        assert p.dropped(ConnectionDropped("reset"), frames_received=3) == Wait(1.0)
        assert p.failures == 0


def test_failed_attempts_back_off_and_a_working_connection_resets_the_count() -> None:
    p = policy()
    assert p.dropped(ConnectionDropped("reset"), frames_received=1) == Wait(1.0)
    delays = [p.attempt_failed(APIConnectionError("refused")) for _ in range(5)]
    assert delays == [Wait(2.0), Wait(4.0), Wait(8.0), Wait(10.0), Wait(10.0)]
    assert p.failures == 5
    assert p.dropped(ServerClosed(1001, "going away"), frames_received=1) == Wait(1.0)
    assert p.failures == 0


def test_connections_cut_before_any_frame_count_as_failures_and_end_the_stream() -> None:
    p = policy(max_attempts=3)
    assert p.dropped(ConnectionDropped("eof"), frames_received=0) == Wait(2.0)
    assert p.dropped(ConnectionDropped("eof"), frames_received=0) == Wait(4.0)
    decision = p.dropped(ConnectionDropped("eof"), frames_received=0)
    assert isinstance(decision, Fail)
    assert type(decision.error) is StreamDisconnectedError
    assert "gave up after 3 consecutive failed reconnection attempts (max_reconnect_attempts=3)" in str(decision.error)
    assert isinstance(decision.error.__cause__, ConnectionDropped)


@pytest.mark.parametrize("code", sorted(FATAL_CLOSE_CODES))
def test_fatal_close_codes_end_the_stream_at_once(code: int) -> None:
    decision = policy().dropped(ServerClosed(code, "no"), frames_received=5)
    assert isinstance(decision, Fail)
    assert type(decision.error) is StreamDisconnectedError
    assert str(decision.error) == f"the server refused the stream: server closed the stream: {code} no"
    assert isinstance(decision.error.__cause__, ServerClosed)


@pytest.mark.parametrize("code", [1000, 1001, 1005, 1006, 1011, 1012, 1013, 4000, 4999])
def test_other_close_codes_are_drops(code: int) -> None:
    assert policy().dropped(ServerClosed(code, ""), frames_received=1) == Wait(1.0)


def test_without_reconnect_a_drop_ends_the_stream_with_the_matching_error() -> None:
    lost = policy(reconnect=False).dropped(ConnectionDropped("reset"), frames_received=1)
    assert isinstance(lost, Fail) and type(lost.error) is StreamDisconnectedError
    assert str(lost.error) == "chat stream disconnected: reset"
    silent = policy(reconnect=False).dropped(IdleTimeout("silent"), frames_received=1)
    assert isinstance(silent, Fail) and type(silent.error) is StreamTimeoutError
    assert isinstance(silent.error, APITimeoutError)


@pytest.mark.parametrize("refusal", [AuthenticationError, PermissionDeniedError, NotFoundError])
def test_a_refused_reconnection_other_than_5xx_or_429_raises_that_error(refusal: type[AuthenticationError]) -> None:
    p = policy()
    p.dropped(ConnectionDropped("reset"), frames_received=1)
    status = {AuthenticationError: 401, PermissionDeniedError: 403, NotFoundError: 404}[refusal]
    error = refusal(status, "nope")
    assert p.attempt_failed(error) == Fail(error)


def test_5xx_and_429_refusals_are_retried() -> None:
    p = policy()
    p.dropped(ConnectionDropped("reset"), frames_received=1)
    assert p.attempt_failed(ServerError(503, "busy")) == Wait(2.0)
    assert p.attempt_failed(RateLimitError(429, "slow down")) == Wait(4.0)
    assert p.attempt_failed(ServerError(520, "?")) == Wait(8.0)


def test_giving_up_after_timeouts_raises_stream_timeout_error() -> None:
    p = policy(max_attempts=2)
    assert p.dropped(IdleTimeout("silent"), frames_received=4) == Wait(1.0)
    assert p.attempt_failed(APITimeoutError("handshake timed out")) == Wait(2.0)
    decision = p.attempt_failed(APITimeoutError("handshake timed out"))
    assert isinstance(decision, Fail) and type(decision.error) is StreamTimeoutError
    # A last failure that was no timeout gives the plain disconnect error.
    q = policy(max_attempts=1)
    q.dropped(IdleTimeout("silent"), frames_received=4)
    last = q.attempt_failed(APIConnectionError("refused"))
    assert isinstance(last, Fail) and type(last.error) is StreamDisconnectedError


def test_zero_attempts_gives_up_on_the_first_drop() -> None:
    decision = policy(max_attempts=0).dropped(ConnectionDropped("reset"), frames_received=9)
    assert isinstance(decision, Fail) and type(decision.error) is StreamDisconnectedError


def test_jittered_delays_stay_within_thirty_percent() -> None:
    values = iter([0.0, 1.0] * 10)
    p = ReconnectPolicy(reconnect=True, max_attempts=10, backoff=Backoff(random=lambda: next(values)))
    first = p.dropped(ConnectionDropped("reset"), frames_received=1)
    second = p.attempt_failed(APIConnectionError("refused"))
    assert isinstance(first, Wait) and isinstance(second, Wait)
    assert (first.delay, second.delay) == pytest.approx((0.7, 2.6))


def test_negative_attempts_are_refused() -> None:
    with pytest.raises(ValueError, match="max_reconnect_attempts"):
        policy(max_attempts=-1)
