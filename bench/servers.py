"""Loopback servers for the benchmarks, each run in its own process (``python -m bench.servers KIND ...``).

A separate process keeps the server off the measured interpreter's GIL; on a 2-core machine the
server gets the other core. All are raw sockets doing as little as possible per request or frame,
so that what a benchmark measures is the client, and they serve the client and its baseline alike.

* ``ws``: a websocket server that pushes a pre-encoded stream (``bench.data``, ``--data`` picks the
  data set) to every connection,
  as fast as the socket takes it, then a close frame 1000. ``--lazy`` generates the frames while
  sending instead (for streams too long to hold, e.g. the memory benchmark's million events).
* ``http``: an HTTP/1.1 keep-alive server answering every ``GET`` with one pre-encoded
  ``ChatWithMessages`` body. ``GET /_bench/stats`` (on a connection of its own, not counted) returns
  ``{"connections": <accepted connections since the last /_bench/reset>, "requests": ...}``.
* ``turn``: one long turn (``bench.data.one_turn``: ``--events`` events of the ``--data`` data set) on one
  port, for ``start_turn`` on the experimental generation and its raw-loop baseline: ``GET`` of the chat
  (the chat before the turn; once a prompt was posted, the chat after it), ``POST`` of a message (the
  prompt's user message, persisted at once), and any websocket upgrade gets the turn's stream in
  256-event frames (the prompt's message, ``running``, the parts and persisted messages, ``waiting``),
  then a close frame 1000: the turn ends by itself.

The parent starts one with ``ServerProcess``; the server prints its port on its first stdout line.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from bench import data

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_CLOSE_NORMAL = b"\x88\x02" + struct.pack("!H", 1000)


def ws_frame(payload: bytes, opcode: int = 0x1) -> bytes:
    """One unmasked, final server-to-client frame."""
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, length)
    elif length < 65_536:
        header = struct.pack("!BBH", 0x80 | opcode, 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
    return header + payload


def _read_head(sock: socket.socket, buffer: bytearray) -> bytes | None:
    """One request head (through the blank line), consuming it from ``buffer``; None at EOF."""
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end >= 0:
            head = bytes(buffer[: end + 4])
            del buffer[: end + 4]
            return head
        chunk = sock.recv(65_536)
        if not chunk:
            return None
        buffer += chunk


def _header(head: bytes, name: bytes) -> bytes | None:
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip()
    return None


# --- websocket push -----------------------------------------------------------------------------


def _serve_ws(sock: socket.socket, frames: Iterable[bytes]) -> None:
    with sock:
        head = _read_head(sock, bytearray())
        if head is not None:
            _push(sock, head, frames)


def _push(sock: socket.socket, head: bytes, frames: Iterable[bytes]) -> None:
    """Answer the upgrade request ``head``, send ``frames`` and a close frame 1000, wait for the client's close."""
    key = _header(head, b"sec-websocket-key") or b""
    accept = base64.b64encode(hashlib.sha1(key + _GUID).digest())
    try:
        sock.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        )
        for chunk in frames:
            sock.sendall(chunk)
        sock.sendall(_CLOSE_NORMAL)
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(5.0)
        while sock.recv(65_536):  # the client's close echo, then EOF
            pass
    except OSError:
        pass  # the client went away first (a smoke run that stops early, a turn that ended): fine


def _chunks(blob: bytes) -> Iterator[bytes]:
    """``blob`` in 1 MiB memoryview slices: sendall of one 40 MB bytes object is fine, chunks let a close
    interrupt it."""
    view = memoryview(blob)
    return (view[i : i + (1 << 20)] for i in range(0, len(blob), 1 << 20))  # type: ignore[misc]


def _lazy_frames(events: int, seed: int, full: bool, data_set: str, turn_options: dict[str, Any]) -> Iterator[bytes]:
    pending: list[bytes] = []
    size = 0
    for batch in data.batches(data.stream_events(events, seed=seed, data=data_set, **turn_options), full=full):
        frame = ws_frame(data.envelope(batch).encode())
        pending.append(frame)
        size += len(frame)
        if size >= 1 << 20:  # hand the socket ~1 MiB at a time
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


def _run_ws(args: argparse.Namespace, listener: socket.socket) -> None:
    turn_options: dict[str, Any] = json.loads(args.turn_options)
    blob: bytes | None = None
    if not args.lazy:
        frames = data.stream_frames(args.events, seed=args.seed, full=args.full, data=args.data, **turn_options)
        blob = b"".join(ws_frame(frame.encode()) for frame in frames)
    _ready(listener)
    while True:
        sock, _ = listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if blob is not None:
            source: Iterable[bytes] = _chunks(blob)
        else:
            source = _lazy_frames(args.events, args.seed, args.full, args.data, turn_options)
        threading.Thread(target=_serve_ws, args=(sock, source), daemon=True).start()


# --- HTTP keep-alive -----------------------------------------------------------------------------


class _Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = 0


def _serve_http(sock: socket.socket, response: bytes, counters: _Counters) -> None:
    buffer = bytearray()
    counted = False
    with sock:
        while True:
            try:
                head = _read_head(sock, buffer)
            except OSError:
                return
            if head is None:
                return
            path = head.split(b" ", 2)[1]
            if path.startswith(b"/_bench/"):
                if path == b"/_bench/reset":
                    with counters.lock:
                        counters.connections = counters.requests = 0
                with counters.lock:
                    body = json.dumps({"connections": counters.connections, "requests": counters.requests}).encode()
                sock.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
                return
            with counters.lock:
                if not counted:
                    counters.connections += 1
                    counted = True
                counters.requests += 1
            if not _skip_body(sock, head, buffer):  # not expected (GET), but never leave a body in the buffer
                return
            try:
                sock.sendall(response)
            except OSError:
                return


