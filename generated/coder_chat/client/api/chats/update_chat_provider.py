from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import MAX_RETRIES_EXTENSION, AuthenticatedClient, Client
from ...models.chat_provider_config import ChatProviderConfig
from ...models.update_chat_provider_config_request import UpdateChatProviderConfigRequest
from ...types import Response, http_status, json_body


def _get_kwargs(
    provider_id: UUID,
    *,
    body: UpdateChatProviderConfigRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/experimental/chats/providers/{provider_id}".format(
            provider_id=quote(str(provider_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, response: httpx.Response) -> ChatProviderConfig | None:
    """The success value of a 2xx answer; None for any other status."""
    if 200 <= response.status_code <= 299:
        try:
            response_200 = ChatProviderConfig.from_dict(json_body(response))

            return response_200

        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise errors.ResponseValidationError.from_exception(
                exc, operation="update_chat_provider", status_code=response.status_code, content=response.content
            ) from exc
    return None


def _build_response(*, response: httpx.Response) -> Response[ChatProviderConfig]:
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(response=response),
    )


def _success_value(response: Response[ChatProviderConfig]) -> ChatProviderConfig:
    """The parsed value of a 2xx answer, or the typed APIError for any other."""
    if not 200 <= response.status_code <= 299:
        raise errors.api_error_from_response(int(response.status_code), response.content, response.headers)
    return cast(ChatProviderConfig, response.parsed)


def _extensions(max_retries: int | None) -> dict[str, Any]:
    return {} if max_retries is None else {MAX_RETRIES_EXTENSION: max_retries}


def sync_detailed(
    provider_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateChatProviderConfigRequest,
    max_retries: int | None = None,
) -> Response[ChatProviderConfig]:
    """Update a chat provider config (admin)

    Admin only. Updates the display name, API key, base URL or enabled flag of a provider config.

    Args:
        provider_id (UUID):
        body (UpdateChatProviderConfigRequest): The request to update a chat provider config;
            absent fields are unchanged.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[ChatProviderConfig]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        provider_id=provider_id,
        body=body,
    )

    with errors.translate_transport_errors():
        response = client.get_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


def sync(
    provider_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateChatProviderConfigRequest,
    max_retries: int | None = None,
) -> ChatProviderConfig:
    """Update a chat provider config (admin)

    Admin only. Updates the display name, API key, base URL or enabled flag of a provider config.

    Args:
        provider_id (UUID):
        body (UpdateChatProviderConfigRequest): The request to update a chat provider config;
            absent fields are unchanged.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 404, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        ChatProviderConfig
    """

    return _success_value(
        sync_detailed(
            provider_id=provider_id,
            client=client,
            body=body,
            max_retries=max_retries,
        )
    )


async def asyncio_detailed(
    provider_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateChatProviderConfigRequest,
    max_retries: int | None = None,
) -> Response[ChatProviderConfig]:
    """Update a chat provider config (admin)

    Admin only. Updates the display name, API key, base URL or enabled flag of a provider config.

    Args:
        provider_id (UUID):
        body (UpdateChatProviderConfigRequest): The request to update a chat provider config;
            absent fields are unchanged.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        Response[ChatProviderConfig]: every status; ``parsed`` is set for 2xx answers only.
    """

    kwargs = _get_kwargs(
        provider_id=provider_id,
        body=body,
    )

    with errors.translate_transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs, extensions=_extensions(max_retries))

    return _build_response(response=response)


async def asyncio(
    provider_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateChatProviderConfigRequest,
    max_retries: int | None = None,
) -> ChatProviderConfig:
    """Update a chat provider config (admin)

    Admin only. Updates the display name, API key, base URL or enabled flag of a provider config.

    Args:
        provider_id (UUID):
        body (UpdateChatProviderConfigRequest): The request to update a chat provider config;
            absent fields are unchanged.
        max_retries: retries for this call, overriding the client's ``max_retries`` (0: none).

    Raises:
        errors.APIError: the server answered with a non-2xx status (documented: 400, 401, 403, 404, 429, 500);
            the subclass says which (NotFoundError, RateLimitError, ...).
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError on a timeout).
        errors.ResponseValidationError: a 2xx body does not match the API description.

    Returns:
        ChatProviderConfig
    """

    return _success_value(
        await asyncio_detailed(
            provider_id=provider_id,
            client=client,
            body=body,
            max_retries=max_retries,
        )
    )
