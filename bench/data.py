"""Deterministic chat data for the benchmarks: stream events, frames and ``ChatWithMessages`` bodies.

Everything is generated from a seed, so the client and its baseline see the very same bytes, and the
benchmark servers (separate processes) can rebuild the stream the parent measures without shipping it.
JSON is compact, as Go's encoder writes it, with non-ASCII text left raw. Frames hold at most 256
events (``chatStreamBatchSize``). Four data sets, ``DATA_SETS`` (generators: ``bench.gen_realistic``,
``bench.gen_common`` for ``light``, ``bench.gen_small_parts``, ``bench.gen_v2``):

* ``realistic`` (the default): what an agent's turns look like. Between turns, status changes and
  queue updates (a queued prompt taken off the queue and persisted as the user message). A turn is
  several steps; each step streams reasoning and text as token-sized deltas and one to four tool
  calls whose nested JSON arguments (edits of multi-line code, whole files, commands with their
  environment, search options, plans) arrive as ``args_delta`` fragments of a few tokens, then the
  complete call, then a tool result with long multi-line output (file contents, test runs, search
  matches, diffs). Each step persists an assistant message of 5-20 parts (the step's reasoning, text,
  calls and results, and more) and a tool message with the results. The big chat is the persisted
  messages of such a stream.
* ``light``: the earlier, easier data, kept for comparison: turns of mostly text deltas with at most
  one small tool call per step and short tool outputs.
* ``small-parts``: many small parts, where the per-event and per-part work dominates. A turn
  (sometimes ``pending`` and a queue update first, then ``running``) is 1-4 steps; a step is 5-20
  short parts, each streamed as the model streams it: reasoning and text one token (one to four words)
  per delta (a part is 2-20 tokens), tool calls with small flat arguments as ``args_delta`` fragments
  of 3-12 characters, then the whole call, then its short result (one line of output, a few words, or
  ``{"ok": true}``); then the assistant message that persists the step's parts, in order; ``waiting``
  ends the turn. Every persisted message is such an assistant message of 5-20 short parts (the
  prompts are not in the stream, as in ``light``), and the big chat is the persisted messages of
  such a stream: 5,000 messages of 5-20 short parts.
* ``v2``: the ``light`` data as current Coder (the v2 generation) streams it: every part carries its
  episode (``history_version``, ``generation_attempt``) and ``seq``, which the client's exactly-once
  delivery keys it by instead of a fingerprint. Its chat is ``light``'s.

``one_turn`` makes one long turn of a data set's events, as the turn benchmark's server streams it.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bench.gen_common import _TOOLS, CHAT_ID, MODEL_CONFIG_ID, OWNER_ID, SUBAGENT_ID, Gen, dumps
from bench.gen_realistic import AgentGen
from bench.gen_small_parts import SmallPartsGen
from bench.gen_v2 import V2Gen

__all__ = [
    "BATCH",
    "CHAT_ID",
    "DATA_SETS",
    "MODEL_CONFIG_ID",
    "OWNER_ID",
    "PROMPT",
    "SUBAGENT_ID",
    "TurnData",
    "batches",
    "chat_with_messages",
    "count_kinds",
    "dumps",
    "envelope",
    "one_turn",
    "stream_events",
    "stream_frames",
]

BATCH = 256
"""The seed server's ``chatStreamBatchSize``: the most events in one frame."""

DATA_SETS = ("realistic", "light", "small-parts", "v2")
"""The data sets, the one the README's figures come from first."""


def _generator(data: str, seed: int, chat_id: str) -> Gen:
    if data == "realistic":
        return AgentGen(seed, chat_id)
    if data == "light":
        return Gen(seed, chat_id)
    if data == "small-parts":
        return SmallPartsGen(seed, chat_id)
    if data == "v2":
        return V2Gen(seed, chat_id)
    raise ValueError(f"unknown data set {data!r}; choose from {', '.join(DATA_SETS)}")


def stream_events(
    count: int, *, seed: int = 1, chat_id: str = CHAT_ID, data: str = "realistic", **turn_options: Any
) -> Iterator[dict[str, Any]]:
    """``count`` events of consecutive turns (the last turn is cut wherever ``count`` ends).

    ``turn_options`` go to the ``light`` and ``v2`` turns (``text_deltas``, ``small_messages``); the others
    take none.
    """
    gen = _generator(data, seed, chat_id)
    produced = 0
    while True:
        for event in gen.turn(**turn_options):
            if produced == count:
                return
            produced += 1
            yield event


def batches(events: Iterator[dict[str, Any]], *, seed: int = 2, full: bool = False) -> Iterator[list[dict[str, Any]]]:
    """Group events into frames of at most ``BATCH`` events.

    ``full``: every frame but the last holds exactly 256 (a server draining a busy queue). Otherwise
    frame sizes vary as the server's non-blocking drain leaves them: a frame ends after any event
    with probability 1/48, and always at 256 events.
    """
    rng = random.Random(seed)
    batch: list[dict[str, Any]] = []
    for event in events:
        batch.append(event)
        if len(batch) == BATCH or (not full and rng.random() < 1 / 48):
            yield batch
            batch = []
    if batch:
        yield batch


def envelope(batch: list[dict[str, Any]]) -> str:
    """One seed-format frame: ``{"type":"data","data":[...]}``."""
    return dumps({"type": "data", "data": batch})


