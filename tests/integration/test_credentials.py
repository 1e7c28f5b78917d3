"""The session token goes only to the origin of ``base_url``, and no secret shows up anywhere else.

Complements ``tests/unit/test_client.py`` (REST redirects to another origin, a relative redirect, REST
repr and logs): here an https→http downgrade on the very same host and port (``DualServer`` speaks both
on one port and records every request), websocket handshakes redirected elsewhere (a second server
records every connection), a whole stream session with DEBUG logging on, and the previews of
``StreamDecodeError`` when a server echoes the token back.
"""

from __future__ import annotations

import json
import logging
import ssl
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from coder_chat.client import AuthenticatedClient, Client, models
from coder_chat.client.api.chats import create_chat, create_chat_provider, get_chat, list_chats
from coder_chat.client.errors import APIError, ServerError
from coder_chat.streaming import (
    StreamDecodeError,
    StreamError,
    StreamServerError,
    decode_frame,
    stream_chat,
)
from tests.fakecoder import FakeCoder, Script
from tests.support.dual_http import DualServer, Hit, server_tls_context
from tests.support.scripted_http import Reply
from tests.support.stream_view import TLS_DIR, collect, status_is
from tests.support.ws_script import TEXT, RawConnection, WSScriptServer

# Scripted servers are no Coder: clients name the generation, so no generation probe reaches them.
SCRIPTED = "experimental"

pytestmark = pytest.mark.timeout(30)

TOKEN = "abcdefghij-0123456789abcdefghijkl"
API_KEY = "sk-live-0123456789SECRET"
CHAT_ID = "5a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"
CHATS = "/api/experimental/chats"
STREAM = f"{CHATS}/{CHAT_ID}/stream"
REDIRECTS = [301, 302, 303, 307, 308]


def trusted() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=TLS_DIR / "ca.pem")


def no_sleep(_seconds: float) -> None:
    """Backoff without waiting."""


# --- REST: https -> http on the same host ------------------------------------------------------------


@pytest.mark.parametrize("status", REDIRECTS)
@pytest.mark.parametrize("port", ["same-port", "other-port"])
@pytest.mark.parametrize("kind", ["token", "cookie-only"])
def test_rest_https_to_http_downgrade_never_carries_the_token(status: int, port: str, kind: str) -> None:
    # cookie-only: a plain Client whose session is its cookie, which must stay on its origin as the header does.
    with DualServer(lambda hit: Reply(200, [])) as other:

        def handler(hit: Hit) -> Reply:
            if hit.tls:
                target = server if port == "same-port" else other
                return Reply(status, b"", {"Location": f"{target.url('http')}{CHATS}"})
            return Reply(200, [])

        with DualServer(handler) as server:
            settings: dict[str, Any] = {
                "base_url": server.url("https"),
                "verify_ssl": trusted(),
                "follow_redirects": True,
                "cookies": {"coder_session_token": TOKEN},
            }
            client = (
                AuthenticatedClient(api_generation=SCRIPTED, token=TOKEN, **settings)
                if kind == "token"
                else Client(**settings)
            )
            with client:
                assert list_chats.sync(client=client) == []
    landed = server if port == "same-port" else other
    first, downgraded = server.hits[0], landed.hits[-1]
    assert (first.tls, first.path) == (True, CHATS)
    assert first.headers.get("coder-session-token") == (TOKEN if kind == "token" else None)
    assert first.headers["cookie"] == f"coder_session_token={TOKEN}"
    assert (downgraded.tls, downgraded.path) == (False, CHATS)
    assert "coder-session-token" not in downgraded.headers
    assert "cookie" not in downgraded.headers
    assert not any(TOKEN in value for value in downgraded.headers.values())
    assert len(server.hits) + len(other.hits) == 2


def test_rest_same_origin_https_redirect_keeps_the_token() -> None:
    def handler(hit: Hit) -> Reply:
        if hit.path == CHATS:
            return Reply(307, b"", {"Location": "/moved"})
        return Reply(200, [])

    with DualServer(handler) as server:
        client = AuthenticatedClient(
            api_generation=SCRIPTED,
            base_url=server.url("https"),
            token=TOKEN,
            verify_ssl=trusted(),
            follow_redirects=True,
        )
        with client:
            assert list_chats.sync(client=client) == []
    assert [(h.tls, h.path, h.headers["coder-session-token"]) for h in server.hits] == [
        (True, CHATS, TOKEN),
        (True, "/moved", TOKEN),
    ]


