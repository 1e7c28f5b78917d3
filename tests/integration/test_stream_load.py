"""Load: 50 ``ChatStream``s in 50 threads follow one turn while the fake server cuts their connections.

One chat, one paced assistant turn, 51 consumers. The first consumer is never cut: its transcript is
the fault-free one. Each of the 50 others has its first connection cut (TCP abort, no close frame)
after a seeded random number of frames, and 100 more cuts wait for whichever reconnections come
next, so drops land mid-snapshot and mid-turn on every stream. Each consumer's transcript must equal
the fault-free one event for event, and once every stream is closed and the server stopped, no
thread and no file descriptor (socket) of the run may be left.

The turn is paced (10 ms per delta, about 3 s in all) so that every cut happens, and is noticed,
while the turn still runs: a reconnect after the turn ended gets its persisted message instead of
the deltas, on any client (see ``test_stream_exactly_once``).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable

import pytest

from coder_chat.client import AuthenticatedClient
from coder_chat.streaming import ChatStream, stream_chat
from tests.fakecoder import FakeCoder, Script
from tests.support.stream_view import View, collect, status_is

pytestmark = pytest.mark.serial

STREAMS = 50
DELTAS = 300
PACE = 0.01
LATER_DROPS = 100
PROMPT = "fifty of you at once"


def no_sleep(_seconds: float) -> None:
    """Reconnect at once: the drops are the point, not the backoff."""


def open_fds() -> dict[int, str]:
    """This process's open file descriptors and what each points at."""
    found: dict[int, str] = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            found[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # the descriptor listdir itself used, already closed
            continue
    return found


def settle(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Wait (a little) for threads to finish and sockets to close; True once ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def snapshot(stream: ChatStream) -> View:
    """A new chat's snapshot: status pending, then the user's message (one frame)."""
    return collect(stream, until=lambda e: getattr(e.message, "role", None) == "user", timeout=10)


@pytest.mark.slow
@pytest.mark.timeout(60)
def test_fifty_streams_with_drops_each_see_the_fault_free_transcript() -> None:
    rng = random.Random(20260305)
    # The first server of a process makes libuv's process-wide signal pipe (uvloop), kept for good:
    # start one before taking the baseline, so that only what this run leaves behind is counted.
    FakeCoder().start().stop()
    threads_before = set(threading.enumerate())
    fds_before = open_fds()
    started = time.monotonic()
    views: list[View] = []
    streams: list[ChatStream] = []
    failures: list[BaseException] = []

    with FakeCoder(script=Script(auto_run=False, text_deltas=DELTAS, delay=PACE)) as fake:
        chat_id = fake.create_chat(PROMPT)
        client = AuthenticatedClient(
            base_url=fake.url, token=fake.admin_token, api_generation="experimental"
        )  # no probe: its pooled socket would count as a leak
        # The fault-free consumer connects (and has its snapshot) before any cut is queued.
        streams.append(stream_chat(client, chat_id, reconnect=False))
        views.append(snapshot(streams[0]))
        # One cut per faulty stream's first connection: each has taken its cut once its snapshot is in.
        for _ in range(STREAMS):
            fake.drop_next_streams(rng.randint(2, 8))
        for _ in range(STREAMS):
            streams.append(stream_chat(client, chat_id, sleep=no_sleep, max_reconnect_attempts=5))
            views.append(snapshot(streams[-1]))
        for _ in range(LATER_DROPS):
            fake.drop_next_streams(rng.randint(2, 12))

        def consume(stream: ChatStream, view: View) -> None:
            try:
                collect(stream, until=status_is("waiting"), timeout=30, view=view)
            except BaseException as exc:  # reported by the main thread
                failures.append(exc)
            finally:
                stream.close()

        consumers = [
            threading.Thread(target=consume, args=(stream, view), name=f"consumer-{n}", daemon=True)
            for n, (stream, view) in enumerate(zip(streams, views, strict=True))
        ]
        for thread in consumers:
            thread.start()
        fake.start_turn(chat_id)
        for thread in consumers:
            thread.join(timeout=40)
        assert not [t.name for t in consumers if t.is_alive()]
        assert failures == []
    elapsed = time.monotonic() - started

    clean, *faulty = views
    assert streams[0].reconnects == 0
    assert clean.statuses == ["pending", "running", "waiting"]
    assert len(clean.parts("text")) == DELTAS
    assert clean.text == Script(text_deltas=DELTAS).reply_text(PROMPT)
    assert [m["role"] for m in clean.messages] == ["user", "assistant", "tool"]
    reconnects = [stream.reconnects for stream in streams[1:]]
    assert min(reconnects) >= 1, reconnects  # every faulty stream was cut at least once
    assert sum(reconnects) >= STREAMS + LATER_DROPS // 2, reconnects
    mismatched = [n for n, view in enumerate(faulty, 1) if view.events != clean.events]
    assert mismatched == []
    assert all(stream.closed for stream in streams)

    # Nothing left behind: the consumers and the server's thread are gone, and so is every socket.
    assert settle(lambda: set(threading.enumerate()) <= threads_before), set(threading.enumerate()) - threads_before
    assert settle(lambda: open_fds().keys() <= fds_before.keys()), {
        fd: target for fd, target in open_fds().items() if fd not in fds_before
    }
    print(f"load: {STREAMS} streams, {sum(reconnects)} reconnects, {elapsed:.1f} s")
