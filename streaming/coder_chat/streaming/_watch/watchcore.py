"""The watch socket's pure core: frames into ``ChatWatchEvent`` models, and list-then-watch state.

Pure (no I/O, no websocket import), in the style of h11/wsproto, like ``_codec`` for the chat
stream. ``GET /chats/watch`` sends one ``{kind, chat}`` event per frame:

* ``{"type": "data", "data": {kind, chat}}`` (seed servers), also with ``data`` a list of events;
* a bare ``{"kind": ..., "chat": {...}}`` object (newer servers), told from an envelope by its keys:
  an object with ``kind`` or ``chat`` is an event, otherwise one with ``type`` is an envelope;
* a bare list of events;
* ``{"type": "ping"}`` (the seed server's first frame), ``{"type": "data", "data": null}`` and
  envelope types this client does not know give ``[]``;
* ``{"type": "error", "data": <codersdk.Response>}`` raises ``StreamServerError``;
* anything else raises ``StreamDecodeError``, with the first ``PREVIEW_CHARS`` characters of the frame.

Kinds this client does not know (newer servers add ``summary_change``, ``action_required``, ...)
are kept as ``ChatWatchEventKind`` values holding the wire string, as the other enums keep theirs.

The socket replays nothing, so a watch that must not lose a change across a reconnect lists the
chats and diffs the list against what it knew: ``WatchState``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from coder_chat.client.models import Chat, ChatWatchEvent, ChatWatchEventKind
from coder_chat.client.types import Unset

from .._codec.frames import Malformed, decode_error, describe, json_type, parse_frame, unwrap_envelope
from .._connection.handshake import websocket_url
from .._routes import Routes

__all__ = ["ChatWatchProtocol", "WatchState", "decode_watch_frame"]

_EVENT_KEYS = ("kind", "chat")
# ChatDiffStatus fields that record when the status was fetched, not what it is: a refresh that
# changes only these is no diff status change.
_DIFF_BOOKKEEPING = frozenset({"chat_id", "refreshed_at", "stale_at"})


def decode_watch_frame(frame: str | bytes) -> list[ChatWatchEvent]:
    """Decode one text frame of ``GET /chats/watch`` into its events, in order.

    Raises ``StreamServerError`` for an error envelope and ``StreamDecodeError`` for anything
    malformed (not JSON, a wrong shape, or an event whose ``kind`` or ``chat`` fails the model),
    never another exception.
    """
    payload = parse_frame(frame)
    try:
        raw_events = _unwrap(payload)
    except Malformed as exc:
        raise decode_error(str(exc), frame) from exc
    events: list[ChatWatchEvent] = []
    for raw in raw_events:
        try:
            events.append(_build_event(raw))
        except Exception as exc:  # whatever the server sent, the caller sees only StreamDecodeError
            raise decode_error(f"event {len(events)}: {describe(exc)}", frame) from exc
    return events


def _unwrap(payload: Any) -> list[Any]:
    """The raw events of a parsed frame; ``[]`` for pings and unknown envelopes."""
    if isinstance(payload, list):
        return payload
    if not isinstance(payload, dict):
        raise Malformed(f"frame is {json_type(payload)}, not an array or object")
    if any(key in payload for key in _EVENT_KEYS):
        return [payload]  # a bare event (newer servers)
    if "type" not in payload:
        raise Malformed("object is neither an envelope (no 'type') nor an event (no 'kind' or 'chat')")
    return unwrap_envelope(payload)


def _build_event(raw: Any) -> ChatWatchEvent:
    if raw.__class__ is not dict:
        raise Malformed(f"event is {json_type(raw)}, not an object")
    kind = raw.get("kind")
    if kind.__class__ is not str:  # the enum would keep only strings; say what is wrong first
        raise Malformed("event has no 'kind'" if "kind" not in raw else f"kind is {json_type(kind)}, not a string")
    chat = raw.get("chat")
    if chat.__class__ is not dict:  # from_dict would take a list of pairs as a mapping
        raise Malformed("event has no 'chat'" if "chat" not in raw else f"chat is {json_type(chat)}, not an object")
    return ChatWatchEvent.from_dict(raw)


class WatchState:
    """What a watch knows of the caller's chats (id -> ``Chat``), for list-then-watch.

    ``resync(chats)`` takes a fresh ``list_chats`` answer and returns the events that turn the known
    state into it, then adopts it; ``apply(event)`` keeps the state current with live events.

    Compared aspects, one event per aspect that differs, in this order, each carrying the new chat:

    * ``status_change``: ``Chat.status`` differs (unknown statuses compare by their wire string);
    * ``title_change``: ``Chat.title`` differs;
    * ``diff_status_change``: ``Chat.diff_status`` differs in substance: its ``to_dict()`` without
      ``chat_id`` and the bookkeeping times ``refreshed_at`` / ``stale_at``, and without empty values
      (null, false, 0, ""), so a missing or null diff status equals the empty one every new chat has,
      and fields newer servers add count too. A chat whose ``diff_status`` is absent (seed watch
      events never carry one) tells nothing about it: the last diff status known for that id stays
      the one compared against (the empty one if none was ever known).

    A chat missing from the list gives ``deleted`` with the last known chat; a new id gives ``created``.
    Order: the ``deleted`` events first, in the order the chats became known, then the list's order.
    """

    def __init__(self) -> None:
        self._chats: dict[UUID, Chat] = {}
        self._diffs: dict[UUID, dict[str, Any]] = {}
        self._synced = False

    @property
    def synced(self) -> bool:
        """Whether a first ``resync`` (the baseline) has happened."""
        return self._synced

    @property
    def chats(self) -> dict[UUID, Chat]:
        """The known chats by id (a copy), in the order they became known."""
        return dict(self._chats)

    def resync(self, chats: list[Chat]) -> list[ChatWatchEvent]:
        """The events that turn the known state into ``chats``, which becomes the known state.

        The first call is the baseline: nothing is known yet, so it returns ``[]``. An id listed
        twice counts once, with its last chat.
        """
        listed: dict[UUID, Chat] = {}
        for chat in chats:
            listed[chat.id] = chat
        events: list[ChatWatchEvent] = []
        if self._synced:
            for cid, gone in self._chats.items():
                if cid not in listed:
                    events.append(ChatWatchEvent(ChatWatchEventKind.DELETED, gone))
            for cid, chat in listed.items():
                old = self._chats.get(cid)
                if old is None:
                    events.append(ChatWatchEvent(ChatWatchEventKind.CREATED, chat))
                    continue
                if str(chat.status) != str(old.status):
                    events.append(ChatWatchEvent(ChatWatchEventKind.STATUS_CHANGE, chat))
                if chat.title != old.title:
                    events.append(ChatWatchEvent(ChatWatchEventKind.TITLE_CHANGE, chat))
                new_diff = _diff_key(chat)
                if new_diff is not None and new_diff != self._diffs.get(cid, {}):
                    events.append(ChatWatchEvent(ChatWatchEventKind.DIFF_STATUS_CHANGE, chat))
        diffs: dict[UUID, dict[str, Any]] = {}
        for cid, chat in listed.items():
            key = _diff_key(chat)
            if key is not None:
                diffs[cid] = key
            elif cid in self._diffs:
                diffs[cid] = self._diffs[cid]
        self._chats = listed
        self._diffs = diffs
        self._synced = True
        return events

    def apply(self, event: ChatWatchEvent) -> None:
        """Update the known state from a live event: ``deleted`` forgets the chat; every other kind,
        known or not, stores the event's chat (the newest the server sent)."""
        chat = event.chat
        cid = chat.id
        if event.kind == ChatWatchEventKind.DELETED:
            self._chats.pop(cid, None)
            self._diffs.pop(cid, None)
            return
        if not isinstance(cid, UUID):  # a hand-built model; a decoded one always has an id
            return
        self._chats[cid] = chat
        key = _diff_key(chat)
        if key is not None:
            self._diffs[cid] = key


