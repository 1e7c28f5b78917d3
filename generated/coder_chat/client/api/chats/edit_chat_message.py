from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import MAX_RETRIES_EXTENSION, AuthenticatedClient, Client
from ...models.chat_message import ChatMessage
from ...models.edit_chat_message_request import EditChatMessageRequest
from ...types import Response, http_status, json_body


def _get_kwargs(
    chat_id: UUID,
    message_id: int,
    *,
    body: EditChatMessageRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/experimental/chats/{chat_id}/messages/{message_id}".format(
            chat_id=quote(str(chat_id), safe=""),
            message_id=quote(str(message_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, response: httpx.Response) -> ChatMessage | None:
    """The success value of a 2xx answer; None for any other status."""
    if 200 <= response.status_code <= 299:
        try:
            response_200 = ChatMessage.from_dict(json_body(response))

            return response_200

        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise errors.ResponseValidationError.from_exception(
                exc, operation="edit_chat_message", status_code=response.status_code, content=response.content
            ) from exc
    return None


def _build_response(*, response: httpx.Response) -> Response[ChatMessage]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def _success_value(response: Response[ChatMessage]) -> ChatMessage:
    """The parsed value of a 2xx answer, or the typed APIError for any other."""
    if not 200 <= response.status_code <= 299:
        raise errors.api_error_from_response(int(response.status_code), response.content, response.headers)
    return cast(ChatMessage, response.parsed)


def _extensions(max_retries: int | None) -> dict[str, Any]:
    return {} if max_retries is None else {MAX_RETRIES_EXTENSION: max_retries}


def sync_detailed(
    chat_id: UUID,
    message_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: EditChatMessageRequest,
    max_retries: int | None = None,
) -> Response[ChatMessage]:
    """Edit a user message and re-run from it

    Replaces a user message's content in place (same id), deletes every later message and all
    queued messages, and sets the chat `pending` so it re-runs from the edited turn. The stream
    then publishes `message` (the edit), `queue_update` with `[]`, and `status`.

    Args:
        chat_id (UUID):
        message_id (int):
        body (EditChatMessageRequest): The request to edit a user message in a chat.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[ChatMessage]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        chat_id=chat_id,
        message_id=message_id,
        body=body,
    )

    with errors.translate_transport_errors():
        response = client.get_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


def sync(
    chat_id: UUID,
    message_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: EditChatMessageRequest,
    max_retries: int | None = None,
) -> ChatMessage:
    """Edit a user message and re-run from it

    Replaces a user message's content in place (same id), deletes every later message and all
    queued messages, and sets the chat `pending` so it re-runs from the edited turn. The stream
    then publishes `message` (the edit), `queue_update` with `[]`, and `status`.

    Args:
        chat_id (UUID):
        message_id (int):
        body (EditChatMessageRequest): The request to edit a user message in a chat.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 404, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        ChatMessage
    """

    return _success_value(
        sync_detailed(
            chat_id=chat_id,
            message_id=message_id,
            client=client,
            body=body,
            max_retries=max_retries,
        )
    )


async def asyncio_detailed(
    chat_id: UUID,
    message_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: EditChatMessageRequest,
    max_retries: int | None = None,
) -> Response[ChatMessage]:
    """Edit a user message and re-run from it

    Replaces a user message's content in place (same id), deletes every later message and all
    queued messages, and sets the chat `pending` so it re-runs from the edited turn. The stream
    then publishes `message` (the edit), `queue_update` with `[]`, and `status`.

    Args:
        chat_id (UUID):
        message_id (int):
        body (EditChatMessageRequest): The request to edit a user message in a chat.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[ChatMessage]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        chat_id=chat_id,
        message_id=message_id,
        body=body,
    )

    with errors.translate_transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


async def asyncio(
    chat_id: UUID,
    message_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: EditChatMessageRequest,
    max_retries: int | None = None,
) -> ChatMessage:
    """Edit a user message and re-run from it

    Replaces a user message's content in place (same id), deletes every later message and all
    queued messages, and sets the chat `pending` so it re-runs from the edited turn. The stream
    then publishes `message` (the edit), `queue_update` with `[]`, and `status`.

    Args:
        chat_id (UUID):
        message_id (int):
        body (EditChatMessageRequest): The request to edit a user message in a chat.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 404, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        ChatMessage
    """

    return _success_value(
        await asyncio_detailed(
            chat_id=chat_id,
            message_id=message_id,
            client=client,
            body=body,
            max_retries=max_retries,
        )
    )
