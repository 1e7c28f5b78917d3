"""Loopback servers for the credential and timeout tests: one port speaking HTTPS *and* plain HTTP, and
a server that accepts connections and never answers.

``DualServer`` looks at the first byte of each connection: a TLS ClientHello (0x16) gets the test
certificate (``tests/support/tls``), anything else is served as plain HTTP. So a redirect from
``https://127.0.0.1:P`` to ``http://127.0.0.1:P`` (a downgrade on the very same host and port) lands on
the same server, which records every request with its headers and whether it came over TLS.

``SilentServer`` accepts TCP connections and then says nothing: it reads and discards what arrives
(or, with ``read=False``, never reads at all, so a large upload fills the buffers), optionally after a
TLS handshake (``tls="handshake"``). Each server stops by itself on ``close()``.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from tests.support.scripted_http import Reply
from tests.support.stream_view import TLS_DIR

TLS_RECORD_HANDSHAKE = 0x16


def server_tls_context() -> ssl.SSLContext:
    """The server side of the test certificate (127.0.0.1 and localhost, signed by ``ca.pem``)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS_DIR / "server.pem", TLS_DIR / "server.key")
    return context


@dataclass
class Hit:
    """One request as the server saw it."""

    tls: bool
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names


class DualServer:
    """HTTPS and plain HTTP on one loopback port; ``handler(hit) -> Reply``; ``hits`` records everything."""

    def __init__(self, handler: Callable[[Hit], Reply]) -> None:
        self.hits: list[Hit] = []
        self.handler = handler
        outer = self
        tls_context = server_tls_context()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                hit = Hit(
                    isinstance(self.connection, ssl.SSLSocket),
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                )
                outer.hits.append(hit)
                reply = outer.handler(hit)
                body, headers = reply.encoded()
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def finish_request(self, request: Any, client_address: Any) -> None:
                # Runs on the connection's own thread: sniff, wrap in TLS if it is a ClientHello, serve.
                conn: socket.socket = request
                conn.settimeout(5)
                try:
                    first = conn.recv(1, socket.MSG_PEEK)
                    if first and first[0] == TLS_RECORD_HANDSHAKE:
                        conn = tls_context.wrap_socket(conn, server_side=True)
                    conn.settimeout(None)
                    Handler(conn, client_address, self)
                except OSError:
                    pass
                finally:
                    with contextlib.suppress(OSError):
                        conn.close()

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="dual-http", daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, scheme: str) -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DualServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SilentServer:
    """Accepts connections on 127.0.0.1 and never answers.

    ``read``: drain what the client sends (True) or leave it unread (False, to fill the socket buffers).
    ``tls``: ``None`` (plain TCP; a TLS client then waits for a ServerHello that never comes) or
    ``"handshake"`` (complete the TLS handshake with the test certificate, then be silent).
    ``accepted`` counts connections; ``received`` holds the bytes read from each.
    """

    def __init__(self, *, read: bool = True, tls: Literal["handshake"] | None = None) -> None:
        self.read = read
        self.tls = server_tls_context() if tls == "handshake" else None
        self.accepted = 0
        self.received: list[bytearray] = []
        self._socks: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)  # so the accept loop notices close()
        self._accept_thread = threading.Thread(target=self._accept, name="silent-server", daemon=True)
        self._accept_thread.start()

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.accepted += 1
                self._socks.append(sock)
                data = bytearray()
                self.received.append(data)
            thread = threading.Thread(target=self._hold, args=(sock, data), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _hold(self, sock: socket.socket, data: bytearray) -> None:
        try:
            if self.tls is not None:
                sock.settimeout(5)
                tls_sock = self.tls.wrap_socket(sock, server_side=True)
                with self._lock:
                    self._socks.append(tls_sock)
                sock = tls_sock
            sock.settimeout(0.05)
            while not self._stop.is_set():
                if not self.read:
                    self._stop.wait(0.05)
                    continue
                try:
                    chunk = sock.recv(65536)
                except TimeoutError:
                    continue
                if not chunk:
                    return
                data.extend(chunk)
        except OSError:
            return

    def close(self) -> None:
        self._stop.set()
        self._accept_thread.join(timeout=5)
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)
        with self._lock:
            for sock in self._socks:
                with contextlib.suppress(OSError):
                    sock.close()

    def __enter__(self) -> SilentServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
