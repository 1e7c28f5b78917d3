from typing import Any, cast

import httpx

from ... import errors
from ...client import MAX_RETRIES_EXTENSION, AuthenticatedClient, Client
from ...models.chat import Chat
from ...models.create_chat_request import CreateChatRequest
from ...types import Response, http_status, json_body


def _get_kwargs(
    *,
    body: CreateChatRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/experimental/chats",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, response: httpx.Response) -> Chat | None:
    """The success value of a 2xx answer; None for any other status."""
    if 200 <= response.status_code <= 299:
        try:
            response_201 = Chat.from_dict(json_body(response))

            return response_201

        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise errors.ResponseValidationError.from_exception(
                exc, operation="create_chat", status_code=response.status_code, content=response.content
            ) from exc
    return None


def _build_response(*, response: httpx.Response) -> Response[Chat]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def _success_value(response: Response[Chat]) -> Chat:
    """The parsed value of a 2xx answer, or the typed APIError for any other."""
    if not 200 <= response.status_code <= 299:
        raise errors.api_error_from_response(int(response.status_code), response.content, response.headers)
    return cast(Chat, response.parsed)


def _extensions(max_retries: int | None) -> dict[str, Any]:
    return {} if max_retries is None else {MAX_RETRIES_EXTENSION: max_retries}


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateChatRequest,
    max_retries: int | None = None,
) -> Response[Chat]:
    """Create a chat

    Creates a chat from the given input parts and persists the first user message. The new chat is
    `pending` (a worker picks it up and sets `running`), `root_chat_id == id`, and
    `last_model_config_id` is the requested or default model config. If `workspace_id` is given the
    chat binds to the first agent of the workspace's latest build. The title is the first six words
    of the prompt (at most 80 runes, fallback "New Chat").

    Args:
        body (CreateChatRequest): The request to create a new chat.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[Chat]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        body=body,
    )

    with errors.translate_transport_errors():
        response = client.get_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateChatRequest,
    max_retries: int | None = None,
) -> Chat:
    """Create a chat

    Creates a chat from the given input parts and persists the first user message. The new chat is
    `pending` (a worker picks it up and sets `running`), `root_chat_id == id`, and
    `last_model_config_id` is the requested or default model config. If `workspace_id` is given the
    chat binds to the first agent of the workspace's latest build. The title is the first six words
    of the prompt (at most 80 runes, fallback "New Chat").

    Args:
        body (CreateChatRequest): The request to create a new chat.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Chat
    """

    return _success_value(
        sync_detailed(
            client=client,
            body=body,
            max_retries=max_retries,
        )
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateChatRequest,
    max_retries: int | None = None,
) -> Response[Chat]:
    """Create a chat

    Creates a chat from the given input parts and persists the first user message. The new chat is
    `pending` (a worker picks it up and sets `running`), `root_chat_id == id`, and
    `last_model_config_id` is the requested or default model config. If `workspace_id` is given the
    chat binds to the first agent of the workspace's latest build. The title is the first six words
    of the prompt (at most 80 runes, fallback "New Chat").

    Args:
        body (CreateChatRequest): The request to create a new chat.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[Chat]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        body=body,
    )

    with errors.translate_transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateChatRequest,
    max_retries: int | None = None,
) -> Chat:
    """Create a chat

    Creates a chat from the given input parts and persists the first user message. The new chat is
    `pending` (a worker picks it up and sets `running`), `root_chat_id == id`, and
    `last_model_config_id` is the requested or default model config. If `workspace_id` is given the
    chat binds to the first agent of the workspace's latest build. The title is the first six words
    of the prompt (at most 80 runes, fallback "New Chat").

    Args:
        body (CreateChatRequest): The request to create a new chat.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Chat
    """

    return _success_value(
        await asyncio_detailed(
            client=client,
            body=body,
            max_retries=max_retries,
        )
    )
