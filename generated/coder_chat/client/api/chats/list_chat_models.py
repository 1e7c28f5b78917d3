from typing import Any, cast

import httpx

from ... import errors
from ...client import MAX_RETRIES_EXTENSION, AuthenticatedClient, Client
from ...models.chat_models_response import ChatModelsResponse
from ...types import Response, http_status, json_body


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/experimental/chats/models",
    }

    return _kwargs


def _parse_response(*, response: httpx.Response) -> ChatModelsResponse | None:
    """The success value of a 2xx answer; None for any other status."""
    if 200 <= response.status_code <= 299:
        try:
            response_200 = ChatModelsResponse.from_dict(json_body(response))

            return response_200

        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise errors.ResponseValidationError.from_exception(
                exc, operation="list_chat_models", status_code=response.status_code, content=response.content
            ) from exc
    return None


def _build_response(*, response: httpx.Response) -> Response[ChatModelsResponse]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def _success_value(response: Response[ChatModelsResponse]) -> ChatModelsResponse:
    """The parsed value of a 2xx answer, or the typed APIError for any other."""
    if not 200 <= response.status_code <= 299:
        raise errors.api_error_from_response(int(response.status_code), response.content, response.headers)
    return cast(ChatModelsResponse, response.parsed)


def _extensions(max_retries: int | None) -> dict[str, Any]:
    return {} if max_retries is None else {MAX_RETRIES_EXTENSION: max_retries}


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Response[ChatModelsResponse]:
    """List the chat model catalog

    The model catalog built from the enabled model configs and provider key availability. Open to
    any authenticated user (not admin-only). A provider with `available: false` carries an
    `unavailable_reason`.

    Args:
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[ChatModelsResponse]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs()

    with errors.translate_transport_errors():
        response = client.get_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> ChatModelsResponse:
    """List the chat model catalog

    The model catalog built from the enabled model configs and provider key availability. Open to
    any authenticated user (not admin-only). A provider with `available: false` carries an
    `unavailable_reason`.

    Args:
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 401, 403, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        ChatModelsResponse
    """

    return _success_value(
        sync_detailed(
            client=client,
            max_retries=max_retries,
        )
    )


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Response[ChatModelsResponse]:
    """List the chat model catalog

    The model catalog built from the enabled model configs and provider key availability. Open to
    any authenticated user (not admin-only). A provider with `available: false` carries an
    `unavailable_reason`.

    Args:
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[ChatModelsResponse]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs()

    with errors.translate_transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> ChatModelsResponse:
    """List the chat model catalog

    The model catalog built from the enabled model configs and provider key availability. Open to
    any authenticated user (not admin-only). A provider with `available: false` carries an
    `unavailable_reason`.

    Args:
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 401, 403, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        ChatModelsResponse
    """

    return _success_value(
        await asyncio_detailed(
            client=client,
            max_retries=max_retries,
        )
    )
