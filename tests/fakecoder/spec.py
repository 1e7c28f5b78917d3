"""Optional OpenAPI conformance check of everything the fake says and accepts.

`SpecValidator` loads `openapi.yaml` with openapi-core and, as an ASGI middleware,
validates each HTTP exchange: the request when the fake accepted it (2xx), and
every response. Problems are appended to `violations` instead of raised, so a test
can run a whole scenario and then assert the list is empty. Websockets and
responses produced by fault knobs are skipped.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from jsonschema_path.readers import PathReader
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.validation.request.exceptions import SecurityValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from werkzeug.datastructures import Headers, ImmutableMultiDict

from .wire import SKIP_SPEC_KEY


@dataclass
class _Request:
    """openapi-core's Request protocol over raw ASGI data."""

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters


@dataclass
class _Response:
    """openapi-core's Response protocol over raw ASGI data."""

    status_code: int
    content_type: str
    headers: Headers
    data: bytes | None


def _raw_bytes(data: bytes) -> str:
    """A raw file body (`format: binary`) as the string its schema checks; latin-1 keeps every byte."""
    return data.decode("latin-1")


# Media types whose bodies are a file's bytes, not JSON (upload and download of chat files).
_BINARY: dict[str, Callable[[bytes], Any]] = {t: _raw_bytes for t in ("application/octet-stream", "text/plain", "*/*")}


def _relative_servers(spec: dict[str, Any]) -> None:
    # Match any host: keep only the path of each server URL (e.g. "/api/experimental").
    for server in spec.get("servers") or []:
        url = str(server.get("url", "/"))
        if "://" in url:
            rest = url.split("://", 1)[1]
            url = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        server["url"] = url


def _describe(exc: BaseException) -> str:
    """The error's type and, when there are any, jsonschema's per-field messages."""
    lines: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and not lines:
        for err in getattr(seen, "schema_errors", ()) or ():
            where = "/".join(str(p) for p in getattr(err, "absolute_path", ()))
            lines.append(f"at {where or '<root>'}: {getattr(err, 'message', err)}")
        seen = seen.__cause__ or seen.__context__
    if lines:
        return f"{type(exc).__name__}: " + "; ".join(lines)
    text = str(exc)
    return f"{type(exc).__name__}: {text[:300] + '...' if len(text) > 300 else text}"


_cache: dict[tuple[Path, int], OpenAPI] = {}
_cache_lock = threading.Lock()


def _load(path: Path) -> OpenAPI:
    # Parsing and checking the spec takes ~0.5 s; fakes started per test share it.
    key = (path, path.stat().st_mtime_ns)
    with _cache_lock:
        if key not in _cache:
            schema, uri = PathReader(path).read()
            data = copy.deepcopy(dict(schema))
            _relative_servers(data)
            config = Config(extra_media_type_deserializers=_BINARY)
            _cache[key] = OpenAPI.from_dict(data, base_uri=uri, config=config)
        return _cache[key]


class SpecValidator:
    """Loads the spec once; `wrap(app)` gives the validating middleware."""

    def __init__(self, spec_path: str | Path, spec_path_of: Callable[[str], str | None] | None = None) -> None:
        """spec_path_of: the path whose operation describes a request path (2.37's experimental
        mount serves the v2 API, so its traffic is checked against the `/api/v2` operations), or
        None to leave the exchange unchecked (routes the generation does not serve)."""
        self.openapi = _load(Path(spec_path).resolve())
        self._spec_path_of = spec_path_of or (lambda path: path)
        self.violations: list[str] = []
        self.checked = 0
        self._lock = threading.Lock()

    def wrap(self, app: ASGIApp) -> ASGIApp:
        validator = self

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            req_chunks: list[bytes] = []
            resp: dict[str, Any] = {"status": 0, "headers": [], "body": []}

            async def recv() -> Message:
                message = await receive()
                if message["type"] == "http.request":
                    req_chunks.append(message.get("body", b""))
                return message

            async def snd(message: Message) -> None:
                if message["type"] == "http.response.start":
                    resp["status"] = message["status"]
                    resp["headers"] = message.get("headers", [])
                elif message["type"] == "http.response.body":
                    resp["body"].append(message.get("body", b""))
                    # Validate before the last byte leaves: once a client has its answer,
                    # any violation it caused is already in the list.
                    if not message.get("more_body", False) and not scope.get(SKIP_SPEC_KEY):
                        body = b"".join(resp["body"])
                        validator.check(scope, b"".join(req_chunks), resp["status"], resp["headers"], body)
                await send(message)

            await app(scope, recv, snd)

        return middleware

    def check(
        self, scope: Scope, req_body: bytes, status: int, raw_headers: list[tuple[bytes, bytes]], resp_body: bytes
    ) -> None:
        """Validate one exchange and record what is wrong."""
        path = self._spec_path_of(scope["path"])
        if path is None:
            return
        req_headers = Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", [])])
        cookies = SimpleCookie(req_headers.get("cookie", ""))
        host, port = scope.get("server") or ("127.0.0.1", 80)
        request = _Request(
            host_url=f"http://{host}:{port}",
            path=path,
            method=scope["method"].lower(),
            body=req_body or None,
            content_type=req_headers.get("content-type", "application/json"),
            parameters=RequestParameters(
                query=ImmutableMultiDict(parse_qsl(scope.get("query_string", b"").decode())),
                header=req_headers,
                cookie=ImmutableMultiDict({k: m.value for k, m in cookies.items()}),
            ),
        )
        resp_headers = Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw_headers])
        response = _Response(status, resp_headers.get("content-type", ""), resp_headers, resp_body)
        ok = 200 <= status < 300
        label = f"{scope['method']} {scope['path']} -> {status}"
        found: list[str] = []
        try:
            if ok:
                # Security is skipped: the spec declares only the header, while the fake
                # (like coderd) also accepts the cookie and the query parameter.
                found += [
                    f"{label}: request: {_describe(e)}"
                    for e in self.openapi.iter_request_errors(request)
                    if not isinstance(e, SecurityValidationError)
                ]
            for e in self.openapi.iter_response_errors(request, response):
                if not ok and isinstance(e, (PathNotFound, OperationNotFound)):
                    continue  # deliberate probes of routes the spec does not have
                found.append(f"{label}: response: {_describe(e)}")
        except Exception as exc:  # a broken spec must not break the fake
            found.append(f"{label}: validator crashed: {_describe(exc)}")
        with self._lock:
            self.checked += 1
            self.violations.extend(found)