def _skip_body(sock: socket.socket, head: bytes, buffer: bytearray) -> bool:
    """Consume the request body ``head`` announces from ``buffer`` (reading more as needed); False at EOF."""
    length = int(_header(head, b"content-length") or 0)
    while len(buffer) < length:
        chunk = sock.recv(65_536)
        if not chunk:
            return False
        buffer += chunk
    del buffer[:length]
    return True


def _run_http(args: argparse.Namespace, listener: socket.socket) -> None:
    body = data.dumps(data.chat_with_messages(args.messages, queued=args.queued, data=args.data)).encode()
    response = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    counters = _Counters()
    _ready(listener)
    while True:
        sock, _ = listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=_serve_http, args=(sock, response, counters), daemon=True).start()


# --- a turn: the chat's REST answers and its stream on one port ----------------------------------------


def _json_response(body: Any, status: bytes = b"200 OK") -> bytes:
    payload = data.dumps(body).encode()
    return (
        b"HTTP/1.1 "
        + status
        + b"\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(payload)).encode()
        + b"\r\n\r\n"
        + payload
    )


class _TurnChat:
    """What the turn server answers (``bench.data.one_turn``). ``GET`` of the chat gives the chat before the
    turn until a prompt is posted, then, once, the chat after it: a turn reads the chat before it sends
    its prompt, and again when it has ended."""

    def __init__(self, turn: data.TurnData) -> None:
        self.lock = threading.Lock()
        self.posted = False
        self.chat_path = f"/api/experimental/chats/{data.CHAT_ID}".encode()
        self.before = _json_response(turn.before)
        self.after = _json_response(turn.after)
        self.reply = _json_response(turn.reply)
        batches = data.batches(iter(turn.events), full=True)
        self.stream = b"".join(ws_frame(data.envelope(batch).encode()) for batch in batches)

    def answer(self, method: bytes, path: bytes) -> bytes:
        if method == b"POST" and path == self.chat_path + b"/messages":
            with self.lock:
                self.posted = True
            return self.reply
        if method == b"GET" and path == self.chat_path:
            with self.lock:
                posted, self.posted = self.posted, False
            return self.after if posted else self.before
        return _json_response({"message": "not found"}, b"404 Not Found")


def _serve_turn(sock: socket.socket, chat: _TurnChat) -> None:
    buffer = bytearray()
    with sock:
        while True:
            try:
                head = _read_head(sock, buffer)
                if head is None:
                    return
                if (_header(head, b"upgrade") or b"").lower() == b"websocket":
                    _push(sock, head, _chunks(chat.stream))
                    return
                method, path = head.split(b" ", 2)[:2]
                if not _skip_body(sock, head, buffer):
                    return
                sock.sendall(chat.answer(method, path.partition(b"?")[0]))
            except OSError:
                return


def _run_turn(args: argparse.Namespace, listener: socket.socket) -> None:
    chat = _TurnChat(data.one_turn(args.events, data=args.data))
    _ready(listener)
    while True:
        sock, _ = listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=_serve_turn, args=(sock, chat), daemon=True).start()


def _ready(listener: socket.socket) -> None:
    print(listener.getsockname()[1], flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.servers")
    sub = parser.add_subparsers(dest="kind", required=True)
    ws = sub.add_parser("ws")
    ws.add_argument("--events", type=int, required=True)
    ws.add_argument("--seed", type=int, default=1)
    ws.add_argument("--full", action="store_true", help="256 events in every frame")
    ws.add_argument("--lazy", action="store_true", help="generate frames while sending")
    ws.add_argument("--turn-options", default="{}", help="JSON keyword arguments for bench.data turns")
    ws.add_argument("--data", choices=data.DATA_SETS, default=data.DATA_SETS[0], help="which data set")
    http = sub.add_parser("http")
    http.add_argument("--messages", type=int, default=4)
    http.add_argument("--queued", type=int, default=1)
    http.add_argument("--data", choices=data.DATA_SETS, default=data.DATA_SETS[0], help="which data set")
    turn = sub.add_parser("turn")
    turn.add_argument("--events", type=int, required=True)
    turn.add_argument("--data", choices=data.DATA_SETS, default=data.DATA_SETS[0], help="which data set")
    args = parser.parse_args(argv)
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    run = {"ws": _run_ws, "http": _run_http, "turn": _run_turn}[args.kind]
    with contextlib.suppress(KeyboardInterrupt):
        run(args, listener)


class ServerProcess:
    """``with ServerProcess("ws", "--events", "1000") as server: server.port``: a server in a child process."""

    def __init__(self, *args: str) -> None:
        root = Path(__file__).resolve().parent.parent
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.servers", *args],
            stdout=subprocess.PIPE,
            cwd=root,
            env=env,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.strip():
            self.close()
            raise RuntimeError(f"benchmark server {args} did not start")
        self.port = int(line)
        self.url = f"http://127.0.0.1:{self.port}"

    def stats(self, *, reset: bool = False) -> dict[str, int]:
        """The HTTP server's counters (on a connection of its own, which it does not count)."""
        path = "/_bench/reset" if reset else "/_bench/stats"
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            chunks = []
            while chunk := sock.recv(65_536):
                chunks.append(chunk)
        body = b"".join(chunks).partition(b"\r\n\r\n")[2]
        result: dict[str, int] = json.loads(body)
        return result

    def close(self) -> None:
        self._process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=5)
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


if __name__ == "__main__":
    main()
