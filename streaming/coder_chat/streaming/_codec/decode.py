"""Turn one websocket text frame of the chat stream into ``ChatStreamEvent`` models.

Pure, in the style of h11/wsproto: whole frames in, events or a stream exception out. The frame shapes
are in docs/protocol.md: events in a ``data`` envelope or a bare array; ``ping``, ``data: null`` and
unknown envelopes give nothing; an ``error`` envelope raises ``StreamServerError``; anything else
``StreamDecodeError``. One way through: a parser (msgspec's ``fast.PARSER`` while ``speedups.enabled``;
else, or when it declines the frame, the reference parser of ``frames.py``) gives the frame's items,
and ``build.build_events`` builds them, a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from coder_chat._runtime import speedups
from coder_chat.client.models import ChatStreamEvent

from .build import build_events
from .fast import PARSER
from .frames import Malformed, decode_error, json_type, parse_frame, unwrap_envelope

__all__ = ["decode_frame", "decode_frame_in_chunks"]


def decode_frame(frame: str | bytes, *, chat_id: UUID | str | None = None) -> list[ChatStreamEvent]:
    """Decode one text frame of ``GET /chats/{chat}/stream`` into its events, in order.

    ``chat_id`` fills in events that carry none (the pre-seed publisher left it out); an event's own
    ``chat_id`` always wins, since it may name a sub-agent chat. Raises ``StreamServerError`` for an
    error envelope and ``StreamDecodeError`` for anything malformed, never another exception (a
    ``chat_id`` argument that is not a UUID is the caller's bug and raises ``ValueError``).
    """
    default_chat_id = _as_uuid(chat_id)
    events: list[ChatStreamEvent] = []
    build_events(_items(frame), 0, events, frame, default_chat_id)
    return events


def decode_frame_in_chunks(
    frame: str | bytes, *, chat_id: UUID | str | None = None, chunk_size: int = 64
) -> Iterator[list[ChatStreamEvent]]:
    """``decode_frame(frame)``'s events, in lists of at most ``chunk_size`` built as they are asked for.

    For the stream's core: a stream's models die young, a chunk at a time, instead of a 256-event
    frame of them surviving the garbage collector's young generation. A frame that is no JSON, an
    error envelope or a frame of another shape raises at the first ``next()``; an event that is
    malformed raises after the events before it, which come out first (in a shorter last chunk). So a
    stream hands out everything good a frame holds, in order, and then the error, on either path (the
    fast parser takes a frame only when all of it parses).
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    default_chat_id = _as_uuid(chat_id)
    items = _items(frame)
    for start in range(0, len(items), chunk_size):
        events: list[ChatStreamEvent] = []
        try:
            build_events(items[start : start + chunk_size], start, events, frame, default_chat_id)
        except Exception:
            if events:
                yield events
            raise
        yield events


def _items(frame: str | bytes) -> list[Any]:
    """The frame's events, parsed, for ``build_events``; ``StreamDecodeError``/``StreamServerError`` for the frame."""
    # (msgspec would read other buffers than str and bytes, which the reference parser refuses)
    if PARSER is not None and speedups.enabled and (frame.__class__ is str or frame.__class__ is bytes):
        items = PARSER.parse(frame)
        if items is not None:
            return items
    payload = parse_frame(frame)
    try:
        if isinstance(payload, list):
            return payload
        if not isinstance(payload, dict):
            raise Malformed(f"frame is {json_type(payload)}, not an array or object")
        return unwrap_envelope(payload)
    except Malformed as exc:
        raise decode_error(str(exc), frame) from exc


def _as_uuid(chat_id: UUID | str | None) -> UUID | None:
    """The ``chat_id`` argument as a UUID (a string that is none raises ``ValueError``)."""
    return chat_id if chat_id is None or isinstance(chat_id, UUID) else UUID(chat_id)
