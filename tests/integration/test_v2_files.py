"""v2 chat files through the generated endpoints: an upload sends the bytes with the ``File``'s media type
and name (``Content-Disposition``), a download gives the bytes back; a loopback server records the wire."""

from __future__ import annotations

import io
from uuid import UUID

import pytest

from coder_chat._runtime.files import File, upload_headers
from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.v2 import download_chat_file, upload_chat_file
from coder_chat.client.errors import BadRequestError
from tests.support.scripted_http import RecordedRequest, Reply, ScriptedServer

pytestmark = pytest.mark.timeout(20)

ORG = UUID("703f72a1-1c6a-4b1b-9d2c-0e7c4b5a6d70")
FILE_ID = "8a0cfb4f-ddc9-436d-91bb-75133c583767"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))


def test_upload_sends_bytes_type_and_name() -> None:
    server = ScriptedServer(Reply(201, {"id": FILE_ID}))
    with server, AuthenticatedClient(base_url=server.url, token="t") as client:
        answer = upload_chat_file.sync(
            client=client,
            organization=ORG,
            body=File(payload=io.BytesIO(PNG), file_name="shot.png", mime_type="image/png"),
        )
        assert answer.id == UUID(FILE_ID)
        upload_chat_file.sync(client=client, organization=ORG, body=File(payload=b"# notes\n", file_name="notes.md"))
    first, second = server.requests
    assert (first.method, first.path) == ("POST", f"/api/v2/chats/files?organization={ORG}")
    assert first.body == PNG
    assert first.headers["content-type"] == "image/png"
    assert first.headers["content-disposition"] == 'attachment; filename="shot.png"'
    assert (second.body, second.headers["content-type"]) == (b"# notes\n", "application/octet-stream")


def test_upload_errors_are_typed() -> None:
    reply = Reply(400, {"message": "Unsupported file type.", "detail": "Allowed types: image/png."})
    with (
        ScriptedServer(reply) as server,
        AuthenticatedClient(base_url=server.url, token="t") as client,
        pytest.raises(BadRequestError, match="Unsupported file type"),
    ):
        upload_chat_file.sync(client=client, organization=ORG, body=File(payload=b"x", file_name="x.exe"))


def test_download_gives_the_bytes() -> None:
    def handler(request: RecordedRequest) -> Reply:
        return Reply(200, PNG, {"Content-Type": "image/png"})

    with ScriptedServer(handler) as server, AuthenticatedClient(base_url=server.url, token="t") as client:
        got = download_chat_file.sync(FILE_ID, client=client)
    assert isinstance(got, File)
    assert isinstance(got.payload, io.BytesIO) and got.payload.read() == PNG
    assert server.requests[0].path == f"/api/v2/chats/files/{FILE_ID}"


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ('say "hi".txt', 'attachment; filename="say \\"hi\\".txt"'),
        ("back\\slash.txt", 'attachment; filename="back\\\\slash.txt"'),
        ("café.txt", "attachment; filename=\"caf?.txt\"; filename*=UTF-8''caf%C3%A9.txt"),
    ],
)
def test_the_name_is_quoted(name: str, header: str) -> None:
    assert upload_headers(File(payload=b"", file_name=name))["Content-Disposition"] == header


def test_no_name_no_disposition_and_no_header_injection() -> None:
    assert upload_headers(File(payload=b"")) == {"Content-Type": "application/octet-stream"}
    with pytest.raises(ValueError, match="file_name must not contain a line break"):
        upload_headers(File(payload=b"", file_name="a\r\nX-Evil: 1"))
    with pytest.raises(ValueError, match="mime_type must not contain a line break"):
        upload_headers(File(payload=b"", mime_type="text/plain\nX-Evil: 1"))
