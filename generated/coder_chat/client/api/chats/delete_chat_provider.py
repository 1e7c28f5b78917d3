from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import MAX_RETRIES_EXTENSION, AuthenticatedClient, Client
from ...types import Response, http_status


def _get_kwargs(
    provider_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/experimental/chats/providers/{provider_id}".format(
            provider_id=quote(str(provider_id), safe=""),
        ),
    }

    return _kwargs


def _build_response(*, response: httpx.Response) -> Response[None]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=None,
    )


def _success_value(response: Response[None]) -> None:
    """The parsed value of a 2xx answer, or the typed APIError for any other."""
    if not 200 <= response.status_code <= 299:
        raise errors.api_error_from_response(int(response.status_code), response.content, response.headers)
    return cast(None, response.parsed)


def _extensions(max_retries: int | None) -> dict[str, Any]:
    return {} if max_retries is None else {MAX_RETRIES_EXTENSION: max_retries}


def sync_detailed(
    provider_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Response[None]:
    """Delete a chat provider config (admin)

    Admin only. Deletes a database provider config.

    Args:
        provider_id (UUID):
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[None]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        provider_id=provider_id,
    )

    with errors.translate_transport_errors():
        response = client.get_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


def sync(
    provider_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> None:
    """Delete a chat provider config (admin)

    Admin only. Deletes a database provider config.

    Args:
        provider_id (UUID):
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 404, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        None
    """

    return _success_value(
        sync_detailed(
            provider_id=provider_id,
            client=client,
            max_retries=max_retries,
        )
    )


async def asyncio_detailed(
    provider_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> Response[None]:
    """Delete a chat provider config (admin)

    Admin only. Deletes a database provider config.

    Args:
        provider_id (UUID):
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[None]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        provider_id=provider_id,
    )

    with errors.translate_transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


async def asyncio(
    provider_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    max_retries: int | None = None,
) -> None:
    """Delete a chat provider config (admin)

    Admin only. Deletes a database provider config.

    Args:
        provider_id (UUID):
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 404, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        None
    """

    return _success_value(
        await asyncio_detailed(
            provider_id=provider_id,
            client=client,
            max_retries=max_retries,
        )
    )
