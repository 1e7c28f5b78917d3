"""Error answers through the generated REST client: typed exceptions with the upstream bodies.

``sync()`` raises the ``APIError`` subclass of the status with ``.status_code``, ``.message`` and
``.detail`` from Coder's error body; ``sync_detailed()`` returns the same answer with ``parsed is None``.
Expected bodies come from ``tests/conformance/fixtures/errors/*.json`` where upstream has one, else from
docs/protocol.md (REST errors).

Not reachable through the typed client, and covered with raw httpx by ``tests/fakecoder_tests``: a
non-UUID ``{chat}``/provider/model-config id (400 ``Invalid UUID "chat".``, ``Invalid chat provider ID.``,
``Invalid chat model config ID.``), a non-integer message or queued-message id (``invalid syntax``), and
bodies that are not JSON (``Request body must be valid JSON.``): the generated functions only accept
``UUID``/``int`` ids and always send a serialized model.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

import pytest

import coder_chat.client.api.chats as chats_package
from coder_chat.client import AuthenticatedClient, Client, errors, models
from coder_chat.client.api.chats import (
    create_chat,
    create_chat_message,
    create_chat_model_config,
    create_chat_provider,
    delete_chat,
    delete_chat_model_config,
    delete_chat_provider,
    delete_chat_queued_message,
    edit_chat_message,
    get_chat,
    get_chat_diff_contents,
    get_chat_diff_status,
    get_chat_git_changes,
    interrupt_chat,
    list_chat_model_configs,
    list_chat_models,
    list_chat_providers,
    list_chats,
    promote_chat_queued_message,
    update_chat_model_config,
    update_chat_provider,
)
from tests.fakecoder import FakeCoder, Script

pytestmark = pytest.mark.timeout(20)

Fixtures = Callable[[str], Any]

CLASSES: dict[int, type[errors.APIError]] = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    409: errors.ConflictError,
    429: errors.RateLimitError,
    500: errors.ServerError,
    503: errors.ServerError,
}
NOT_FOUND = "Resource not found or you do not have access to this resource"
SIGNED_OUT = "You are signed out or your session has expired. Please sign in again to continue."


def text_part(text: str, kind: str = "text") -> models.ChatInputPart:
    return models.ChatInputPart(type_=models.ChatInputPartType(kind), text=text)


def ask(*texts: str) -> models.CreateChatRequest:
    return models.CreateChatRequest(content=[text_part(t) for t in texts])


def say(*texts: str) -> models.CreateChatMessageRequest:
    return models.CreateChatMessageRequest(content=[text_part(t) for t in texts])


def raised(call: Callable[[], object]) -> errors.APIError:
    """The APIError that `call` raises (the test fails if it returns)."""
    with pytest.raises(errors.APIError) as caught:
        call()
    return caught.value


def check(err: errors.APIError, status: int, message: str, detail: str | None = None) -> None:
    """The exact exception class and fields for a Coder error body {message[, detail]}."""
    assert type(err) is CLASSES[status], repr(err)
    assert (err.status_code, err.message, err.detail, err.validations) == (status, message, detail, [])
    assert json.loads(err.content) == ({"message": message} | ({"detail": detail} if detail else {}))
    assert err.headers["content-type"] == "application/json"
    phrase = HTTPStatus(status).phrase
    assert str(err) == f"{status} {phrase}: {message}" + (f" ({detail})" if detail else "")


def check_upstream(err: errors.APIError, fixture: dict[str, Any], *, handler_detail: str | None = None) -> None:
    """Against an upstream error fixture; `handler_detail` is the detail upstream's handler sets where the
    fixture (built from test assertions) records only the message."""
    body = fixture["body"]
    assert handler_detail is None or "detail" not in body
    check(err, fixture["status"], body["message"], body.get("detail", handler_detail))


def check_detailed(response: Any, status: int, message: str, detail: str | None = None) -> None:
    """A sync_detailed answer for an error: no exception, nothing parsed, the raw body kept."""
    assert response.status_code == status
    assert isinstance(response.status_code, HTTPStatus)
    assert response.parsed is None
    assert json.loads(response.content) == ({"message": message} | ({"detail": detail} if detail else {}))


# --- 400: content -----------------------------------------------------------------------------


def test_create_chat_content_errors(admin: AuthenticatedClient, fixture_json: Fixtures) -> None:
    empty = raised(lambda: create_chat.sync(client=admin, body=ask()))
    check_upstream(empty, fixture_json("errors/create-chat-empty-content.400.json"))
    blank = raised(lambda: create_chat.sync(client=admin, body=ask("   ")))
    check_upstream(blank, fixture_json("errors/create-chat-empty-text.400.json"))
    image = raised(
        lambda: create_chat.sync(client=admin, body=models.CreateChatRequest(content=[text_part("x", "image")]))
    )
    check_upstream(image, fixture_json("errors/create-chat-unsupported-part-type.400.json"))
    # The index names the offending part.
    second = raised(lambda: create_chat.sync(client=admin, body=ask("fine", " \n ")))
    check(second, 400, "Invalid input part.", "content[1].text cannot be empty.")
    no_text = raised(
        lambda: create_chat.sync(
            client=admin, body=models.CreateChatRequest(content=[text_part("a"), text_part("b", "file")])
        )
    )
    check(no_text, 400, "Invalid input part.", 'content[1].type "file" is not supported.')

    response = create_chat.sync_detailed(client=admin, body=ask("   "))
    check_detailed(response, 400, "Invalid input part.", "content[0].text cannot be empty.")
    assert list_chats.sync(client=admin) == []  # nothing was created


def test_create_chat_message_and_edit_content_errors(
    fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Fixtures
) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat.sync(client=admin, body=ask("hello"))
    (first,) = get_chat.sync(chat.id, client=admin).messages

    blank = raised(lambda: create_chat_message.sync(chat.id, client=admin, body=say("   ")))
    check_upstream(blank, fixture_json("errors/create-chat-empty-text.400.json"))
    empty = raised(lambda: create_chat_message.sync(chat.id, client=admin, body=say()))
    check_upstream(empty, fixture_json("errors/create-chat-empty-content.400.json"))

    edit_body = models.EditChatMessageRequest(content=[text_part("x", "image")])
    image = raised(lambda: edit_chat_message.sync(chat.id, first.id, client=admin, body=edit_body))
    check_upstream(image, fixture_json("errors/create-chat-unsupported-part-type.400.json"))
    edit_blank = models.EditChatMessageRequest(content=[text_part("\t")])
    check_upstream(
        raised(lambda: edit_chat_message.sync(chat.id, first.id, client=admin, body=edit_blank)),
        fixture_json("errors/create-chat-empty-text.400.json"),
    )

    got = get_chat.sync(chat.id, client=admin)
    assert [m.to_dict()["content"] for m in got.messages] == [[{"type": "text", "text": "hello"}]]
    assert got.queued_messages == []


# --- 400: workspace and model config ----------------------------------------------------------


def test_create_chat_workspace_not_found(fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Fixtures) -> None:
    fixture = fixture_json("errors/create-chat-workspace-not-found.400.json")
    for workspace in (UUID(fake.add_workspace("member")), uuid.uuid4()):  # another user's, and unknown
        body = ask("in a workspace")
        body.workspace_id = workspace
        check_upstream(raised(partial(create_chat.sync, client=admin, body=body)), fixture)


def test_create_chat_invalid_model_config(admin: AuthenticatedClient) -> None:
    for config_id in (UUID(int=0), uuid.uuid4()):
        body = ask("hello")
        body.model_config_id = config_id
        check(raised(partial(create_chat.sync, client=admin, body=body)), 400, "Invalid model config ID.")


def test_create_chat_without_default_model_config(admin: AuthenticatedClient, fixture_json: Fixtures) -> None:
    for config in list_chat_model_configs.sync(client=admin):
        delete_chat_model_config.sync(config.id, client=admin)
    err = raised(lambda: create_chat.sync(client=admin, body=ask("hello")))
    check_upstream(err, fixture_json("errors/create-chat-no-default-model-config.400.json"))


# --- 401 ---------------------------------------------------------------------------------------

Call = tuple[ModuleType, tuple[Any, ...], dict[str, Any]]


def every_operation(some_id: UUID) -> dict[str, Call]:
    """All 21 operations with well-formed arguments: (module, positional path params, keyword body)."""
    config_body = models.CreateChatModelConfigRequest(provider="openai", model="gpt-4o", context_limit=1)
    return {
        "list_chats": (list_chats, (), {}),
        "create_chat": (create_chat, (), {"body": ask("hi")}),
        "list_chat_models": (list_chat_models, (), {}),
        "list_chat_providers": (list_chat_providers, (), {}),
        "create_chat_provider": (
            create_chat_provider,
            (),
            {"body": models.CreateChatProviderConfigRequest(provider="google")},
        ),
        "update_chat_provider": (
            update_chat_provider,
            (some_id,),
            {"body": models.UpdateChatProviderConfigRequest(enabled=False)},
        ),
        "delete_chat_provider": (delete_chat_provider, (some_id,), {}),
        "list_chat_model_configs": (list_chat_model_configs, (), {}),
        "create_chat_model_config": (create_chat_model_config, (), {"body": config_body}),
        "update_chat_model_config": (
            update_chat_model_config,
            (some_id,),
            {"body": models.UpdateChatModelConfigRequest(context_limit=2)},
        ),
        "delete_chat_model_config": (delete_chat_model_config, (some_id,), {}),
        "get_chat": (get_chat, (some_id,), {}),
        "delete_chat": (delete_chat, (some_id,), {}),
        "create_chat_message": (create_chat_message, (some_id,), {"body": say("hi")}),
        "edit_chat_message": (
            edit_chat_message,
            (some_id, 1),
            {"body": models.EditChatMessageRequest(content=[text_part("hi")])},
        ),
        "interrupt_chat": (interrupt_chat, (some_id,), {}),
        "get_chat_git_changes": (get_chat_git_changes, (some_id,), {}),
        "get_chat_diff_status": (get_chat_diff_status, (some_id,), {}),
        "get_chat_diff_contents": (get_chat_diff_contents, (some_id,), {}),
        "delete_chat_queued_message": (delete_chat_queued_message, (some_id, 1), {}),
        "promote_chat_queued_message": (promote_chat_queued_message, (some_id, 1), {}),
    }


OPERATIONS = sorted(every_operation(UUID(int=1)))


def test_the_table_has_every_operation() -> None:
    modules = {p.stem for p in Path(chats_package.__file__ or "").parent.glob("*.py")} - {"__init__"}
    assert set(OPERATIONS) == modules
    assert len(OPERATIONS) == 21


@pytest.fixture(scope="module")
def shared_chat(shared_fake: FakeCoder) -> UUID:
    """A real chat of the admin on the shared fake: 401 must come before the chat checks."""
    return UUID(shared_fake.create_chat("exists"))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_operation_without_a_token(
    operation: str, shared_fake: FakeCoder, shared_chat: UUID, fixture_json: Fixtures
) -> None:
    module, args, kwargs = every_operation(shared_chat)[operation]
    fixture = fixture_json("errors/unauthenticated-no-token.401.json")
    with Client(base_url=shared_fake.url) as anon:
        err = raised(lambda: module.sync(*args, client=anon, **kwargs))
        check_upstream(err, fixture)
        response = module.sync_detailed(*args, client=anon, **kwargs)  # never raises for an error status
    check_detailed(response, 401, fixture["body"]["message"], fixture["body"]["detail"])
    assert list(shared_fake.state.chats) == [str(shared_chat)]


@pytest.mark.parametrize(
    ("token", "detail"),
    [
        ("not-a-token", "Invalid API key format: incorrect amount of API key parts, expected 2 got 3"),
        ("short-abcdefghijklmnopqrstuv", "Invalid API key format: invalid API key ID length, expected 10 got 5"),
        ("abcdefghij-tooshort", "Invalid API key format: invalid API key secret length, expected 22 got 8"),
        ("abcdefghij-abcdefghijklmnopqrstuv", "API key is invalid."),
        ("<admin key id>-xxxxxxxxxxxxxxxxxxxxxx", "API key secret is invalid."),
    ],
    ids=["parts", "id-length", "secret-length", "unknown-key", "wrong-secret"],
)
def test_bad_tokens(shared_fake: FakeCoder, shared_chat: UUID, token: str, detail: str) -> None:
    token = token.replace("<admin key id>", shared_fake.admin_token.split("-")[0])
    with AuthenticatedClient(base_url=shared_fake.url, token=token) as client:
        err = raised(lambda: list_chats.sync(client=client))
        check(err, 401, SIGNED_OUT, detail)
        assert token not in str(err) and token not in repr(client)
        check(raised(lambda: create_chat.sync(client=client, body=ask("hi"))), 401, SIGNED_OUT, detail)
        check(raised(lambda: get_chat.sync(shared_chat, client=client)), 401, SIGNED_OUT, detail)
    assert list(shared_fake.state.chats) == [str(shared_chat)]


# --- 404 ---------------------------------------------------------------------------------------


CHAT_SCOPED = (
    "get_chat",
    "delete_chat",
    "create_chat_message",
    "edit_chat_message",
    "interrupt_chat",
    "get_chat_git_changes",
    "get_chat_diff_status",
    "get_chat_diff_contents",
    "delete_chat_queued_message",
    "promote_chat_queued_message",
)


def chat_scoped(chat_id: UUID) -> dict[str, Callable[[AuthenticatedClient], object]]:
    """The operations under /chats/{chat}, as calls of a client, for `chat_id`."""
    calls = every_operation(chat_id)

    def bind(call: Call) -> Callable[[AuthenticatedClient], object]:
        module, args, kwargs = call
        return lambda client: module.sync(*args, client=client, **kwargs)

    return {name: bind(calls[name]) for name in CHAT_SCOPED}


def test_other_users_chat_is_not_found(
    fake: FakeCoder, admin: AuthenticatedClient, member: AuthenticatedClient, fixture_json: Fixtures
) -> None:
    theirs = create_chat.sync(client=member, body=ask("member's secret"))
    assert fake.wait_idle(str(theirs.id)) == "waiting"
    before = get_chat.sync(theirs.id, client=member).to_dict()
    fixture = fixture_json("errors/resource-not-found.404.json")

    calls = chat_scoped(theirs.id)
    assert len(calls) == 10
    for name, call in calls.items():
        err = raised(partial(call, admin))
        assert err.status_code == 404, name
        check_upstream(err, fixture)  # git-changes too: the chat checks run before route matching
    response = get_chat.sync_detailed(theirs.id, client=admin)
    check_detailed(response, 404, NOT_FOUND)
    assert get_chat.sync(theirs.id, client=member).to_dict() == before  # untouched


def test_unknown_chat_is_not_found(admin: AuthenticatedClient, fixture_json: Fixtures) -> None:
    fixture = fixture_json("errors/resource-not-found.404.json")
    for call in chat_scoped(uuid.uuid4()).values():
        check_upstream(raised(partial(call, admin)), fixture)


def test_git_changes_route_not_found(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    chat = create_chat.sync(client=admin, body=ask("any changes?"))
    err = raised(lambda: get_chat_git_changes.sync(chat.id, client=admin))
    check(err, 404, "Route not found.")
    response = get_chat_git_changes.sync_detailed(chat.id, client=admin)
    check_detailed(response, 404, "Route not found.")


def test_edit_message_errors(fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Fixtures) -> None:
    chat = create_chat.sync(client=admin, body=ask("first"))
    other = create_chat.sync(client=admin, body=ask("another chat"))
    fake.wait_idle(str(chat.id))
    fake.wait_idle(str(other.id))
    user, assistant, tool = get_chat.sync(chat.id, client=admin).messages
    body = models.EditChatMessageRequest(content=[text_part("edited")])

    not_found = fixture_json("errors/edit-message-not-found.404.json")
    handler_detail = "Message does not belong to this chat."
    err = raised(lambda: edit_chat_message.sync(chat.id, 999999, client=admin, body=body))
    check_upstream(err, not_found, handler_detail=handler_detail)
    other_message = get_chat.sync(other.id, client=admin).messages[0].id
    err = raised(lambda: edit_chat_message.sync(chat.id, other_message, client=admin, body=body))
    check_upstream(err, not_found, handler_detail=handler_detail)

    invalid = fixture_json("errors/edit-message-invalid-id.400.json")
    for bad in (0, -1):
        err = raised(partial(edit_chat_message.sync, chat.id, bad, client=admin, body=body))
        check_upstream(err, invalid, handler_detail="Message ID must be a positive integer.")

    for not_user in (assistant.id, tool.id):
        err = raised(partial(edit_chat_message.sync, chat.id, not_user, client=admin, body=body))
        check(err, 400, "Only user messages can be edited.")

    response = edit_chat_message.sync_detailed(chat.id, 999999, client=admin, body=body)
    check_detailed(response, 404, "Chat message not found.", handler_detail)
    assert [m.id for m in get_chat.sync(chat.id, client=admin).messages] == [user.id, assistant.id, tool.id]


def test_queue_item_errors(fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Fixtures) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat.sync(client=admin, body=ask("busy"))
    queued = create_chat_message.sync(chat.id, client=admin, body=say("waiting")).queued_message
    assert isinstance(queued, models.ChatQueuedMessage)

    check(raised(lambda: promote_chat_queued_message.sync(chat.id, 999999, client=admin)), 404, NOT_FOUND)

    # The only non-integer id an `int` parameter can send: one past int64.
    fixture = fixture_json("errors/queue-invalid-id.400.json")
    too_big = 2**63
    detail = f'strconv.ParseInt: parsing "{too_big}": value out of range'
    err = raised(lambda: delete_chat_queued_message.sync(chat.id, too_big, client=admin))
    check_upstream(err, fixture, handler_detail=detail)
    err = raised(lambda: promote_chat_queued_message.sync(chat.id, too_big, client=admin))
    check_upstream(err, fixture, handler_detail=detail)
    check_detailed(
        delete_chat_queued_message.sync_detailed(chat.id, too_big, client=admin),
        400,
        "Invalid queued message ID.",
        detail,
    )
    assert [q.id for q in get_chat.sync(chat.id, client=admin).queued_messages] == [queued.id]


# --- 429 ---------------------------------------------------------------------------------------


def test_queue_full_at_the_21st_message(fake: FakeCoder, admin: AuthenticatedClient, fixture_json: Fixtures) -> None:
    fake.script = Script(auto_run=False)
    chat = create_chat.sync(client=admin, body=ask("start"))  # pending until start_turn: every message queues
    for i in range(20):
        assert create_chat_message.sync(chat.id, client=admin, body=say(f"q{i}")).queued is True

    err = raised(lambda: create_chat_message.sync(chat.id, client=admin, body=say("one too many")))
    check_upstream(err, fixture_json("errors/post-message-queue-full.429.json"))
    assert isinstance(err, errors.RateLimitError)
    assert err.retry_after is None
    response = create_chat_message.sync_detailed(chat.id, client=admin, body=say("still too many"))
    check_detailed(response, 429, "Message queue is full.", "Maximum 20 messages can be queued.")

    queue = get_chat.sync(chat.id, client=admin).queued_messages
    assert [q.to_dict()["content"][0]["text"] for q in queue] == [f"q{i}" for i in range(20)]


def test_rate_limited_with_retry_after(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.fail_next_requests(1, 429, retry_after=7)
    err = raised(lambda: create_chat.sync(client=admin, body=ask("hi")))  # POST: not retried
    check(err, 429, "You've been rate limited for sending too many requests!")
    assert isinstance(err, errors.RateLimitError)
    assert err.retry_after == 7.0
    assert err.headers["retry-after"] == "7"
    assert list_chats.sync(client=admin) == []


# --- 409 and admin-route 400/404 -----------------------------------------------------------------


def test_provider_errors(admin: AuthenticatedClient, fixture_json: Fixtures) -> None:
    duplicate = raised(
        lambda: create_chat_provider.sync(
            client=admin, body=models.CreateChatProviderConfigRequest(provider="openai", api_key="k")
        )
    )
    check_upstream(duplicate, fixture_json("errors/provider-conflict.409.json"))
    check_detailed(
        create_chat_provider.sync_detailed(
            client=admin, body=models.CreateChatProviderConfigRequest(provider="openai")
        ),
        409,
        "Chat provider already exists.",
    )

    invalid = raised(
        lambda: create_chat_provider.sync(
            client=admin, body=models.CreateChatProviderConfigRequest(provider="not-a-provider")
        )
    )
    check_upstream(
        invalid,
        fixture_json("errors/provider-invalid.400.json"),
        handler_detail="Provider must be one of: anthropic, google, openai, openaicompat, openrouter, vercel.",
    )

    bad_url = raised(
        lambda: create_chat_provider.sync(
            client=admin, body=models.CreateChatProviderConfigRequest(provider="google", base_url="ftp://x/")
        )
    )
    assert (bad_url.status_code, bad_url.message) == (400, "Invalid provider base URL.")
    assert isinstance(bad_url, errors.BadRequestError)

    missing = uuid.uuid4()
    update = models.UpdateChatProviderConfigRequest(display_name="x")
    check(raised(lambda: update_chat_provider.sync(missing, client=admin, body=update)), 404, NOT_FOUND)
    check(raised(lambda: delete_chat_provider.sync(missing, client=admin)), 404, NOT_FOUND)
    check_detailed(delete_chat_provider.sync_detailed(missing, client=admin), 404, NOT_FOUND)
    assert [p.provider for p in list_chat_providers.sync(client=admin) if p.source == "database"] == ["openai"]


def test_model_config_errors(admin: AuthenticatedClient, fixture_json: Fixtures) -> None:
    def create(**fields: Any) -> errors.APIError:
        body = models.CreateChatModelConfigRequest(**{"provider": "openai", "model": "gpt-4o", **fields})
        return raised(lambda: create_chat_model_config.sync(client=admin, body=body))

    missing_limit = fixture_json("errors/model-config-missing-context-limit.400.json")
    detail = "context_limit must be greater than zero."
    check_upstream(create(), missing_limit, handler_detail=detail)
    check_upstream(create(context_limit=0), missing_limit, handler_detail=detail)
    check_upstream(
        create(provider="anthropic", context_limit=1),
        fixture_json("errors/model-config-provider-not-configured.400.json"),
    )
    check(create(model="  ", context_limit=1), 400, "Model is required.")
    check(
        create(context_limit=1, compression_threshold=101),
        400,
        "Invalid compression threshold.",
        "compression_threshold must be between 0 and 100.",
    )
    check(create(model="gpt-4o-mini", context_limit=1), 409, "Chat model config already exists.")

    (config,) = list_chat_model_configs.sync(client=admin)
    zero = models.UpdateChatModelConfigRequest(context_limit=0)
    err = raised(lambda: update_chat_model_config.sync(config.id, client=admin, body=zero))
    check_upstream(err, fixture_json("errors/model-config-invalid-context-limit.400.json"))
    check_detailed(
        update_chat_model_config.sync_detailed(config.id, client=admin, body=zero),
        400,
        "Context limit must be greater than zero.",
    )

    missing = uuid.uuid4()
    rename = models.UpdateChatModelConfigRequest(display_name="x")
    check(raised(lambda: update_chat_model_config.sync(missing, client=admin, body=rename)), 404, NOT_FOUND)
    check(raised(lambda: delete_chat_model_config.sync(missing, client=admin)), 404, NOT_FOUND)
    assert [c.to_dict() for c in list_chat_model_configs.sync(client=admin)] == [config.to_dict()]


# --- 5xx and odd bodies (injected before routing, like a proxy or the rate limiter) ---------------


def test_server_errors(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    fake.fail_next_requests(1, 500, body={"message": "Failed to create chat.", "detail": "db is down"})
    err = raised(lambda: create_chat.sync(client=admin, body=ask("hi")))
    assert type(err) is errors.ServerError
    assert (err.status_code, err.message, err.detail) == (500, "Failed to create chat.", "db is down")
    assert str(err) == "500 Internal Server Error: Failed to create chat. (db is down)"

    fake.fail_next_requests(1, 503, body="upstream connect error")  # text/plain, not Coder's shape
    err = raised(lambda: list_chats.sync(client=admin, max_retries=0))
    assert type(err) is errors.ServerError
    assert (err.status_code, err.message, err.detail, err.content) == (
        503,
        "upstream connect error",
        None,
        b"upstream connect error",
    )

    fake.fail_next_requests(1, 520)  # outside HTTPStatus
    response = list_chats.sync_detailed(client=admin, max_retries=0)
    assert (response.status_code, response.parsed) == (520, None)
    fake.fail_next_requests(1, 520)
    err = raised(lambda: list_chats.sync(client=admin, max_retries=0))
    assert type(err) is errors.ServerError
    assert str(err) == "520 Unknown Status: Injected 520 error."


def test_retries_only_where_safe(fake: FakeCoder) -> None:
    """GET is retried past a 503; a POST is not re-sent (it could duplicate a chat or a message)."""
    with AuthenticatedClient(base_url=fake.url, token=fake.admin_token, retry_backoff=0.01) as client:
        fake.fail_next_requests(1, 503)
        assert list_chats.sync(client=client) == []

        fake.fail_next_requests(1, 503)
        err = raised(lambda: create_chat.sync(client=client, body=ask("once")))
        check(err, 503, "Injected 503 error.")
        assert list_chats.sync(client=client) == []  # the POST was sent once, and refused

        fake.fail_next_requests(3, 503)  # more than max_retries=2: the last answer comes back
        check(raised(lambda: list_chat_models.sync(client=client)), 503, "Injected 503 error.")
        fake.fail_next_requests(1, 429, retry_after=3600)  # longer than max_retry_after: not waited for
        err = raised(lambda: list_chats.sync(client=client))
        assert isinstance(err, errors.RateLimitError) and err.retry_after == 3600.0
        assert list_chat_models.sync(client=client).providers[0].provider == "openai"


# --- 2xx bodies that do not match the spec (the fake's real answer, broken, sent back as a canned 200) -----


def test_a_malformed_success_body_names_the_path_of_the_bad_value(fake: FakeCoder, admin: AuthenticatedClient) -> None:
    chat = create_chat.sync(client=admin, body=ask("hi"))
    body = json.loads(get_chat.sync_detailed(chat.id, client=admin).content)
    assert body["messages"], "the fake answers a new chat with its first message"

    body["messages"][-1]["created_at"] = "yesterday"
    fake.fail_next_requests(1, 200, body=body)
    with pytest.raises(errors.ResponseValidationError) as caught:
        get_chat.sync(chat.id, client=admin)
    path = f"messages[{len(body['messages']) - 1}].created_at"
    assert (caught.value.field, caught.value.status_code) == (path, 200)
    assert str(caught.value) == (
        f"invalid 200 response to get_chat: field '{path}' must be an RFC 3339 date-time, not the string 'yesterday'"
    )
    assert json.loads(caught.value.content) == body  # the raw body, as it came

    del body["chat"]["owner_id"]
    fake.fail_next_requests(1, 200, body=body)
    with pytest.raises(errors.ResponseValidationError) as caught:
        get_chat.sync(chat.id, client=admin)
    assert caught.value.field == "chat.owner_id"
    assert str(caught.value) == "invalid 200 response to get_chat: field 'chat.owner_id' is required but missing"
