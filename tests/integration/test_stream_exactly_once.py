"""Exactly-once delivery: a 5,000-delta turn through 60 dropped connections equals the clean run.

The fake server cuts each of the next 60 stream connections (TCP abort, no close frame) after a
seeded random number of frames, so drops land mid-snapshot and mid-turn. The turn is paced (about
1 ms per delta) so that the server is never far ahead of the consumer: deltas are only replayed
while their turn runs, and a connection cut after the turn ended would lose unread deltas on any
client. Every reconnection runs with zero backoff. It runs on the experimental fake (also as a seed
server that ignores ``after_id``) and on the current-Coder fake, whose parts carry their episode and
``seq`` and whose every connection replays the episode from ``seq`` 1 after a ``preview_reset``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.streaming import stream_chat
from tests.fakecoder import FakeCoder, Script
from tests.fakecoder.generation import GenerationName
from tests.support.generations import api_generation_of
from tests.support.stream_view import View, collect, status_is

PROMPT = "stream me a very long answer"
DELTAS = 5_000
DROPS = 60


# A new chat starts pending on the experimental API, running on v2 (API-v2.md §2.1).
STATUSES = {"experimental": ["pending", "running", "waiting"], "current": ["running", "waiting"]}


def _run(generation: GenerationName, *, pace: float, drops: list[int], ignore_after_id: bool) -> tuple[View, int]:
    """One turn in a fresh fake (so message and tool-call ids match between runs)."""
    script = Script(auto_run=False, text_deltas=DELTAS, delay=pace)
    with FakeCoder(script=script, generation=generation) as fake:
        fake.set_ignore_after_id(ignore_after_id)
        chat_id = fake.create_chat(PROMPT)
        for after_frames in drops:
            fake.drop_next_streams(after_frames)
        with (
            AuthenticatedClient(
                base_url=fake.url, token=fake.admin_token, api_generation=api_generation_of(fake)
            ) as client,
            stream_chat(client, chat_id, sleep=lambda _seconds: None, max_reconnect_attempts=5) as stream,
        ):
            fake.start_turn(chat_id)
            view = collect(stream, until=status_is("waiting"), timeout=60)
            return view, stream.reconnects


@pytest.fixture(scope="module")
def clean() -> Callable[[GenerationName], View]:
    """The fault-free run on a generation, made once per module."""
    views: dict[GenerationName, View] = {}

    def of(generation: GenerationName) -> View:
        if generation not in views:
            view, reconnects = _run(generation, pace=0.0, drops=[], ignore_after_id=False)
            assert reconnects == 0
            views[generation] = view
        return views[generation]

    return of


@pytest.mark.usefixtures("flavour")
@pytest.mark.slow
@pytest.mark.timeout(90)
@pytest.mark.parametrize(
    ("generation", "ignore_after_id"),
    [("experimental", False), ("experimental", True), ("current", False)],
    ids=["after_id", "seed-server-ignores-after_id", "v2"],
)
def test_many_drops_during_a_long_turn_deliver_exactly_once(
    clean: Callable[[GenerationName], View], generation: GenerationName, ignore_after_id: bool
) -> None:
    clean_view = clean(generation)
    rng = random.Random(20260301 + ignore_after_id)
    # Frames per connection before the cut (a reconnect's snapshot alone is up to ~20 frames here):
    # small enough that the drops are used up in the first half or so of the turn.
    drops = [rng.randint(3, 60) for _ in range(DROPS)]
    started = time.monotonic()
    faulty, reconnects = _run(generation, pace=0.001, drops=drops, ignore_after_id=ignore_after_id)
    elapsed = time.monotonic() - started

    # Each queued drop cuts one connection; a slow machine may end the turn before the last few.
    assert reconnects >= 50, f"only {reconnects} drops happened before the turn ended"
    assert len(clean_view.parts("text")) == DELTAS
    assert faulty.text == clean_view.text
    assert faulty.statuses == clean_view.statuses == STATUSES[generation]
    assert faulty.message_ids == clean_view.message_ids  # each persisted message once, in order
    assert [m["content"] for m in faulty.messages] == [m["content"] for m in clean_view.messages]
    assert faulty.normalized == clean_view.normalized  # and every event, in the same order
    case = "v2" if generation != "experimental" else "seed" if ignore_after_id else "after_id"
    print(f"exactly-once ({case}): {elapsed:.1f} s, {reconnects} reconnects")
