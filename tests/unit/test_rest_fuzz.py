"""Hostile 2xx bodies: whatever the server sends, a call returns a model or raises ResponseValidationError.

The bodies go through the whole public path (``sync()``, the client's transports, the generated parser);
``httpx.MockTransport`` stands in for the socket so that Hypothesis can try thousands of bodies quickly.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_chat.client import AuthenticatedClient, errors, models, types
from coder_chat.client.api.chats import create_chat_message, get_chat, list_chat_models, list_chats
from tests.unit.test_decoder_fuzz import json_texts, typed, with_insertions

# Once with msgspec reading the bodies (the `fast` extra), once with the standard library alone; the
# time limit grows with the example count (`make fuzz` runs 20,000 per property).
pytestmark = [pytest.mark.usefixtures("json_backend"), pytest.mark.timeout(60 + settings().max_examples // 10)]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)

CHAT = {
    "id": str(uuid.uuid4()),
    "owner_id": str(uuid.uuid4()),
    "last_model_config_id": str(uuid.uuid4()),
    "title": "t",
    "status": "running",
    "created_at": "2026-02-26T10:00:00Z",
    "updated_at": "2026-02-26T10:00:00Z",
    "diff_status": {
        "chat_id": str(uuid.uuid4()),
        "changes_requested": False,
        "additions": 1,
        "deletions": 0,
        "changed_files": 1,
    },
}
MESSAGE = {
    "id": 3,
    "chat_id": CHAT["id"],
    "created_at": "2026-02-26T10:00:00Z",
    "role": "assistant",
    "content": [{"type": "text", "text": "hi"}, {"type": "tool-call", "tool_call_id": "c", "args": {"a": 1}}],
    "usage": {"input_tokens": 3},
}
VALID = {"chat": CHAT, "messages": [MESSAGE], "queued_messages": []}


def _client(body: bytes) -> AuthenticatedClient:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    return AuthenticatedClient(base_url="http://127.0.0.1:9", token="t", httpx_args={"transport": transport})


CALLS: dict[str, Callable[[AuthenticatedClient], Any]] = {
    "get_chat": lambda client: get_chat.sync(uuid.uuid4(), client=client),
    "list_chats": lambda client: list_chats.sync(client=client),
    "list_chat_models": lambda client: list_chat_models.sync(client=client),
    "create_chat_message": lambda client: create_chat_message.sync(
        uuid.uuid4(), client=client, body=models.CreateChatMessageRequest(content=[])
    ),
}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replaced(value: Any, path: tuple[Any, ...], new: Any, delete: bool) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    head, rest = path[0], path[1:]
    if delete and not rest:
        del copy[head]
    else:
        copy[head] = _replaced(copy[head], rest, new, delete)
    return copy


def _assert_model_or_validation_error(call: Callable[[AuthenticatedClient], Any], body: bytes) -> None:
    try:
        call(_client(body))
    except errors.ResponseValidationError as exc:
        assert exc.status_code == 200
        assert exc.content == body


@given(name=st.sampled_from(sorted(CALLS)), body=json_values)
def test_any_json_body(name: str, body: Any) -> None:
    _assert_model_or_validation_error(CALLS[name], json.dumps(body).encode())


@given(data=st.data(), new=json_values, delete=st.booleans())
def test_valid_chat_with_one_field_mutated(data: st.DataObject, new: Any, delete: bool) -> None:
    path = data.draw(st.sampled_from(_paths(VALID)[1:]))
    body = _replaced(VALID, path, new, delete)
    _assert_model_or_validation_error(CALLS["get_chat"], json.dumps(body).encode())


@given(raw=st.binary(max_size=200) | st.just(json.dumps(VALID).encode()).map(lambda b: b[: len(b) // 2]))
def test_bytes_that_are_not_json(raw: bytes) -> None:
    _assert_model_or_validation_error(CALLS["get_chat"], raw)


def test_the_valid_body_parses() -> None:
    chat = get_chat.sync(uuid.uuid4(), client=_client(json.dumps(VALID).encode()))
    message = chat.messages[0]
    assert isinstance(message.content, list)
    assert message.content[1].args == {"a": 1}
    assert isinstance(message.usage, models.ChatMessageUsage)
    assert message.usage.input_tokens == 3


@given(
    json_texts,
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=400), st.sampled_from(['"', "1", " ", "\\ud800", "NaN", "}"])),
        max_size=3,
    ),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
)
def test_json_body_reads_a_body_exactly_as_response_json(text: str, edits: list[tuple[int, str]], codec: str) -> None:
    """msgspec or not, ``types.json_body`` gives ``response.json()``'s value (types, key order) or its error."""
    response = httpx.Response(200, content=with_insertions(text, edits).encode(codec, "surrogatepass"))
    try:
        expected: Any = ("value", typed(response.json()))
    except (ValueError, RecursionError) as exc:
        expected = ("error", type(exc))
    try:
        got: Any = ("value", typed(types.json_body(response)))
    except (ValueError, RecursionError) as exc:
        got = ("error", type(exc))
    assert got == expected


def test_a_body_nested_deeper_than_python_can_parse_is_a_validation_error() -> None:
    body = b'{"chat":' * 50_000 + b"{}" + b"}" * 50_000
    with pytest.raises(errors.ResponseValidationError, match="nested too deeply to parse") as raised:
        get_chat.sync(uuid.uuid4(), client=_client(body))
    assert isinstance(raised.value.__cause__, RecursionError)
