"""Fault knobs: the misbehaviours a test can switch on while the fake runs.

`Knobs` is plain data guarded by a lock; `FakeCoder` exposes friendly methods on
top of it. Counted faults ("the next N requests") are consumed atomically.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from .wire import JSONDict

FrameFormat = Literal["envelope", "bare", "object"]
WatchFrameFormat = Literal["envelope", "bare"]


@dataclass
class CannedFault:
    """A canned HTTP answer: status, body (JSON value or raw text) and headers."""

    status: int
    body: Any
    headers: dict[str, str]


@dataclass
class Knobs:
    """Switches read by the REST router and the stream endpoint."""

    rest_delay: float = 0.0
    ignore_after_id: bool = False
    frame_format: FrameFormat = "envelope"
    watch_frame_format: WatchFrameFormat = "envelope"
    # What `clear()` goes back to: the generation's own formats.
    default_frame_format: FrameFormat = "envelope"
    default_watch_frame_format: WatchFrameFormat = "envelope"
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _rest_faults: list[CannedFault] = field(default_factory=list)
    _stream_refusals: list[CannedFault] = field(default_factory=list)
    _drops: list[int] = field(default_factory=list)
    _stream_errors: list[JSONDict] = field(default_factory=list)
    _watch_refusals: list[CannedFault] = field(default_factory=list)
    _watch_drops: list[int] = field(default_factory=list)
    _watch_errors: list[JSONDict] = field(default_factory=list)

    def add_rest_faults(self, count: int, fault: CannedFault) -> None:
        with self.lock:
            self._rest_faults.extend([fault] * count)

    def add_stream_refusals(self, count: int, fault: CannedFault) -> None:
        with self.lock:
            self._stream_refusals.extend([fault] * count)

    def add_drops(self, count: int, after_frames: int) -> None:
        with self.lock:
            self._drops.extend([after_frames] * count)

    def add_stream_errors(self, count: int, body: JSONDict) -> None:
        with self.lock:
            self._stream_errors.extend([body] * count)

    def add_watch_refusals(self, count: int, fault: CannedFault) -> None:
        with self.lock:
            self._watch_refusals.extend([fault] * count)

    def add_watch_drops(self, count: int, after_frames: int) -> None:
        with self.lock:
            self._watch_drops.extend([after_frames] * count)

    def add_watch_errors(self, count: int, body: JSONDict) -> None:
        with self.lock:
            self._watch_errors.extend([body] * count)

    def take_watch_refusal(self) -> CannedFault | None:
        with self.lock:
            return self._watch_refusals.pop(0) if self._watch_refusals else None

    def take_watch_drop(self) -> int | None:
        with self.lock:
            return self._watch_drops.pop(0) if self._watch_drops else None

    def take_watch_error(self) -> JSONDict | None:
        with self.lock:
            return self._watch_errors.pop(0) if self._watch_errors else None

    def take_rest_fault(self) -> CannedFault | None:
        with self.lock:
            return self._rest_faults.pop(0) if self._rest_faults else None

    def take_stream_refusal(self) -> CannedFault | None:
        with self.lock:
            return self._stream_refusals.pop(0) if self._stream_refusals else None

    def take_drop(self) -> int | None:
        with self.lock:
            return self._drops.pop(0) if self._drops else None

    def take_stream_error(self) -> JSONDict | None:
        with self.lock:
            return self._stream_errors.pop(0) if self._stream_errors else None

    def clear(self) -> None:
        """Back to a well-behaved server."""
        with self.lock:
            self._rest_faults.clear()
            self._stream_refusals.clear()
            self._drops.clear()
            self._stream_errors.clear()
            self._watch_refusals.clear()
            self._watch_drops.clear()
            self._watch_errors.clear()
        self.rest_delay = 0.0
        self.ignore_after_id = False
        self.frame_format = self.default_frame_format
        self.watch_frame_format = self.default_watch_frame_format
