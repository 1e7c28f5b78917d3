"""Where each recorded part came from, so that its fingerprint is taken only if a reconnect needs it.

Pure. The replay filter compares its record of the turn's parts only after a reconnect, which most
turns never see. So it records a part of an announced frame as a reference (frame, position) and the
frame is kept (a string or bytes: the garbage collector does not track it); ``resolve`` decodes the
kept frames again when a reconnect compares the record (decoding is deterministic: each part gets the
fingerprint it had). Once a record keeps ``MAX_KEPT_CHARS`` of frames, later parts are fingerprinted
as they arrive, until the next record (docs/design.md, "One fingerprint").
"""

from __future__ import annotations

from uuid import UUID

from coder_chat.client.models import ChatStreamEvent

from .decode import decode_frame_in_chunks
from .fingerprint import fingerprint

__all__ = ["MAX_KEPT_CHARS", "REFERENCE", "FrameRefs"]

REFERENCE = 1 << 64
"""The smallest reference; every int below it in a record is a fingerprint."""
MAX_KEPT_CHARS = 32_000_000
"""How much frame text a record may keep before its parts are fingerprinted as they arrive."""

_POSITIONS = 1 << 32


class FrameRefs:
    """The frames a record refers to (see the module docstring).

    ``frame_received(frame)`` announces the frame whose events the filter takes next, in order, all of
    them; ``refs(count)`` gives the reference of the first of the next ``count`` (the others
    follow it, one apart), or ``None`` when they are to be fingerprinted now.
    """

    __slots__ = ("_chat_id", "_eager", "_frame", "_kept", "_kept_chars", "_number", "_position")

    def __init__(self, chat_id: UUID | None) -> None:
        self._chat_id = chat_id  # what the stream decodes frames with, for events that carry no chat id
        self._frame: str | bytes | None = None
        self._number = 0
        self._position = 0
        self._kept: dict[int, str | bytes] = {}
        self._kept_chars = 0
        self._eager = False

    def frame_received(self, frame: str | bytes) -> None:
        """The filter's next events are ``frame``'s, from its first."""
        # Only an immutable frame can be decoded again later.
        self._frame = frame if frame.__class__ is str or frame.__class__ is bytes else None
        self._number += 1
        self._position = 0

    def refs(self, count: int) -> int | None:
        """The reference of the first of the current frame's next ``count`` events, or ``None`` when they
        are to be fingerprinted now: no frame was announced, or the kept frames are full."""
        first = self._position
        self._position += count
        frame = self._frame
        if frame is None or self._eager:
            return None
        number = self._number
        if number not in self._kept:
            if self._kept_chars + len(frame) > MAX_KEPT_CHARS:
                self._eager = True
                return None
            self._kept[number] = frame
            self._kept_chars += len(frame)
        return REFERENCE + number * _POSITIONS + first

    def resolve(self, record: list[int]) -> None:
        """Replace every reference in ``record`` by its part's fingerprint, in place."""
        decoded: dict[int, list[ChatStreamEvent]] = {}
        for index, entry in enumerate(record):
            if entry >= REFERENCE:
                number, position = divmod(entry - REFERENCE, _POSITIONS)
                events = decoded.get(number)
                if events is None:
                    events = decoded[number] = self._decode(self._kept[number])
                record[index] = fingerprint(events[position].message_part)
        self._keep_current()

    def forget(self) -> None:
        """A new record starts: the frames before the current one are no longer referred to."""
        self._eager = False
        self._keep_current()

    def _keep_current(self) -> None:
        frame = self._kept.get(self._number)
        self._kept = {} if frame is None else {self._number: frame}
        self._kept_chars = 0 if frame is None else len(frame)

    def _decode(self, frame: str | bytes) -> list[ChatStreamEvent]:
        """The events of ``frame`` as the stream decoded them: up to a malformed one, if any (the stream
        took the events before it and raised there)."""
        events: list[ChatStreamEvent] = []
        try:
            for chunk in decode_frame_in_chunks(frame, chat_id=self._chat_id):
                events += chunk
        except Exception:  # what the stream raised there; nothing after it entered the record
            pass
        return events
