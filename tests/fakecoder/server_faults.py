"""`FaultControls`: the fault knobs `FakeCoder` offers tests (a mixin: the methods that switch
`Knobs` and act on open streams and watches)."""

from __future__ import annotations

from collections.abc import Callable

from .context import Context
from .faults import CannedFault, FrameFormat, Knobs, WatchFrameFormat
from .oneway import StreamConn, error_envelope
from .state import State
from .wire import RATE_LIMITED, JSONDict


class FaultControls:
    """Fault knobs of a running fake (mixed into `FakeCoder`)."""

    knobs: Knobs
    ctx: Context
    state: State

    def set_rest_delay(self, seconds: float) -> None:
        """Sleep this long before answering each REST request (0 turns it off)."""
        self.knobs.rest_delay = max(0.0, float(seconds))

    def fail_next_requests(
        self,
        count: int = 1,
        status: int = 503,
        *,
        retry_after: str | int | None = None,
        body: JSONDict | str | None = None,
    ) -> None:
        """Answer the next `count` REST requests with `status` (before auth, like the rate
        limiter). Default body: the rate-limit body for 429, else {"message": ...}; a str
        body is sent as text/plain. retry_after sets the Retry-After header."""
        if body is None:
            body = RATE_LIMITED if status == 429 else {"message": f"Injected {status} error."}
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        self.knobs.add_rest_faults(count, CannedFault(status, body, headers))

    def refuse_next_streams(
        self,
        count: int = 1,
        status: int = 503,
        *,
        body: JSONDict | str | None = None,
        retry_after: str | int | None = None,
    ) -> None:
        """Refuse the next `count` stream handshakes with an HTTP `status`."""
        self.knobs.add_stream_refusals(count, _refusal(status, body, retry_after))

    def drop_next_streams(self, after_frames: int, count: int = 1) -> None:
        """Cut each of the next `count` stream connections after it sent `after_frames`
        frames: TCP closed with no close frame (1011 if the socket is unreachable)."""
        self.knobs.add_drops(count, max(0, after_frames))

    def drop_streams(self) -> int:
        """Cut every open stream connection now, abruptly. Returns how many."""
        return _each(self.ctx.open_streams(), StreamConn.drop_soon)

    def error_next_streams(self, message: str, detail: str | None = None, count: int = 1) -> None:
        """The next `count` streams send `{"type":"error","data":{message,detail}}` after
        the upgrade, then close 1000."""
        self.knobs.add_stream_errors(count, error_envelope(message, detail))

    def silence_streams(self) -> int:
        """Open streams stop sending frames and protocol pings (clients should hit their
        idle timeout). New connections behave normally. Returns how many."""
        return _each(self.ctx.open_streams(), StreamConn.go_silent_soon)

    def set_frame_format(self, fmt: FrameFormat) -> None:
        """ "envelope" (seed: {"type":"data","data":[...]}), "bare" (newer: [...]) or
        "object" (one event per frame with `data` a single object)."""
        if fmt not in ("envelope", "bare", "object"):
            raise ValueError(f"unknown frame format {fmt!r}")
        self.knobs.frame_format = fmt

    def set_ignore_after_id(self, ignore: bool = True) -> None:
        """Behave like the seed server: ignore `after_id` and replay every message."""
        self.knobs.ignore_after_id = ignore

    def set_watch_frame_format(self, fmt: WatchFrameFormat) -> None:
        """Watch sockets opened from now on: "envelope" (seed: a `{"type":"ping"}` first, then
        `{"type":"data","data":{kind, chat}}`) or "bare" (newer: no ping, `{kind, chat}` per frame)."""
        if fmt not in ("envelope", "bare"):
            raise ValueError(f"unknown watch frame format {fmt!r}")
        self.knobs.watch_frame_format = fmt

    def refuse_next_watches(
        self,
        count: int = 1,
        status: int = 503,
        *,
        body: JSONDict | str | None = None,
        retry_after: str | int | None = None,
    ) -> None:
        """Refuse the next `count` watch handshakes with an HTTP `status`."""
        self.knobs.add_watch_refusals(count, _refusal(status, body, retry_after))

    def drop_next_watches(self, after_frames: int, count: int = 1) -> None:
        """Cut each of the next `count` watch connections after it sent `after_frames` frames
        (the initial ping counts): TCP closed with no close frame."""
        self.knobs.add_watch_drops(count, max(0, after_frames))

    def drop_watches(self) -> int:
        """Cut every open watch connection now, abruptly. Returns how many."""
        return _each(self.ctx.open_watches(), StreamConn.drop_soon)

    def error_next_watches(self, message: str, detail: str | None = None, count: int = 1) -> None:
        """The next `count` watch sockets send `{"type":"error","data":{message,detail}}` after the
        upgrade (the seed's answer to a failed subscribe), then close 1000."""
        self.knobs.add_watch_errors(count, error_envelope(message, detail))

    def silence_watches(self) -> int:
        """Open watch sockets stop sending frames and protocol pings. Returns how many."""
        return _each(self.ctx.open_watches(), StreamConn.go_silent_soon)

    def watch_count(self, owner: str | None = None) -> int:
        """Open watch sockets (of "admin" or "member", or all)."""
        if owner is None:
            return self.state.watch_hub.subscriber_count()
        user = self.state.admin if owner == "admin" else self.state.member
        return self.state.watch_hub.subscriber_count(user.id)

    def reset_faults(self) -> None:
        """Turn every fault knob off."""
        self.knobs.clear()

    def stream_count(self, chat_id: str | None = None) -> int:
        """Open stream connections (for one chat, or all)."""
        return self.state.hub.subscriber_count(chat_id)


def _refusal(status: int, body: JSONDict | str | None, retry_after: str | int | None) -> CannedFault:
    """The canned answer of `refuse_next_streams` and `refuse_next_watches`."""
    body = body if body is not None else {"message": f"Injected {status} error."}
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return CannedFault(status, body, headers)


def _each(conns: list[StreamConn], action: Callable[[StreamConn], None]) -> int:
    """Apply `action` to every connection in `conns`; how many there were."""
    for conn in conns:
        action(conn)
    return len(conns)
