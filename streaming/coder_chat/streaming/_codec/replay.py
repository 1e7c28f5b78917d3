"""Exactly-once delivery across reconnects: what a consumer has already seen is not yielded again.

Pure. Every (re)connection makes the server replay a snapshot; ``ReplayFilter`` drops what the
consumer already has, by the rules of docs/protocol.md, "Exactly-once delivery": a persisted message
by id and ``fingerprint``, a status or a queue against the last one of its chat, the watched chat's
parts against a record of the current turn's (``frame_refs.py``), held while a replay may be under
way; v2's own identities are ``episodes.py``'s. On a reconnection an ``error``, ``retry`` or
``action_required`` equal to the last one of its type, with no status change between, is a replay too
(v2's sync repeats them while their state lasts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from coder_chat.client.models import ChatStreamEvent, ChatStreamEventType
from coder_chat.client.types import Unset

from .episodes import Episodes, episode_of, history_digests, rewritten
from .fingerprint import fingerprint
from .frame_refs import FrameRefs

__all__ = ["ReplayFilter"]

_LIVE, _ARMED, _MATCHING = "live", "armed", "matching"

_PART = ChatStreamEventType.MESSAGE_PART
_STATUS = ChatStreamEventType.STATUS
_MESSAGE = ChatStreamEventType.MESSAGE
_QUEUE = ChatStreamEventType.QUEUE_UPDATE
_PREVIEW_RESET = ChatStreamEventType.PREVIEW_RESET
_HISTORY_RESET = ChatStreamEventType.HISTORY_RESET
# Events a v2 sync repeats while their state lasts: one per status change reaches the consumer.
_STICKY = frozenset({ChatStreamEventType.ERROR, ChatStreamEventType.RETRY, ChatStreamEventType.ACTION_REQUIRED})
# Statuses a reconnection's sync yields at once (the chat is busy: its parts follow), not after its messages.
_BUSY = frozenset({"pending", "running", "interrupting"})


class ReplayFilter:
    """Filters the events of one chat stream so each reaches the consumer once.

    Call ``connection_opened()`` after every successful handshake (including the first), then
    ``feed(event)`` for each decoded event, in order; it returns the events to yield now (possibly
    none, possibly parts held back earlier followed by this event). ``last_message_id`` is the value
    for the next connection's ``after_id``.
    """

    def __init__(self, chat_id: UUID | str, *, after_id: int | None = None, max_tracked_messages: int = 10_000) -> None:
        if max_tracked_messages < 1:
            raise ValueError("max_tracked_messages must be at least 1")
        # The decoder gives events UUIDs, one object per id in a frame: compared by identity first.
        self._chat_uuid = chat_id if isinstance(chat_id, UUID) else UUID(chat_id)
        self._max_messages = max_tracked_messages
        # Persisted messages: id -> digest of its JSON. Ids <= _floor that are not tracked count as
        # seen: the caller's after_id, or ids evicted to keep the map bounded.
        self._messages: dict[int, int] = {}
        self._floor = after_id if after_id is not None else 0
        self._last_message_id = after_id
        self._last_status: dict[UUID, int] = {}
        self._last_queue: dict[UUID, int] = {}
        # The current turn's parts as yielded (their fingerprints, or references to them: see frame_refs.py),
        # and where a server replay may start within them.
        self._refs = FrameRefs(self._chat_uuid)
        self._record: list[int] = []
        self._starts: list[int] = []
        self._new_turn = False  # a changed status was yielded: the next live part starts a new record
        self._new_step = False  # a message was yielded: the next live part may be a replay start
        # Reconnect matching state.
        self._phase = _LIVE
        self._status_since_open = False
        self._candidates: list[int] = []  # record positions the next replayed part must equal
        self._complete_at: int | None = None  # held parts that form a complete replay so far
        self._held: list[ChatStreamEvent] = []
        self._held_digests: list[int] = []
        # v2: episodes and preview resets, a history_reset with its messages until it is compared, and
        # the last error, retry and action_required yielded since the last status change.
        self._episodes = Episodes()
        self._connections = 0
        self._history: list[ChatStreamEvent] | None = None
        self._history_in_sync = False  # the held history_reset opened its connection's sync
        self._fresh_connection = False  # no event of the watched chat since the connection opened
        self._last_sticky: dict[str, int] = {}
        # A reconnection's first status of the watched chat, unless busy: held until the sync's messages are
        # in (the sync's next event of another type, or the end of its frame), then yielded after them if it
        # changed or if the chat moved on while the stream was away (a message the consumer did not have:
        # the chat left that status and came back), else dropped. See docs/protocol.md, "Exactly-once delivery".
        self._sync_status_due = False
        self._sync_status: ChatStreamEvent | None = None
        self._moved_on = False  # a message of the watched chat was yielded in this connection's sync or since

    @property
    def last_message_id(self) -> int | None:
        """The highest persisted message id of the watched chat seen so far (or the initial ``after_id``)."""
        return self._last_message_id

    @property
    def turn_parts(self) -> int:
        """How many parts of the current turn are recorded (for tests and diagnostics)."""
        return len(self._record)

    def connection_opened(self) -> None:
        """A new connection is up: its snapshot replays the current turn from the start."""
        self._refs.resolve(self._record)  # the snapshot's parts are compared with the record
        self._held = []
        self._held_digests = []
        self._candidates = []
        self._complete_at = None
        self._status_since_open = False
        self._phase = _ARMED if self._record else _LIVE
        self._episodes.connection_opened(first=self._connections == 0)
        self._connections += 1
        self._history = None  # the new connection sends it again, whole
        self._fresh_connection = True
        if not self._sync_status_due and self._sync_status is None:
            self._moved_on = False  # (else the last sync was cut before its status: what it brought still counts)
        self._sync_status_due = self._connections > 1
        self._sync_status = None

    def frame_received(self, frame: str | bytes) -> None:
        """The next ``feed_all`` calls take ``frame``'s decoded events, in order, all of them: the record
        may then refer to its parts instead of fingerprinting them (``frame_refs.py``)."""
        self._refs.frame_received(frame)

    def frame_done(self) -> list[ChatStreamEvent]:
        """The frame announced last is fed whole: a sync status held back is decided now (``[]`` almost always)."""
        return [] if self._sync_status is None else self._release_sync_status()

    def feed_all(self, events: list[ChatStreamEvent]) -> list[ChatStreamEvent]:
        """``feed`` for each of ``events`` (a decoded frame, or the next events of the one announced by
        ``frame_received``), the results joined, in order."""
        out: list[ChatStreamEvent] = []
        keep = out.append
        # The bulk of a stream is live parts of the watched chat that only extend the recorded turn
        # (``_on_part``'s last branch) or, on v2, continue the episode the consumer follows
        # (``Episodes.continues``): taken here, with the state they read held in locals (at ~200k
        # events/s, each method call and attribute lookup counts). Any other event goes through feed(),
        # which may change that state, so it is read again after.
        extend_record, continues, chat_uuid = self._lanes()
        first = self._refs.refs(len(events))
        for ref, event in enumerate(events, first or 0):
            if event.type_ is _PART and event.chat_id is chat_uuid:
                if extend_record is not None:
                    extend_record(fingerprint(event.message_part) if first is None else ref)
                    keep(event)
                    continue
                if continues is not None and continues(event.message_part):
                    keep(event)
                    continue
            out += self.feed(event)
            extend_record, continues, chat_uuid = self._lanes()
        return out

    def _lanes(self) -> tuple[Callable[[int], None] | None, Callable[[object], bool] | None, object]:
        """``(append to the record, Episodes.continues, the watched chat's UUID)``: the first while a live
        part would only extend the record (``_on_part``'s last branch with neither a new turn nor a new
        step), the second while a v2 part goes straight to the episodes (no history held, not the first
        event of a connection); ``None`` otherwise, and both while a sync status is held (``feed`` decides it)."""
        held = self._sync_status is not None
        live = self._phase is _LIVE and not (self._new_turn or self._new_step or held) and self._record
        v2 = self._history is None and not self._fresh_connection and not held
        return (self._record.append if live else None), (self._episodes.continues if v2 else None), self._chat_uuid

    def feed(self, event: ChatStreamEvent) -> list[ChatStreamEvent]:
        """The events to hand to the consumer, in order, now that ``event`` arrived."""
        # ChatStreamEventType is a StrEnum: these compare as the wire strings (and match a plain str).
        kind, chat_id = event.type_, event.chat_id
        if chat_id is not self._chat_uuid and not self._watches(chat_id):
            if kind == _STATUS:
                return [event] if self._changed(self._last_status, event, event.status) else []
            if kind == _QUEUE:
                return [event] if self._changed(self._last_queue, event, self._queue_json(event)) else []
            return [event]
        out: list[ChatStreamEvent] = []
        if self._history is not None:
            if kind == _MESSAGE:
                self._history.append(event)
                return []
            out = self._resolve_history()
        if self._sync_status is not None and kind != _MESSAGE and kind != _HISTORY_RESET:
            out += self._release_sync_status()
        out += self._feed_watched(event)
        return out

    def _feed_watched(self, event: ChatStreamEvent) -> list[ChatStreamEvent]:
        """``feed`` for an event of the watched chat, no history being held."""
        kind = event.type_
        fresh, self._fresh_connection = self._fresh_connection, False
        if kind == _PART:
            identity = episode_of(event.message_part)
            if identity is not None:
                return self._episodes.part(event, *identity)
            return self._on_part(event)
        if kind == _PREVIEW_RESET:
            return self._episodes.preview_reset(event)
        self._episodes.other_event()
        if kind == _HISTORY_RESET:
            self._history, self._history_in_sync = [event], fresh
            return []
        out: list[ChatStreamEvent] = []
        if kind in (_STATUS, _MESSAGE, _QUEUE):
            out = self._end_replay(first_status=kind == _STATUS)
        if kind == _STATUS:
            sync, self._sync_status_due = self._sync_status_due, False
            if sync and getattr(event.status, "status", None) not in _BUSY:
                self._sync_status = event
            elif self._changed(self._last_status, event, event.status):
                out += self._status_changed(event)
        elif kind == _QUEUE:
            if self._changed(self._last_queue, event, self._queue_json(event)):
                out.append(event)
        elif kind == _MESSAGE:
            if self._accept_message(event):
                self._new_step = self._moved_on = True
                out.append(event)
        elif kind in _STICKY:
            digest = fingerprint((event.error, event.retry, event.action_required))
            # Only a reconnection's sync repeats them: on the first connection each one is news.
            if self._connections == 1 or self._last_sticky.get(kind) != digest:
                self._last_sticky[kind] = digest
                out.append(event)
        else:
            out.append(event)
        return out

    def _status_changed(self, event: ChatStreamEvent) -> list[ChatStreamEvent]:
        """A status of the watched chat that the consumer is to see: the chat changed state."""
        self._new_turn = True
        self._last_sticky.clear()
        if getattr(event.status, "status", None) == "running":
            # A turn starts: the server resets its part buffer (docs/protocol.md), so no later snapshot
            # replays the recorded parts. Forgetting them now means a turn that begins with the same deltas
            # as the last one is not taken for its replay.
            self._start_record()
            if self._phase == _ARMED:
                self._phase = _LIVE
        return [event]

    def _release_sync_status(self) -> list[ChatStreamEvent]:
        """The held sync status, decided (see ``__init__``)."""
        event, self._sync_status = self._sync_status, None
        if event is None or not (self._changed(self._last_status, event, event.status) or self._moved_on):
            return []
        return self._status_changed(event)

    def _resolve_history(self) -> list[ChatStreamEvent]:
        """A held ``history_reset`` and its messages (see ``episodes.py``): a rewrite is delivered whole
        and replaces what the filter knew; the connect sync of a history the consumer has (perhaps
        grown since) gives only its new messages."""
        history, self._history = self._history or [], None
        digests = history_digests(history[1:])
        if digests:
            highest = max(digests)
            if self._last_message_id is None or highest > self._last_message_id:
                self._last_message_id = highest
        knows_nothing = not self._messages and self._floor == 0
        if self._history_in_sync and not knows_nothing and not rewritten(digests, self._messages):
            out = [message for message in history[1:] if self._accept_message(message)]
            self._new_step = self._new_step or bool(out)
            self._moved_on = self._moved_on or bool(out)
            return out
        self._messages, self._floor = digests, 0
        while len(self._messages) > self._max_messages:
            evicted = min(self._messages)
            del self._messages[evicted]
            self._floor = max(self._floor, evicted)
        self._new_step = self._moved_on = True
        return history

    def _watches(self, chat_id: object) -> bool:
        """Whether ``chat_id`` is the watched chat's, held by another object (then matched by identity next)."""
        if not isinstance(chat_id, UUID) or chat_id != self._chat_uuid:
            return False
        self._chat_uuid = chat_id
        return True

    # --- status, queue, messages -----------------------------------------------------

    def _changed(self, last: dict[UUID, int], event: ChatStreamEvent, value: Any) -> bool:
        digest = fingerprint(value)
        if last.get(event.chat_id) == digest:
            return False
        last[event.chat_id] = digest
        return True

    @staticmethod
    def _queue_json(event: ChatStreamEvent) -> list[Any]:
        # A seed server omits `queued_messages` for an empty queue: missing means [].
        if isinstance(event.queued_messages, Unset):
            return []
        return [item.to_dict() for item in event.queued_messages]

    def _accept_message(self, event: ChatStreamEvent) -> bool:
        message = event.message
        if message is None or isinstance(message, Unset):
            return True  # nothing to deduplicate by; let the consumer see the odd event
        message_id = message.id
        if self._last_message_id is None or message_id > self._last_message_id:
            self._last_message_id = message_id
        content = fingerprint(message)
        previous = self._messages.get(message_id)
        if previous == content or (previous is None and message_id <= self._floor):
            return False
        self._messages[message_id] = content
        if len(self._messages) > self._max_messages:
            evicted = next(iter(self._messages))  # oldest tracked, in practice the smallest id
            del self._messages[evicted]
            self._floor = max(self._floor, evicted)
        return True

    # --- parts ---------------------------------------------------------------------------

    def _on_part(self, event: ChatStreamEvent) -> list[ChatStreamEvent]:
        if self._phase is _LIVE:
            if self._new_turn or not self._record:
                self._start_record()
            self._append(fingerprint(event.message_part))
            return [event]
        digest = fingerprint(event.message_part)
        if self._phase == _ARMED:
            # The first part after a reconnect: it can only be a replay if it equals a replay start.
            alive = [start for start in self._starts if self._record[start] == digest]
            if not alive:
                # Not the recorded turn: the server replays another turn from its start.
                self._phase = _LIVE
                self._start_record([digest])
                return [event]
            self._phase = _MATCHING
            self._complete_at = None
            return self._hold(alive, event, digest)
        record = self._record  # _MATCHING
        alive = [position for position in self._candidates if record[position] == digest]
        if not alive:
            return self._settle(event, digest)
        return self._hold(alive, event, digest)

    def _hold(self, alive: list[int], event: ChatStreamEvent, digest: int) -> list[ChatStreamEvent]:
        """Keep ``event`` back while it may be a replay; ``alive`` are the record positions it matched."""
        self._held.append(event)
        self._held_digests.append(digest)
        end = len(self._record)
        self._candidates = [position + 1 for position in alive if position + 1 < end]
        if len(self._candidates) < len(alive):
            # A replay from one start covered the whole record: everything held so far was replayed.
            # A replay from an earlier start (a server that buffers the whole turn, not the step)
            # would need more parts, so keep matching while such a candidate is alive.
            self._complete_at = len(self._held)
        return [] if self._candidates else self._settle()

    def _settle(self, event: ChatStreamEvent | None = None, digest: int = 0) -> list[ChatStreamEvent]:
        """Matching is over: held parts up to ``_complete_at`` were a replay, the rest is new."""
        held, digests = self._held, self._held_digests
        if event is not None:
            held.append(event)
            digests.append(digest)
        self._held, self._held_digests, self._candidates = [], [], []
        self._phase = _LIVE
        complete_at, self._complete_at = self._complete_at, None
        if complete_at is None:
            # The replay did not reach what was yielded before: another turn, starting here.
            self._start_record(digests)
            return held
        # The recorded turn goes on: what follows the replay extends its record.
        self._new_turn = False
        for new_digest in digests[complete_at:]:
            self._append(new_digest)
        return held[complete_at:]

    def _append(self, digest: int) -> None:
        if self._new_step and self._record:
            # A message was persisted mid-turn: a server that buffers per step replays from here.
            self._starts.append(len(self._record))
        self._new_step = False
        self._record.append(digest)

    def _start_record(self, digests: list[int] | None = None) -> None:
        self._record = list(digests) if digests else []
        self._refs.forget()
        self._starts = [0]
        self._new_turn = False
        self._new_step = False

    def _end_replay(self, *, first_status: bool) -> list[ChatStreamEvent]:
        """A durable event of the watched chat arrived: the snapshot's part section is over."""
        if self._phase == _ARMED:
            # The snapshot starts with one status; anything else means no part was replayed.
            if not (first_status and not self._status_since_open):
                self._phase = _LIVE
            self._status_since_open = True
            return []
        if self._phase == _MATCHING:
            return self._settle()
        return []
