"""Wire helpers shared by the fake: timestamps, error bodies, Go-like parsing.

Everything here mimics what coderd's Go code puts on the wire, so that the
fake's error bodies match the upstream fixtures byte for byte where it matters.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.responses import Response

JSONDict = dict[str, Any]

# Set in an ASGI scope to keep an exchange out of spec validation (injected faults).
SKIP_SPEC_KEY = "fakecoder.skip_spec"
NIL_UUID = "00000000-0000-0000-0000-000000000000"
ZERO_TIME = "0001-01-01T00:00:00Z"

# Exact upstream error bodies (codersdk.Response).
SIGNED_OUT = "You are signed out or your session has expired. Please sign in again to continue."
NO_TOKEN_DETAIL = 'Cookie "coder_session_token" or query parameter must be provided.'
ROUTE_NOT_FOUND: JSONDict = {"message": "Route not found."}
RESOURCE_NOT_FOUND: JSONDict = {"message": "Resource not found or you do not have access to this resource"}
FORBIDDEN: JSONDict = {
    "message": "Forbidden.",
    "detail": "You don't have permission to view this content. If you believe this is a "
    "mistake, please contact your administrator or try signing in with different credentials.",
}
RATE_LIMITED: JSONDict = {"message": "You've been rate limited for sending too many requests!"}
QUEUE_FULL: JSONDict = {
    "message": "Message queue is full.",
    "detail": "Maximum 20 messages can be queued.",
}


class APIError(Exception):
    """An error answer: raised by handlers, turned into a JSON response by the router."""

    def __init__(self, status: int, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: JSONDict = {"message": message}
        if detail is not None:
            self.body["detail"] = detail

    @classmethod
    def with_body(cls, status: int, body: JSONDict) -> APIError:
        """An error with a prebuilt body (one of the constants above)."""
        err = cls(status, str(body.get("message", "")))
        err.body = dict(body)
        return err


def dumps(value: Any) -> bytes:
    """Compact JSON like Go's encoder: raw UTF-8, trailing newline as json.Encoder adds."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON response with `application/json`, or an empty one for 204."""
    if status == 204:
        return Response(status_code=204, headers=headers)
    return Response(dumps(body), status_code=status, media_type="application/json", headers=headers)


# --- time -----------------------------------------------------------------

_clock_lock = threading.Lock()
_last_time = datetime(1970, 1, 1, tzinfo=UTC)


def now() -> datetime:
    """Current UTC time, strictly increasing so `updated_at` ordering is total."""
    global _last_time
    with _clock_lock:
        t = datetime.now(UTC)
        if t <= _last_time:
            t = _last_time + timedelta(microseconds=1)
        _last_time = t
        return t


def fmt_time(t: datetime) -> str:
    """RFC 3339 with `Z`, fractional seconds trimmed like Go's RFC3339Nano."""
    base = t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    frac = f"{t.microsecond:06d}".rstrip("0")
    return f"{base}.{frac}Z" if frac else f"{base}Z"


def new_uuid() -> str:
    return str(uuid.uuid4())


# --- Go-like parsing ------------------------------------------------------

_HEX = re.compile(r"^[0-9a-fA-F]{32}$")


def go_parse_uuid(text: str) -> tuple[str | None, str]:
    """Parse like google/uuid.Parse: returns (canonical uuid, "") or (None, error)."""
    s = text
    if len(s) == 45 and s[:9].lower() == "urn:uuid:":
        s = s[9:]
    elif len(s) == 38 and s[0] == "{" and s[-1] == "}":
        s = s[1:-1]
    elif len(s) == 32:
        return (str(uuid.UUID(s)), "") if _HEX.match(s) else (None, "invalid UUID format")
    elif len(s) != 36:
        return None, f"invalid UUID length: {len(text)}"
    if any(s[i] != "-" for i in (8, 13, 18, 23)):
        return None, "invalid UUID format"
    hexpart = s.replace("-", "")
    if not _HEX.match(hexpart):
        return None, "invalid UUID format"
    return str(uuid.UUID(hexpart)), ""


def go_parse_int64(text: str) -> tuple[int | None, str]:
    """Parse like strconv.ParseInt(s, 10, 64): returns (value, "") or (None, error)."""
    if re.fullmatch(r"[+-]?[0-9]+", text):
        value = int(text)
        if -(2**63) <= value < 2**63:
            return value, ""
        return None, f'strconv.ParseInt: parsing "{text}": value out of range'
    return None, f'strconv.ParseInt: parsing "{text}": invalid syntax'