def stream_frames(
    count: int, *, seed: int = 1, full: bool = False, data: str = "realistic", **turn_options: Any
) -> list[str]:
    """The frames of a ``count``-event stream, as text."""
    events = stream_events(count, seed=seed, data=data, **turn_options)
    return [envelope(batch) for batch in batches(events, full=full)]


def chat_with_messages(messages: int, *, seed: int = 3, queued: int = 2, data: str = "realistic") -> dict[str, Any]:
    """A ``ChatWithMessages`` body: ``messages`` persisted messages, as ``GET /chats/{chat}`` returns them.

    ``realistic``: the messages a realistic stream persists (user prompts, then per step an assistant
    message of 5-20 parts and a tool message with the step's results). ``light``: user prompts,
    assistant messages of 5-20 short parts and tool results, drawn independently. ``small-parts``:
    the messages a small-parts stream persists (assistant messages of 5-20 short parts).
    """
    gen = _generator(data, seed, CHAT_ID)
    rng = gen.rng
    chat = {
        "id": CHAT_ID,
        "owner_id": OWNER_ID,
        "last_model_config_id": MODEL_CONFIG_ID,
        "title": "Fix the flaky websocket reconnection test",
        "status": "waiting",
        "created_at": gen.timestamp(),
        "updated_at": gen.timestamp(),
        "workspace_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "archived": False,
        "last_error": None,
    }
    out: list[dict[str, Any]] = []
    if isinstance(gen, AgentGen):
        gen.deltas_wanted = False  # the chat keeps only what was persisted
    while isinstance(gen, AgentGen | SmallPartsGen) and len(out) < messages:
        for event in gen.turn():
            if event["type"] == "message" and len(out) < messages:
                out.append(event["message"])
    while len(out) < messages:
        roll = rng.random()
        if roll < 0.2:
            out.append(gen.message("user", [{"type": "text", "text": gen.sentence(rng.randint(5, 60))}]))
        elif roll < 0.7:
            out.append(gen.message("assistant", gen.assistant_content(rng.randint(5, 20))))
        else:
            call_id = f"toolu_{rng.getrandbits(64):016x}"
            part = {
                "type": "tool-result",
                "tool_call_id": call_id,
                "tool_name": rng.choice(_TOOLS),
                "result": gen.result(),
            }
            out.append(gen.message("tool", [part]))
    return {"chat": chat, "messages": out, "queued_messages": [gen.queued() for _ in range(queued)]}


def count_kinds(frames: list[str]) -> dict[str, int]:
    """Events per type (``message_part`` split by part type), for the report."""
    counts: dict[str, int] = {}
    for frame in frames:
        for event in json.loads(frame)["data"]:
            kind = event["type"]
            if kind == "message_part":
                kind = "part:" + event["message_part"]["part"]["type"]
            counts[kind] = counts.get(kind, 0) + 1
    return counts


PROMPT = "prompt"
"""The turn benchmark's prompt."""


@dataclass(frozen=True)
class TurnData:
    """One turn as the turn benchmark's server serves it (``one_turn``): the chat before and after it,
    the answer to the prompt, the stream's events and how many text deltas they hold."""

    before: dict[str, Any]
    """``GET /chats/{chat}`` before the prompt: a chat of 4 messages (ids 1-4)."""
    reply: dict[str, Any]
    """The ``CreateChatMessageResponse`` to the prompt: its user message, persisted at once."""
    events: list[dict[str, Any]]
    """The stream: the prompt's message, ``running``, the turn's parts and persisted messages, ``waiting``."""
    after: dict[str, Any]
    """``GET /chats/{chat}`` after the turn: ``before``'s messages, the prompt, and the turn's last persisted
    message (not all of them: the REST share of the measured time stays small)."""
    text_deltas: int
    """The ``text`` parts among ``events``: what a consumer of the turn's text counts."""


def one_turn(count: int, *, seed: int = 1, data: str = "realistic") -> TurnData:
    """One long turn of ``count`` events: the data set's ``message_part`` events and non-user persisted
    messages (ids renumbered after the prompt's), in order, as the steps of one turn.

    Statuses, queue updates and user messages are left out: they would end the turn, or start another.
    """
    before = chat_with_messages(4, seed=seed + 2, queued=0, data=data)
    prompt_id = max(message["id"] for message in before["messages"]) + 1
    prompt = {
        "id": prompt_id,
        "chat_id": CHAT_ID,
        "created_at": before["chat"]["updated_at"],
        "role": "user",
        "content": [{"type": "text", "text": PROMPT}],
    }
    events: list[dict[str, Any]] = [
        {"type": "message", "chat_id": CHAT_ID, "message": prompt},
        {"type": "status", "chat_id": CHAT_ID, "status": {"status": "running"}},
    ]
    next_id = prompt_id + 1
    last = prompt
    text_deltas = 0
    source = _generator(data, seed, CHAT_ID)
    while len(events) < count - 1:
        for event in source.turn():
            if len(events) == count - 1:
                break
            if event["type"] == "message_part":
                text_deltas += event["message_part"]["part"]["type"] == "text"
            elif event["type"] == "message" and event["message"]["role"] != "user":
                last = {**event["message"], "id": next_id}
                event = {**event, "message": last}
                next_id += 1
            else:
                continue
            events.append(event)
    events.append({"type": "status", "chat_id": CHAT_ID, "status": {"status": "waiting"}})
    after = {**before, "messages": [*before["messages"], prompt, last]}
    reply = {"queued": False, "message": prompt}
    return TurnData(before=before, reply=reply, events=events, after=after, text_deltas=text_deltas)
