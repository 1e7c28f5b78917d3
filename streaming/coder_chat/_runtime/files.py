"""``File``: the bytes of an upload or a download (v2 ``upload_chat_file`` / ``download_chat_file``).

The generated endpoints with a binary body or answer import it from here (templates/endpoint_module.py.jinja),
and ``upload_headers`` turns its name and media type into the request headers the server reads.
"""

from __future__ import annotations

from typing import IO

from attrs import define

__all__ = ["File", "FileTypes", "upload_headers"]

# What the generator's file properties name beside File; nothing here builds one.
FileTypes = tuple[str | None, IO[bytes] | bytes, str | None]


@define
class File:
    """A file's bytes, with its name and media type when known.

    Upload: ``File(payload=open("report.pdf", "rb"), file_name="report.pdf", mime_type="application/pdf")``;
    the server needs a name, and classifies the bytes itself when ``mime_type`` is ``None``.
    Download: ``payload`` holds the answer's bytes (``.read()``).
    """

    payload: IO[bytes] | bytes
    file_name: str | None = None
    mime_type: str | None = None


# Printed and pickled under its public module, as Unset and Response are.
File.__module__ = "coder_chat.client.types"


def upload_headers(file: File) -> dict[str, str]:
    """``Content-Type`` (the file's media type, else ``application/octet-stream``) and, when it has a name,
    ``Content-Disposition: attachment; filename="..."`` with RFC 6266's ``filename*`` for a name that is not
    plain ASCII. Raises ``ValueError`` for a name or media type with a line break (header injection)."""
    mime_type = file.mime_type or "application/octet-stream"
    if any(c in mime_type for c in "\r\n"):
        raise ValueError("File.mime_type must not contain a line break")
    headers = {"Content-Type": mime_type}
    name = file.file_name
    if name:
        if any(c in name for c in "\r\n"):
            raise ValueError("File.file_name must not contain a line break")
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        if name.isascii():
            headers["Content-Disposition"] = f'attachment; filename="{quoted}"'
        else:
            from urllib.parse import quote

            fallback = quoted.encode("ascii", "replace").decode("ascii")
            headers["Content-Disposition"] = (
                f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
            )
    return headers