# --- the websocket handshake -----------------------------------------------------------------------------


@pytest.fixture
def serve() -> Iterator[Callable[..., WSScriptServer]]:
    servers: list[WSScriptServer] = []

    def start(handler: Callable[[RawConnection], None], tls: ssl.SSLContext | None = None) -> WSScriptServer:
        server = WSScriptServer(handler, tls=tls)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def status_event(value: str) -> dict[str, Any]:
    return {"type": "status", "chat_id": CHAT_ID, "status": {"status": value}}


def serve_one_status(conn: RawConnection) -> None:
    conn.accept()
    conn.send_events(status_event("waiting"))
    conn.drain(timeout=5)


def tokens_seen(server: WSScriptServer) -> list[str]:
    return [c.request.headers.get("coder-session-token", "") for c in server.connections]


@pytest.mark.usefixtures("flavour")
@pytest.mark.parametrize("status", REDIRECTS)
@pytest.mark.parametrize("follow_redirects", [False, True])
def test_websocket_redirect_to_another_origin_is_refused(
    serve: Callable[..., WSScriptServer], status: int, follow_redirects: bool
) -> None:
    elsewhere = serve(serve_one_status)
    location = f"ws://127.0.0.1:{elsewhere.port}{STREAM}"
    origin = serve(lambda c: c.refuse(status, b"", {"Location": location}))
    client = AuthenticatedClient(
        api_generation=SCRIPTED, base_url=origin.url, token=TOKEN, follow_redirects=follow_redirects
    )
    with pytest.raises(APIError) as raised:
        stream_chat(client, CHAT_ID)
    assert raised.value.status_code == status
    assert raised.value.headers["location"] == location
    assert tokens_seen(origin) == [TOKEN]
    assert elsewhere.connections == []  # not even a connection: the token cannot have arrived there
    # The other server was there all along and would have recorded any handshake.
    with stream_chat(
        AuthenticatedClient(api_generation=SCRIPTED, base_url=elsewhere.url, token="other-origin-token"), CHAT_ID
    ) as stream:
        assert collect(stream, until=lambda e: True).statuses == ["waiting"]
    assert tokens_seen(elsewhere) == ["other-origin-token"]


@pytest.mark.usefixtures("flavour")
@pytest.mark.parametrize("target", ["same-port", "other-port"])
def test_websocket_wss_to_ws_downgrade_is_refused(serve: Callable[..., WSScriptServer], target: str) -> None:
    plain = serve(serve_one_status)
    port_box: list[int] = []

    def redirect(conn: RawConnection) -> None:
        port = port_box[0] if target == "same-port" else plain.port
        conn.refuse(302, b"", {"Location": f"ws://127.0.0.1:{port}{STREAM}"})

    secure = serve(redirect, tls=server_tls_context())
    port_box.append(secure.port)
    client = AuthenticatedClient(
        api_generation=SCRIPTED, base_url=secure.url, token=TOKEN, verify_ssl=trusted(), follow_redirects=True
    )
    with pytest.raises(APIError) as raised:
        stream_chat(client, CHAT_ID)
    assert raised.value.status_code == 302
    assert tokens_seen(secure) == [TOKEN]  # exactly one handshake, over TLS
    assert plain.connections == []


@pytest.mark.usefixtures("flavour")
def test_websocket_relative_redirect_on_the_same_origin_is_not_followed_either(
    serve: Callable[..., WSScriptServer],
) -> None:
    server = serve(lambda c: c.refuse(307, b"", {"Location": "/elsewhere/stream"}))
    client = AuthenticatedClient(api_generation=SCRIPTED, base_url=server.url, token=TOKEN, follow_redirects=True)
    with pytest.raises(APIError) as raised:
        stream_chat(client, CHAT_ID)
    assert raised.value.status_code == 307
    assert [c.request.path for c in server.connections] == [STREAM]
    assert tokens_seen(server) == [TOKEN]


