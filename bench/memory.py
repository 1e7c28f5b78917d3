"""One round of the memory benchmark, in a fresh process: ``python -m bench.memory EVENTS [DATA] [INSTALL]``.

Streams EVENTS events of the data set DATA (``realistic`` by default, ``light``, ``small-parts`` or ``v2``) from a
loopback server (``bench.servers ws --lazy``: turns that complete normally, again and again) through a real
``ChatStream`` into a ``ChatAccumulator``, with the msgspec paths on (INSTALL ``fast``) or off
(``plain``, ``speedups.disabled()``), and prints one JSON line.

``light`` turns (``v2``'s too) are long (1,500-2,500 token-sized text deltas), so a million events make a few
hundred turns and what stays is mostly the stream's own state. ``realistic`` turns persist two messages per
step, with long tool outputs, and ``small-parts`` turns one message of 5-20 short parts per step: the
chat the accumulator keeps grows by design, and ``growth_mb`` (RSS after the stream minus RSS before:
stream open, first frame's events applied, after a full collection and a ``malloc_trim``) counts it.

``growth_without_chat_mb`` is what the stream and the accumulator keep beyond the chat, the figure the
target is on. The chat's own size is measured, not estimated: ``chat_mb`` is what the heap gets back
(pymalloc's allocated blocks, read from ``sys._debugmallocstats``, plus glibc's in-use bytes, from
``mallinfo2``) when the accumulator lets go of its persisted messages, everything else still alive,
less ``utf8_cache_mb``: the UTF-8 copies the messages' non-ASCII strings were given on the way, which
the chat as decoded does not have (see ``utf8_cache_bytes``; a million realistic events with the fast
install: 44 MB, given by the exactly-once filter's msgspec digest of each persisted message).
Then ``growth_without_chat_mb`` is the larger of

* ``growth_mb - chat_mb + free_before_mb``: RSS growth that is not the chat's bytes. It holds the
  stream's and the accumulator's live state and any fragmentation and allocator overhead there is with
  the chat alive. ``free_before_mb`` (free heap space before: pymalloc arenas' unallocated bytes, glibc's
  free bytes) is added because the chat or the stream may have filled it without RSS growing; and
* ``live_beyond_chat_mb``: the heap's in-use bytes once the messages are let go, minus before, plus
  ``utf8_cache_mb`` (the live bytes kept beyond the chat; a guard in case RSS understates, e.g.
  allocations never touched).

So it errs high, never low. ``released_growth_mb`` is the figure this benchmark used to report: RSS once
the whole accumulator is dropped (after a collection and a ``malloc_trim``) minus RSS before. It errs
high by most of the chat's small objects: pymalloc gives an arena (1 MiB) back to the system only once
every block in it is free, and a few hundred small blocks that outlive the chat (the exactly-once
filter's message digests, the interpreter's free lists of tuples, dicts and lists, caches) are spread
over the arenas the chat filled. A million realistic events: 43 more arenas than before, holding 0.4 MB
more live blocks; RSS then counts 43 MB the process holds free for its next objects.

Where the heap cannot be read (no glibc ``mallinfo2``), ``growth_without_chat_mb`` falls back to
``released_growth_mb`` and ``method`` says so.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from bench import data
from bench.harness import peak_rss_bytes, rss_bytes
from bench.servers import ServerProcess

TURN_OPTIONS: dict[str, dict[str, Any]] = {"light": {"text_deltas": [1500, 2500]}, "realistic": {}, "small-parts": {}}
TURN_OPTIONS["v2"] = TURN_OPTIONS["light"]  # the light turns, with v2's part identities

MB = 2**20


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


_LIBC = _libc()


def _trim() -> None:
    """Give freed heap memory back to the system (glibc), so that RSS shows what is still in use."""
    if _LIBC is not None:
        with contextlib.suppress(AttributeError):
            _LIBC.malloc_trim(0)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


@dataclass(frozen=True)
class Heap:
    """The heap now, in bytes: ``in_use`` by live allocations, ``free`` held by the allocators for later ones."""

    in_use: int
    free: int


def _glibc_heap() -> Heap | None:
    """glibc's in-use bytes (all its arenas and mmapped chunks) and free bytes (free chunks and top)."""
    mallinfo2 = getattr(_LIBC, "mallinfo2", None)
    if mallinfo2 is None:
        return None
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return Heap(in_use=info.uordblks + info.hblkhd, free=info.fordblks)


_PYMALLOC_ARENAS = re.compile(r"^# arenas allocated current\s*=\s*([\d,]+)", re.MULTILINE)
_PYMALLOC_ALLOCATED = re.compile(r"^# bytes in allocated blocks\s*=\s*([\d,]+)", re.MULTILINE)
_ARENA_SIZE = re.compile(r"^\d+ arenas \* (\d+) bytes/arena", re.MULTILINE)