def go_quote(text: str) -> str:
    """Approximate Go's %q for the strings that show up in error details."""
    return json.dumps(text, ensure_ascii=False)


def decode_json_body(raw: bytes) -> Any:
    """Decode a request body like httpapi.Read (json.Decoder.Decode of the first value).

    Raises APIError 400 "Request body must be valid JSON." with Go's decoder error
    as detail: "EOF" for an empty body. Trailing data is ignored, as Go does.
    """
    text = raw.decode("utf-8", errors="replace")
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        raise APIError(400, "Request body must be valid JSON.", "EOF")
    try:
        value, _ = json.JSONDecoder().raw_decode(stripped)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(stripped.rstrip()):
            detail = "unexpected EOF"
        else:
            detail = f"invalid character {stripped[exc.pos]!r} looking for beginning of value"
        raise APIError(400, "Request body must be valid JSON.", detail) from None
    return value


# Field kinds for `read_struct`, with the Go type names used in decoder errors.
_GO_TYPES = {
    "string": "string",
    "bool": "bool",
    "int64": "int64",
    "int32": "int32",
    "uuid": "uuid.UUID",
    "parts": "[]codersdk.ChatInputPart",
    "parts_v2": "[]codersdk.ChatInputPart",
    "object": "codersdk.ChatModelCallConfig",
}


# The `ChatInputPart` fields the fake reads: text parts, and v2's file and file-reference parts.
_TEXT_PART_FIELDS = {"type": "string", "text": "string"}
_PART_FIELDS = {
    "type": "string",
    "text": "string",
    "file_id": "uuid",
    "file_name": "string",
    "start_line": "int64",
    "end_line": "int64",
    "content": "string",
}


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_error(struct: str, field: str, value: Any, kind: str) -> APIError:
    shown = _json_kind(value)
    if shown == "number":
        shown = f"number {json.dumps(value)}"
    detail = f"json: cannot unmarshal {shown} into Go struct field {struct}.{field} of type {_GO_TYPES[kind]}"
    return APIError(400, "Request body must be valid JSON.", detail)


def _check_field(struct: str, field: str, value: Any, kind: str) -> Any:
    if kind == "string" and isinstance(value, str):
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind in ("int64", "int32") and isinstance(value, (int, float)) and not isinstance(value, bool):
        bits = 63 if kind == "int64" else 31
        if float(value).is_integer() and -(2**bits) <= value < 2**bits:
            return int(value)
    if kind == "uuid" and isinstance(value, str):
        parsed, err = go_parse_uuid(value)
        if parsed is None:
            raise APIError(400, "Request body must be valid JSON.", err)
        return parsed
    if kind == "object" and isinstance(value, dict):
        return value
    if kind in ("parts", "parts_v2") and isinstance(value, list):
        parts = []
        for item in value:
            if item is None:
                item = {}
            if not isinstance(item, dict):
                raise _type_error(struct, field, item, "parts")
            part = {}
            for key, key_kind in (_PART_FIELDS if kind == "parts_v2" else _TEXT_PART_FIELDS).items():
                found = _lookup(item, key)
                if found is not None:
                    part[key] = _check_field(struct, f"{field}.{key}", found, key_kind)
            parts.append(part)
        return parts
    raise _type_error(struct, field, value, kind)


def _lookup(obj: JSONDict, key: str) -> Any:
    # encoding/json matches field names case-insensitively, preferring exact ones.
    if key in obj:
        return obj[key]
    for k, v in obj.items():
        if k.lower() == key:
            return v
    return None


def read_struct(raw: bytes, struct: str, fields: dict[str, str]) -> JSONDict:
    """Decode `raw` into a Go-like struct: known fields type-checked, unknown ones ignored.

    Missing and null fields are absent from the result (Go's zero/nil pointer).
    """
    value = decode_json_body(raw)
    if value is None:
        return {}
    if not isinstance(value, dict):
        detail = f"json: cannot unmarshal {_json_kind(value)} into Go value of type codersdk.{struct}"
        raise APIError(400, "Request body must be valid JSON.", detail)
    out: JSONDict = {}
    for name, kind in fields.items():
        found = _lookup(value, name)
        if found is not None:
            out[name] = _check_field(struct, name, found, kind)
    return out