@pytest.mark.usefixtures("flavour")
def test_websocket_redirect_while_reconnecting_is_refused(serve: Callable[..., WSScriptServer]) -> None:
    elsewhere = serve(serve_one_status)
    location = f"ws://127.0.0.1:{elsewhere.port}{STREAM}"

    def handler(conn: RawConnection) -> None:
        if len(origin.connections) == 1:
            conn.accept()
            conn.send_events(status_event("running"))
            conn.abort()  # a drop: the stream reconnects, and meets a redirect
        else:
            conn.refuse(308, b"", {"Location": location})

    origin = serve(handler)
    client = AuthenticatedClient(api_generation=SCRIPTED, base_url=origin.url, token=TOKEN, follow_redirects=True)
    stream = stream_chat(client, CHAT_ID, sleep=no_sleep)
    assert collect(stream, until=lambda e: True).statuses == ["running"]
    with pytest.raises(APIError) as raised:
        next(stream)
    assert raised.value.status_code == 308
    assert stream.closed
    assert tokens_seen(origin) == [TOKEN, TOKEN]
    assert elsewhere.connections == []


# --- nothing secret in logs, reprs and errors --------------------------------------------------------


@pytest.mark.usefixtures("flavour")
def test_debug_logging_of_a_whole_session_never_shows_the_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger and everything under it: httpx, httpcore, websocket
    seen_errors: list[BaseException] = []
    script = Script(auto_run=False, text_deltas=40, delay=0.02)
    with FakeCoder(script=script) as fake:
        token = fake.admin_token
        with AuthenticatedClient(api_generation=SCRIPTED, base_url=fake.url, token=token) as client:
            body = models.CreateChatRequest(
                content=[models.ChatInputPart(type_=models.ChatInputPartType.TEXT, text="hello")]
            )
            chat = create_chat.sync(client=client, body=body)
            provider = models.CreateChatProviderConfigRequest(provider="anthropic", api_key=API_KEY)
            create_chat_provider.sync(client=client, body=provider)
            fake.fail_next_requests(1, 503)
            get_chat.sync(chat.id, client=client)  # retried after the 503
            with stream_chat(client, chat.id, sleep=no_sleep) as stream:
                view = collect(stream, until=lambda e: getattr(e.message, "role", None) == "user")
                fake.start_turn(str(chat.id))
                collect(stream, until=lambda e: str(e.type_) == "message_part", view=view)
                fake.refuse_next_streams(1, 503)  # the first reconnection is refused,
                fake.drop_next_streams(2)  # the second cut after its snapshot and one live frame
                fake.drop_streams()
                collect(stream, until=status_is("waiting"), view=view)
                assert stream.reconnects == 2
                assert view.statuses == ["pending", "running", "waiting"]
                assert view.text == fake.script.reply_text("hello")
                for item in (stream, client, chat, provider):
                    assert token not in repr(item) and token not in str(item)
                    assert API_KEY not in repr(item) and API_KEY not in str(item)
            fake.refuse_next_streams(1, 502)
            with pytest.raises(ServerError) as refused:
                stream_chat(client, chat.id)
            seen_errors.append(refused.value)
    # The client's records: everything but the fake server's own (uvicorn, which logs request headers
    # at DEBUG, and tests.fakecoder). A real Coder server is not this library's business.
    records = [r for r in caplog.records if r.name.split(".")[0] not in ("uvicorn", "tests")]
    assert {r.name.split(".")[0] for r in records} >= {"coder_chat", "httpx", "httpcore", "httpx_retries"}
    assert any("connection dropped" in record.getMessage() for record in records)
    assert any("reconnection failed: 503" in record.getMessage() for record in records)
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in records:
        text = f"{formatter.format(record)} {record.args!r}"  # the message, the raw args, any traceback
        assert token not in text, record
        assert API_KEY not in text, record
    for error in seen_errors:
        chain = [error, error.__cause__, error.__context__]
        assert not any(token in repr(e) or token in str(e) for e in chain if e is not None)


def secret_frames() -> dict[str, tuple[int, bytes]]:
    """Frames a misbehaving server might send that hold the token: (opcode, payload)."""
    echo = json.dumps({"type": "data", "data": [{"type": "status", "chat_id": CHAT_ID, "token": TOKEN}]})
    message = {"id": 1, "chat_id": CHAT_ID, "role": "user", "created_at": TOKEN, "content": []}
    return {
        # Truncated JSON, the token well inside the preview.
        "truncated": (TEXT, echo[:-2].encode()),
        # The token straddles the 200-character preview limit: its first 11 characters are in the preview.
        "cut-at-preview": (TEXT, (' {"type":"data","data":[' + " " * 164 + f'"{TOKEN}"').encode()),
        # Not UTF-8 (decode_frame refuses it before parsing).
        "not-utf8": (TEXT, b'{"token":"' + TOKEN.encode() + b'","x":"\xff\xfe"}'),
        # Valid JSON, wrong value: the reason names the bad value, which is the token.
        "bad-value": (TEXT, json.dumps({"type": "data", "data": [{"type": "message", "message": message}]}).encode()),
        # An error envelope echoing it.
        "error-envelope": (TEXT, json.dumps({"type": "error", "data": {"message": f"bad token {TOKEN}"}}).encode()),
    }


