"""What the frames of every socket share (the chat stream's, the watch's): the reference JSON parser,
envelopes, and the errors a bad frame or an error envelope raises.

Pure (no I/O). ``parse_frame`` parses a text frame as Go's decoder would accept it (no ``NaN``, no
out-of-range numbers, UTF-8 only); ``unwrap_envelope`` gives an envelope's raw events; ``decode_error``
and ``server_error`` build the ``StreamDecodeError`` (with a preview whose secrets are masked) and the
``StreamServerError`` a caller sees. ``build.py`` and ``_watch/watchcore.py`` build their events on these.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from coder_chat._runtime.exceptions import ResponseValidationError, StreamDecodeError, StreamServerError

from .._connection.redact import REDACTED

__all__ = [
    "JSON_NAMES",
    "PREVIEW_CHARS",
    "SERVER_ERROR_FALLBACK",
    "Malformed",
    "decode_error",
    "describe",
    "json_type",
    "parse_frame",
    "server_error",
    "unwrap_envelope",
]

PREVIEW_CHARS = 200
"""The most characters of a bad frame kept in ``StreamDecodeError.preview`` (a frame can be 4 MiB)."""

SERVER_ERROR_FALLBACK = "chat stream returned an error"
"""``StreamServerError.message`` when the error body has none (the Go SDK's ``formatChatStreamResponseError``)."""


class Malformed(Exception):
    """Internal: a value of the wrong JSON type; surfaces as ``StreamDecodeError``."""


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON (and the Go server) do not.
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    # json.loads turns 1e400 into inf; Go's decoder rejects it as out of range, and so do we.
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


# One decoder for every frame: json.loads with hooks would build a new one per call. This is the
# reference parser: its result, or its error, is what a frame means.
_JSON = json.JSONDecoder(parse_float=_finite_float, parse_constant=_reject_constant)


def parse_frame(frame: str | bytes) -> Any:
    """The JSON value of a frame, parsed by the reference parser; ``StreamDecodeError`` if it is none."""
    try:
        return _JSON.decode(frame.decode("utf-8") if isinstance(frame, bytes | bytearray) else frame)
    except UnicodeDecodeError as exc:
        raise decode_error(f"frame is not valid UTF-8 ({exc})", frame) from exc
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise decode_error(f"invalid JSON ({type(exc).__name__}: {exc})", frame) from exc
    except TypeError as exc:
        raise decode_error(f"frame is {type(frame).__name__}, not str or bytes", frame) from exc


def unwrap_envelope(envelope: dict[str, Any]) -> list[Any]:
    """The raw events of an envelope object (``{"type": ..., "data": ...}``), shared by every socket:
    ``data`` as an array or one object; ``[]`` for ``ping`` and unknown types; ``StreamServerError``
    for ``error``; ``Malformed`` for anything else."""
    kind = envelope.get("type")
    if kind == "data":
        if "data" not in envelope:
            raise Malformed("data envelope without 'data'")
        data = envelope["data"]
        if isinstance(data, list):
            return data
        if isinstance(data, dict):
            return [data]
        if data is None:  # Go unmarshals null into an empty batch
            return []
        raise Malformed(f"envelope 'data' is {json_type(data)}, not an array or object")
    if kind == "error":
        raise server_error(envelope.get("data"))
    if isinstance(kind, str):
        return []  # "ping", or an envelope type from a newer server
    raise Malformed(f"envelope 'type' is {json_type(kind)}, not a string")


def server_error(data: Any) -> StreamServerError:
    """The exception for an error envelope; the fallback message follows ``formatChatStreamResponseError``."""
    if isinstance(data, dict):
        message, detail = data.get("message"), data.get("detail")
        message = message.strip() if isinstance(message, str) else ""
        detail = detail.strip() if isinstance(detail, str) else ""
        return StreamServerError(message or SERVER_ERROR_FALLBACK, detail or None)
    if isinstance(data, str) and data.strip():  # Go falls back to the raw data when it is not a Response
        return StreamServerError(data.strip()[:PREVIEW_CHARS])
    return StreamServerError(SERVER_ERROR_FALLBACK)


# A JSON string member whose name says it holds a secret, up to its closing quote or the preview's end.
_SECRET_MEMBER = re.compile(r'("(?:api_key|token|session_token|password|secret)"\s*:\s*")(?:[^"\\]|\\.)*("?)')


def decode_error(reason: str, frame: object) -> StreamDecodeError:
    if isinstance(frame, str):
        preview = frame[:PREVIEW_CHARS]
    elif isinstance(frame, bytes | bytearray):
        preview = bytes(frame[:PREVIEW_CHARS]).decode("utf-8", errors="replace")
    else:
        preview = ""
    # A preview ends up in logs and tracebacks: never let it carry a secret field's value.
    return StreamDecodeError(reason, _SECRET_MEMBER.sub(rf"\1{REDACTED}\2", preview))


def describe(exc: Exception) -> str:
    if isinstance(exc, Malformed | ResponseValidationError) and not isinstance(exc, KeyError):
        return str(exc)[:PREVIEW_CHARS]  # (a model's own error names the field's path)
    if isinstance(exc, KeyError):
        return f"missing field {exc}"
    return f"{type(exc).__name__}: {exc}"[:PREVIEW_CHARS]


JSON_NAMES: dict[type, str] = {
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    list: "an array",
    dict: "an object",
    type(None): "null",
}


def json_type(value: object) -> str:
    return JSON_NAMES.get(type(value), type(value).__name__)
