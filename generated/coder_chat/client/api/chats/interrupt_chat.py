from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import MAX_RETRIES_EXTENSION, AuthenticatedClient, Client
from ...models.chat import Chat
from ...types import Response, http_status, json_body


def _get_kwargs(
    chat_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/experimental/chats/{chat_id}/interrupt".format(
            chat_id=quote(str(chat_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, response: httpx.Response) -> Chat | None:
    """The success value of a 2xx answer; None for any other status."""
    if 200 <= response.status_code <= 299:
        try:
            response_200 = Chat.from_dict(json_body(response))

            return response_200

        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise errors.ResponseValidationError.from_exception(
                exc, operation="interrupt_chat", status_code=response.status_code, content=response.content
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
    chat_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Response[Chat]:
    """Interrupt a running chat

    Cancels the in-flight run; the chat becomes `waiting` (worker, start time and heartbeat cleared). No
    request body.

    Args:
        chat_id (UUID):
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[Chat]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        chat_id=chat_id,
    )

    with errors.translate_transport_errors():
        response = client.get_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


def sync(
    chat_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Chat:
    """Interrupt a running chat

    Cancels the in-flight run; the chat becomes `waiting` (worker, start time and heartbeat cleared). No
    request body.

    Args:
        chat_id (UUID):
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 404, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Chat
    """

    return _success_value(
        sync_detailed(
            chat_id=chat_id,
            client=client,
            max_retries=max_retries,
        )
    )


async def asyncio_detailed(
    chat_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Response[Chat]:
    """Interrupt a running chat

    Cancels the in-flight run; the chat becomes `waiting` (worker, start time and heartbeat cleared). No
    request body.

    Args:
        chat_id (UUID):
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[Chat]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        chat_id=chat_id,
    )

    with errors.translate_transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


async def asyncio(
    chat_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Chat:
    """Interrupt a running chat

    Cancels the in-flight run; the chat becomes `waiting` (worker, start time and heartbeat cleared). No
    request body.

    Args:
        chat_id (UUID):
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 404, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Chat
    """

    return _success_value(
        await asyncio_detailed(
            chat_id=chat_id,
            client=client,
            max_retries=max_retries,
        )
    )