def _diff_key(chat: Chat) -> dict[str, Any] | None:
    """What is compared of a chat's diff status; None when the chat carries none (absent)."""
    diff_status = chat.diff_status
    if isinstance(diff_status, Unset):
        return None
    if diff_status is None:
        return {}
    return _substance(diff_status.to_dict())


def _substance(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if key not in _DIFF_BOOKKEEPING and value}


class ChatWatchProtocol:
    """The sans-I/O core of a chat watch, for the same I/O loops as the chat stream.

    Live frames go through ``receive_frame`` (and update ``state``); after every (re)connection the
    loop lists the chats and hands them to ``resynced``, whose differences against what was known
    come out before the new connection's live events.
    """

    __slots__ = ("_ready", "state")

    def __init__(self) -> None:
        self.state = WatchState()
        self._ready: deque[ChatWatchEvent] = deque()  # decoded, not yet handed out

    def url(self, base_url: str, routes: Routes) -> str:
        """The watch socket's URL on ``routes``' generation (no parameters: it replays nothing)."""
        return websocket_url(base_url, routes.watch_path)

    def connection_opened(self) -> None:
        """Nothing to do: a watch connection replays nothing (``resynced`` makes up for it)."""

    def resynced(self, chats: list[Chat]) -> None:
        """The chats as listed right after a connection opened: queue one event per difference."""
        self._ready.extend(self.state.resync(chats))

    def receive_frame(self, frame: str | bytes) -> None:
        """Take the next message the server sent; raises ``StreamDecodeError``/``StreamServerError``."""
        events = decode_watch_frame(frame)
        for event in events:
            self.state.apply(event)
        self._ready.extend(events)

    def next_event(self) -> ChatWatchEvent | None:
        """The next event to hand out, or ``None`` when every received frame is used up."""
        return self._ready.popleft() if self._ready else None

    def pop_ready(self) -> ChatWatchEvent | None:
        """``next_event()``: a watch decodes a frame as it receives it (``FrameProtocol.pop_ready``)."""
        return self.next_event()