def _pymalloc_heap() -> Heap:
    """pymalloc's allocated bytes and the rest of its arenas (its arenas are mmapped: glibc never sees them).

    Zero for both without pymalloc (``PYTHONMALLOC=malloc``): glibc then serves every allocation."""
    with tempfile.TemporaryFile() as out:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(out.fileno(), 2)
            sys._debugmallocstats()  # CPython: writes to the C-level stderr
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode("ascii", "replace")
    allocated, arenas, arena_size = (
        pattern.search(text) for pattern in (_PYMALLOC_ALLOCATED, _PYMALLOC_ARENAS, _ARENA_SIZE)
    )
    if allocated is None:
        return Heap(in_use=0, free=0)
    in_use = int(allocated[1].replace(",", ""))
    total = int(arenas[1].replace(",", "")) * int(arena_size[1]) if arenas and arena_size else in_use
    return Heap(in_use=in_use, free=max(0, total - in_use))


def heap() -> Heap | None:
    """The whole heap (pymalloc and glibc) after a full collection; ``None`` where glibc's cannot be read."""
    gc.collect()
    glibc = _glibc_heap()
    if glibc is None:
        return None
    pymalloc = _pymalloc_heap()
    return Heap(in_use=glibc.in_use + pymalloc.in_use, free=glibc.free + pymalloc.free)


def _is_model(value: object) -> bool:
    return value.__class__.__module__.startswith("coder_chat.")


def utf8_cache_bytes(messages: list[Any]) -> int:
    """The bytes of the UTF-8 copies the strings in ``messages`` carry (the models, their dicts and lists).

    CPython keeps a non-ASCII string's UTF-8 form inside the string, for its lifetime, once C code asks
    for it (``PyUnicode_AsUTF8AndSize``: msgspec's JSON encoder does, for every such string it encodes).
    The chat as decoded has none; whatever gave its strings one kept that memory beyond the chat.
    """
    seen: set[int] = set()
    stack: list[Any] = list(messages)
    total = 0
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if value.__class__ is str:
            if not value.isascii():
                fresh = "".join((value[:1], value[1:]))  # an equal new string, without the cached copy
                total += sys.getsizeof(value) - sys.getsizeof(fresh)
        elif value.__class__ in (dict, list, tuple) or _is_model(value):
            stack.extend(gc.get_referents(value))  # a model's type is no model: never walked into
    return total


def run(events: int, data_set: str = "realistic", install: str = "fast") -> dict[str, float | str]:
    from coder_chat._runtime import speedups

    mode = contextlib.nullcontext() if install == "fast" else speedups.disabled()
    if install == "fast" and not speedups.available:
        raise RuntimeError("install 'fast' needs msgspec (the fast extra)")
    with mode:
        return _run(events, data_set)


def _run(events: int, data_set: str) -> dict[str, float | str]:
    from coder_chat.client import AuthenticatedClient
    from coder_chat.streaming import ChatAccumulator, StreamDisconnectedError, stream_chat

    heap()  # the first reading compiles and allocates what later ones reuse
    options = json.dumps(TURN_OPTIONS[data_set])
    args = ("ws", "--events", str(events), "--full", "--lazy", "--data", data_set, "--turn-options", options)
    with ServerProcess(*args) as server:
        client = AuthenticatedClient(base_url=server.url, token="bench-session-token", api_generation="experimental")
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
            heap_before = heap()
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
    kept_json = sum(len(data.dumps(message.to_dict()).encode("utf-8", "surrogatepass")) for message in kept)
    messages_kept = len(kept)
    utf8_cached = utf8_cache_bytes(kept)
    del kept, event
    # The chat's size: what the heap gets back when the accumulator lets go of its persisted messages
    # (the stream, its filter and the rest of the accumulator still alive), less the UTF-8 copies its
    # strings were given on the way. Private attributes: the accumulator has no public way to forget
    # its messages, and needs none.
    heap_with_chat = heap()
    state._messages.clear()
    state._sorted = []
    heap_without_chat = heap()
    del state
    gc.collect()
    _trim()
    released = rss_bytes()
    growth = after - before
    released_growth = max(0, released - before)
    figures: dict[str, float | str] = {
        "events": count,
        "rss_before": before,
        "rss_after": after,
        "growth_mb": growth / MB,
        "released_growth_mb": released_growth / MB,
        # An upper bound: VmHWM may date from before the measured part (it rarely does: RSS only grew).
        "peak_growth_mb": max(0, peak - before) / MB,
        "events_per_s": (count - data.BATCH) / elapsed,
        "messages_kept": messages_kept,
        "messages_json_mb": kept_json / MB,
    }
    if heap_before is None or heap_with_chat is None or heap_without_chat is None:
        figures.update(method="released RSS (no mallinfo2)", growth_without_chat_mb=released_growth / MB)
        return figures
    chat = heap_with_chat.in_use - heap_without_chat.in_use - utf8_cached
    live_beyond = heap_without_chat.in_use - heap_before.in_use + utf8_cached
    beyond = max(growth - chat + heap_before.free, live_beyond, 0)
    figures.update(
        method="RSS growth - chat heap bytes + free heap before",
        growth_without_chat_mb=beyond / MB,
        chat_mb=chat / MB,
        free_before_mb=heap_before.free / MB,
        utf8_cache_mb=utf8_cached / MB,
        live_beyond_chat_mb=live_beyond / MB,
    )
    return figures


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]), *sys.argv[2:4])))
