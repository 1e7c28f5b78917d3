"""The organization a new chat is created in (v2 requires one; experimental servers from April 2026 too).

``resolve_organization(client, organization_id)`` / ``aresolve_organization``, in this order:
1. ``organization_id`` when given (a ``UUID`` or its string), without a request;
2. else ``CODER_ORGANIZATION``, an organization id (no request) or name, as the Coder CLI's ``--org``;
3. else the caller's organizations (``GET /api/v2/users/me/organizations``): the only one, or the one
   marked default; several and none default raise ``ValueError`` naming them.
A server without that route (an experimental one answers 404) gives ``None``: no organization is sent.
Steps 2-3 run once per client object (``OnceCache``; a failure is not kept). docs/protocol.md, "Two generations".
"""

from __future__ import annotations

import os
from uuid import UUID

from coder_chat.client import AuthenticatedClient, Client
from coder_chat.client.api.v2 import list_user_organizations
from coder_chat.client.errors import NotFoundError
from coder_chat.client.models import Organization

__all__ = ["ORGANIZATION_VARIABLE", "aresolve_organization", "resolve_organization"]

ORGANIZATION_VARIABLE = "CODER_ORGANIZATION"


def _as_uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def _given(organization_id: UUID | str) -> UUID:
    if isinstance(organization_id, UUID):
        return organization_id
    if isinstance(organization_id, str) and (found := _as_uuid(organization_id.strip())) is not None:
        return found
    raise ValueError(f"organization_id must be a UUID or its string, not {organization_id!r}")


def _wanted() -> tuple[UUID | None, str]:
    """``CODER_ORGANIZATION`` as an id, else as a name (``""`` when unset or blank)."""
    value = os.environ.get(ORGANIZATION_VARIABLE, "").strip()
    return _as_uuid(value), value


def _listing(organizations: list[Organization]) -> str:
    return ", ".join(f"{o.name} ({o.id})" for o in organizations) or "none"


def choose_organization(organizations: list[Organization] | None, name: str = "") -> UUID | None:
    """The organization to use among the caller's (``None``: the server does not list them), by ``name`` when
    given (case-insensitive, as Coder's organization names), else the only or the default one."""
    if organizations is None:
        if name:
            raise ValueError(
                f"{ORGANIZATION_VARIABLE}={name!r} is not an organization id, and this server does not list "
                "organizations: set it to the organization's id"
            )
        return None
    if name:
        for organization in organizations:
            if organization.name.casefold() == name.casefold():
                return organization.id
        raise ValueError(
            f"{ORGANIZATION_VARIABLE}={name!r}: you are not a member of an organization of that name "
            f"(yours: {_listing(organizations)})"
        )
    if len(organizations) == 1:
        return organizations[0].id
    defaults = [o for o in organizations if o.is_default is True]
    if len(defaults) == 1:
        return defaults[0].id
    if not organizations:
        raise ValueError("you are a member of no organization: a chat needs one")
    raise ValueError(
        f"you are a member of several organizations and none is the default: {_listing(organizations)}; "
        f"pass organization_id= or set {ORGANIZATION_VARIABLE} (an id or a name)"
    )


def resolve_organization(
    client: AuthenticatedClient | Client, organization_id: UUID | str | None = None
) -> UUID | None:
    """The organization for a new chat (see the module docstring); ``None``: send none."""
    if organization_id is not None:
        return _given(organization_id)

    def find() -> UUID | None:
        by_id, name = _wanted()
        if by_id is not None:
            return by_id
        try:
            organizations: list[Organization] | None = list_user_organizations.sync("me", client=client)
        except NotFoundError:
            organizations = None
        return choose_organization(organizations, name)

    return client._organization_cache.get(find)  # the client keeps it; this module fills it


async def aresolve_organization(
    client: AuthenticatedClient | Client, organization_id: UUID | str | None = None
) -> UUID | None:
    """``resolve_organization`` for async code (the same cache)."""
    if organization_id is not None:
        return _given(organization_id)

    async def find() -> UUID | None:
        by_id, name = _wanted()
        if by_id is not None:
            return by_id
        try:
            organizations: list[Organization] | None = await list_user_organizations.asyncio("me", client=client)
        except NotFoundError:
            organizations = None
        return choose_organization(organizations, name)

    return await client._organization_cache.aget(find)  # the client keeps it; this module fills it
