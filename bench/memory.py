"""One round of the memory benchmark, in a fresh process: ``python -m bench.memory EVENTS``.

Streams EVENTS events from a loopback server (``bench.servers ws --lazy``: turns that complete
normally, status running → deltas → messages → status waiting, again and again) through a real
``ChatStream`` into a ``ChatAccumulator``, and prints one JSON line: RSS before (stream open, first
frame's events applied, after a full collection), RSS after (same), the peak, and what the
accumulator keeps by design (the chat's persisted messages).

Turns are long (1,500-2,500 token-sized text deltas, as an agent's turn is), so a million events make
a few hundred turns: what stays is then mostly the chat itself, and any per-event leak would show.
"""

from __future__ import annotations

import gc
import json
import sys
import time

from bench import data
from bench.harness import peak_rss_bytes, rss_bytes
from bench.servers import ServerProcess

TURN_OPTIONS = {"text_deltas": [1500, 2500]}


def run(events: int) -> dict[str, float]:
    from coder_chat.client import AuthenticatedClient
    from coder_chat.streaming import ChatAccumulator, StreamDisconnectedError, stream_chat

    options = json.dumps(TURN_OPTIONS)
    with ServerProcess("ws", "--events", str(events), "--full", "--lazy", "--turn-options", options) as server:
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
    return {
        "events": count,
        "rss_before": before,
        "rss_after": after,
        "growth_mb": (after - before) / 2**20,
        # An upper bound: VmHWM may date from before the measured part (it rarely does: RSS only grew).
        "peak_growth_mb": max(0, peak - before) / 2**20,
        "events_per_s": (count - data.BATCH) / elapsed,
        "messages_kept": len(kept),
        "messages_json_mb": kept_json / 2**20,
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]))))
