"""One round of the memory benchmark, in a fresh process: ``python -m bench.memory EVENTS [DATA] [INSTALL]``.

Streams EVENTS events of the data set DATA (``realistic`` by default, or ``light``) from a loopback
server (``bench.servers ws --lazy``: turns that complete normally, again and again) through a real
``ChatStream`` into a ``ChatAccumulator``, with the msgspec paths on (INSTALL ``fast``) or off
(``plain``, ``speedups.disabled()``), and prints one JSON line: RSS before (stream open, first frame's
events applied, after a full collection), RSS after (same), the peak, what the accumulator keeps by
design (the chat's persisted messages), and RSS once the accumulator is dropped (``released``).

``light`` turns are long (1,500-2,500 token-sized text deltas), so a million events make a few hundred
turns and what stays is mostly the stream's own state. ``realistic`` turns persist two messages per
step, with long tool outputs: the chat the accumulator keeps grows by design, and ``growth_mb`` counts
it; ``growth_without_chat_mb`` (RSS after dropping the accumulator, after a collection and a
``malloc_trim``, minus RSS before) is what the stream and the accumulator keep beyond the chat. It errs
high, never low: memory freed but not returned to the system still counts.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import json
import sys
import time

from bench import data
from bench.harness import peak_rss_bytes, rss_bytes
from bench.servers import ServerProcess

TURN_OPTIONS = {"light": {"text_deltas": [1500, 2500]}, "realistic": {}}


def _trim() -> None:
    """Give freed heap memory back to the system (glibc), so that RSS shows what is still in use."""
    name = ctypes.util.find_library("c")
    if name:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(name).malloc_trim(0)


def run(events: int, data_set: str = "realistic", install: str = "fast") -> dict[str, float]:
    from coder_chat._runtime import speedups

    mode = contextlib.nullcontext() if install == "fast" else speedups.disabled()
    if install == "fast" and not speedups.available:
        raise RuntimeError("install 'fast' needs msgspec (the fast extra)")
    with mode:
        return _run(events, data_set)


def _run(events: int, data_set: str) -> dict[str, float]:
    from coder_chat.client import AuthenticatedClient
    from coder_chat.streaming import ChatAccumulator, StreamDisconnectedError, stream_chat

    options = json.dumps(TURN_OPTIONS[data_set])
    args = ("ws", "--events", str(events), "--full", "--lazy", "--data", data_set, "--turn-options", options)
    with ServerProcess(*args) as server:
        client = AuthenticatedClient(base_url=server.url, token="bench-session-token")
        state = ChatAccumulator(data.CHAT_ID)
        stream = stream_chat(client, data.CHAT_ID, reconnect=False)
        count = 0
        events_iter = iter(stream)
        try:
            for event in events_iter:  # the first frame: everything the first use allocates once
                state.apply(event)
                count += 1
                if count == data.BATCH:
                    break
            gc.collect()
            _trim()
            before = rss_bytes()
            start = time.perf_counter()
            try:
                for event in events_iter:
                    state.apply(event)
                    count += 1
            except StreamDisconnectedError:  # the server's close frame after the last event
                pass
            elapsed = time.perf_counter() - start
        finally:
            stream.close()
            client.close()
        gc.collect()
        after = rss_bytes()
        peak = peak_rss_bytes()
    if count < 0.99 * events:  # exactly-once delivery drops only a few repeated statuses
        raise RuntimeError(f"the stream delivered {count} of {events} events")
    kept = state.messages
    kept_json = sum(len(data.dumps(message.to_dict())) for message in kept)
    messages_kept = len(kept)
    del kept, state, event
    gc.collect()
    _trim()
    released = rss_bytes()
    return {
        "events": count,
        "rss_before": before,
        "rss_after": after,
        "growth_mb": (after - before) / 2**20,
        "growth_without_chat_mb": max(0, released - before) / 2**20,
        # An upper bound: VmHWM may date from before the measured part (it rarely does: RSS only grew).
        "peak_growth_mb": max(0, peak - before) / 2**20,
        "events_per_s": (count - data.BATCH) / elapsed,
        "messages_kept": messages_kept,
        "messages_json_mb": kept_json / 2**20,
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]), *sys.argv[2:4])))