@pytest.mark.usefixtures("flavour")
@pytest.mark.parametrize("name", list(secret_frames()))
def test_stream_errors_never_show_the_token(serve: Callable[..., WSScriptServer], name: str) -> None:
    opcode, payload = secret_frames()[name]

    def handler(conn: RawConnection) -> None:
        conn.accept()
        conn.send_frame(opcode, payload)
        conn.drain(timeout=5)

    server = serve(handler)
    stream = stream_chat(AuthenticatedClient(api_generation=SCRIPTED, base_url=server.url, token=TOKEN), CHAT_ID)
    with pytest.raises(StreamError) as raised:
        next(stream)
    error = raised.value
    assert stream.closed
    texts = [str(error), repr(error), *(str(a) for a in error.args)]
    if isinstance(error, StreamDecodeError):
        texts += [error.preview, error.reason]
        assert "[REDACTED]" in error.preview
        assert len(error.preview) <= 200
    else:
        assert isinstance(error, StreamServerError)
        assert error.message == "bad token [REDACTED]"
    for cause in (error.__cause__, error.__context__):
        if cause is not None:
            texts += [str(cause), repr(cause)]
    assert not [text for text in texts if TOKEN in text]
    assert not [text for text in texts if TOKEN[:11] in text]  # not even the part cut at the limit
    if name == "cut-at-preview":
        assert isinstance(error, StreamDecodeError)
        assert error.preview == payload.decode()[:189] + "[REDACTED]"


@pytest.mark.usefixtures("flavour")
def test_preview_masks_exactly_the_token(serve: Callable[..., WSScriptServer]) -> None:
    frame = '{"type":"data","data":[{"type":"status","token":"' + TOKEN + '","n":1'  # truncated
    server = serve(lambda c: (c.accept(), c.send_text(frame), c.drain(timeout=5)))
    stream = stream_chat(AuthenticatedClient(api_generation=SCRIPTED, base_url=server.url, token=TOKEN), CHAT_ID)
    with pytest.raises(StreamDecodeError) as raised:
        next(stream)
    assert raised.value.preview == frame.replace(TOKEN, "[REDACTED]")
    assert raised.value.reason.startswith("invalid JSON (JSONDecodeError: ")
    assert raised.value.__cause__ is not None  # the JSON error itself holds no secret: kept


@pytest.mark.usefixtures("flavour")
def test_errors_without_secrets_are_raised_unchanged(serve: Callable[..., WSScriptServer]) -> None:
    frame = '{"type":"data","data":[{"type":"status"'
    server = serve(lambda c: (c.accept(), c.send_text(frame), c.drain(timeout=5)))
    stream = stream_chat(AuthenticatedClient(api_generation=SCRIPTED, base_url=server.url, token=TOKEN), CHAT_ID)
    with pytest.raises(StreamDecodeError) as raised:
        next(stream)
    assert raised.value.preview == frame
    with pytest.raises(StreamDecodeError) as direct:
        decode_frame(frame)
    assert (raised.value.reason, raised.value.preview) == (direct.value.reason, direct.value.preview)


def test_decode_error_preview_masks_api_key() -> None:
    frame = json.dumps({"type": "data", "data": [{"type": "provider", "provider": {"api_key": API_KEY}}]})[:-1]
    with pytest.raises(StreamDecodeError) as raised:
        decode_frame(frame)
    assert API_KEY not in raised.value.preview
    assert API_KEY not in str(raised.value)


def test_decode_error_preview_masks_a_secret_cut_by_the_preview_limit() -> None:
    frame = "[" + " " * 180 + json.dumps({"api_key": API_KEY})
    with pytest.raises(StreamDecodeError) as raised:
        decode_frame(frame)
    assert raised.value.preview.endswith('{"api_key": "[REDACTED]')
    assert API_KEY[:4] not in raised.value.preview
