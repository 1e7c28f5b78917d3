"""A tiny raw websocket server on 127.0.0.1 whose every byte a test scripts.

For what the fake Coder server does not do on purpose: redirects on the handshake, a frame header
announcing more than the client's limit, chosen close codes, pings on demand, TLS with a private CA,
and a record of every frame a client sends. Each connection runs ``handler(conn)`` in its own
thread; ``conn.request`` holds the handshake (path, query, headers) before the handler decides to
``accept()`` or ``refuse(...)``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import ssl
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA


@dataclass
class Handshake:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""  # a plain HTTP request's body (Content-Length), for handlers that answer REST too


@dataclass
class Frame:
    opcode: int
    payload: bytes
    fin: bool = True


class RawConnection:
    """One client connection, driven by the test's handler thread."""

    def __init__(self, sock: socket.socket, request: Handshake) -> None:
        self.sock = sock
        self.request = request
        self.received: list[Frame] = []  # every frame the client sent, in order
        self._buffer = b""

    # --- handshake ---------------------------------------------------------------------------

    def accept(self) -> None:
        key = self.request.headers.get("sec-websocket-key", "")
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        self.sock.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )

    def refuse(self, status: int, body: Any = b"", headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        lines = [f"HTTP/1.1 {status} Scripted", f"Content-Length: {len(data)}", "Connection: close"]
        if not isinstance(body, bytes):
            lines.append("Content-Type: application/json")
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + data)

    def answer(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        """A plain HTTP answer (then the connection closes): a handler may serve REST routes too."""
        self.refuse(status, body, headers)

    # --- frames ------------------------------------------------------------------------------

    def send_frame(self, opcode: int, payload: bytes, *, fin: bool = True, announce: int | None = None) -> None:
        """Send one unmasked frame; ``announce`` claims another payload length in the header."""
        length = len(payload) if announce is None else announce
        head = bytes([(0x80 if fin else 0) | opcode])
        if length < 126:
            head += bytes([length])
        elif length < 1 << 16:
            head += bytes([126]) + struct.pack("!H", length)
        else:
            head += bytes([127]) + struct.pack("!Q", length)
        self.sock.sendall(head + payload)

    def send_text(self, text: str) -> None:
        self.send_frame(TEXT, text.encode())

    def send_events(self, *events: dict[str, Any]) -> None:
        self.send_text(json.dumps({"type": "data", "data": list(events)}))

    def send_close(self, code: int, reason: str = "") -> None:
        self.send_frame(CLOSE, struct.pack("!H", code) + reason.encode())

    def read_frame(self, timeout: float = 5.0) -> Frame | None:
        """The next frame from the client (unmasked), or None on EOF or timeout."""
        self.sock.settimeout(timeout)
        try:
            head = self._read(2)
            length = head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read(8))[0]
            mask = self._read(4) if head[1] & 0x80 else b""
            data = self._read(length)
        except (OSError, EOFError):
            return None
        if mask:
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        frame = Frame(head[0] & 0x0F, data, bool(head[0] & 0x80))
        self.received.append(frame)
        return frame

    def drain(self, timeout: float = 5.0) -> list[Frame]:
        """Read client frames until EOF (or ``timeout`` of silence); returns all received."""
        while self.read_frame(timeout) is not None:
            pass
        return self.received

    def abort(self) -> None:
        """Cut the TCP connection without a close frame."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()

    def _read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self._buffer += chunk
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out


@dataclass
class WSScriptServer:
    """Serve ``handler(conn)`` for each connection until ``close()``; ``connections`` keeps them all."""

    handler: Callable[[RawConnection], None]
    tls: ssl.SSLContext | None = None
    connections: list[RawConnection] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._threads: list[threading.Thread] = []
        self._closing = False
        self._accept_thread = threading.Thread(target=self._serve, name="ws-script", daemon=True)
        self._accept_thread.start()

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._closing:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._run, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, sock: socket.socket) -> None:
        try:
            if self.tls is not None:
                sock = self.tls.wrap_socket(sock, server_side=True)
            request = _read_request(sock)
        except (OSError, ValueError):
            sock.close()
            return
        conn = RawConnection(sock, request)
        self.connections.append(conn)
        try:
            self.handler(conn)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sock.close()

    def close(self) -> None:
        self._closing = True
        self._listener.close()
        for conn in self.connections:
            with contextlib.suppress(OSError):
                conn.sock.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def __enter__(self) -> WSScriptServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_request(sock: socket.socket) -> Handshake:
    sock.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ValueError("no request")
        data += chunk
    raw_head, body = data.split(b"\r\n\r\n", 1)
    request_line, *lines = raw_head.decode("latin-1").split("\r\n")
    method, target, _ = request_line.split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            raise ValueError("request body cut short")
        body += chunk
    parts = urlsplit(target)
    return Handshake(method, parts.path, parse_qs(parts.query), headers, body)
