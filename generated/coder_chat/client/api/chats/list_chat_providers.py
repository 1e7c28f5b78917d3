from typing import Any, cast

import httpx

from ... import errors
from ...client import MAX_RETRIES_EXTENSION, AuthenticatedClient, Client
from ...models.chat_provider_config import ChatProviderConfig
from ...types import Response, http_status, json_body


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/experimental/chats/providers",
    }

    return _kwargs


def _parse_response(*, response: httpx.Response) -> list[ChatProviderConfig] | None:
    """The success value of a 2xx answer; None for any other status."""
    if 200 <= response.status_code <= 299:
        try:
            response_200 = []
            _response_200 = json_body(response)
            for response_200_item_data in _response_200:
                response_200_item = ChatProviderConfig.from_dict(response_200_item_data)

                response_200.append(response_200_item)

            return response_200

        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise errors.ResponseValidationError.from_exception(
                exc, operation="list_chat_providers", status_code=response.status_code, content=response.content
            ) from exc
    return None


def _build_response(*, response: httpx.Response) -> Response[list[ChatProviderConfig]]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def _success_value(response: Response[list[ChatProviderConfig]]) -> list[ChatProviderConfig]:
    """The parsed value of a 2xx answer, or the typed APIError for any other."""
    if not 200 <= response.status_code <= 299:
        raise errors.api_error_from_response(int(response.status_code), response.content, response.headers)
    return cast(list[ChatProviderConfig], response.parsed)


def _extensions(max_retries: int | None) -> dict[str, Any]:
    return {} if max_retries is None else {MAX_RETRIES_EXTENSION: max_retries}


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Response[list[ChatProviderConfig]]:
    """List chat provider configs (admin)

    Admin only. Returns the database provider configs plus every supported provider; entries that
    are not configured carry the nil UUID `00000000-0000-0000-0000-000000000000` and source
    `supported` (or `env_preset` for providers configured from the environment).

    Args:
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[list[ChatProviderConfig]]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs()

    with errors.translate_transport_errors():
        response = client.get_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> list[ChatProviderConfig]:
    """List chat provider configs (admin)

    Admin only. Returns the database provider configs plus every supported provider; entries that
    are not configured carry the nil UUID `00000000-0000-0000-0000-000000000000` and source
    `supported` (or `env_preset` for providers configured from the environment).

    Args:
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 401, 403, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        list[ChatProviderConfig]
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
) -> Response[list[ChatProviderConfig]]:
    """List chat provider configs (admin)

    Admin only. Returns the database provider configs plus every supported provider; entries that
    are not configured carry the nil UUID `00000000-0000-0000-0000-000000000000` and source
    `supported` (or `env_preset` for providers configured from the environment).

    Args:
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[list[ChatProviderConfig]]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs()

    with errors.translate_transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> list[ChatProviderConfig]:
    """List chat provider configs (admin)

    Admin only. Returns the database provider configs plus every supported provider; entries that
    are not configured carry the nil UUID `00000000-0000-0000-0000-000000000000` and source
    `supported` (or `env_preset` for providers configured from the environment).

    Args:
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 401, 403, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        list[ChatProviderConfig]
    """

    return _success_value(
        await asyncio_detailed(
            client=client,
            max_retries=max_retries,
        )
    )
