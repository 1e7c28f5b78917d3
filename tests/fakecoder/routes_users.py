"""Deployment-wide `/api/v2` routes (build info, users, organizations; API-v2.md §0.3, §6) and the
v2 chat files (§3.12).

Every Coder release serves build info, users and organizations, so every generation of the fake
does; the files routes exist only under a v2 `/chats` mount (generation.py).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from .routes_chats import Call
from .state import State
from .wire import RESOURCE_NOT_FOUND, APIError, JSONDict, fmt_time, go_parse_uuid, json_response

MAX_FILE_BYTES = 10 * 1024 * 1024  # MaxChatFileSizeBytes
ALLOWED_TYPES = (
    "application/json",
    "application/pdf",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/csv",
    "text/markdown",
    "text/plain",
)
_FILENAME = re.compile(r'filename\*?=(?:"([^"]*)"|([^;\s]+))')


def build_info(version: str, url: str, deployment_id: str) -> JSONDict:
    """`BuildInfoResponse` of `GET /api/v2/buildinfo` (no token needed)."""
    return {
        "agent_api_version": "1.0",
        "dashboard_url": url,
        "deployment_id": deployment_id,
        "external_url": "https://github.com/coder/coder",
        "provisioner_api_version": "1.0",
        "telemetry": False,
        "upgrade_message": "",
        "version": version,
        "webpush_public_key": "",
        "workspace_proxy": False,
    }


def organization(state: State, raw: str) -> JSONDict:
    """The `{organization}` path parameter: the id, the name, or `default`; else 404."""
    org = state.organization
    parsed, _ = go_parse_uuid(raw)
    if raw not in ("default", org["name"]) and parsed != org["id"]:
        raise APIError.with_body(404, RESOURCE_NOT_FOUND)
    return org


def organization_json(state: State) -> JSONDict:
    org = state.organization
    return {**org, "created_at": fmt_time(org["created_at"]), "updated_at": fmt_time(org["updated_at"])}


def _user(call: Call) -> None:
    """`{user}`: `me`, the caller's id or username (other users are not the fake's business)."""
    raw = call.params[0]
    if raw not in ("me", call.user.id, call.user.username):
        raise APIError.with_body(404, RESOURCE_NOT_FOUND)


async def get_user(call: Call) -> Response:
    """GET /api/v2/users/{user} -> `User` (with its organization ids)."""
    _user(call)
    state = call.ctx.state
    user = call.user
    body: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "avatar_url": "",
        "name": user.username.title(),
        "email": f"{user.username}@example.com",
        "created_at": fmt_time(state.created_at),
        "last_seen_at": fmt_time(state.created_at),
        "status": "active",
        "login_type": "password",
        "theme_preference": "",
        "organization_ids": [state.organization["id"]],
        "roles": [{"name": "owner", "display_name": "Owner"}] if user.is_admin else [],
    }
    return json_response(200, body)


async def user_organizations(call: Call) -> Response:
    """GET /api/v2/users/{user}/organizations -> `[]Organization` (the one default organization)."""
    _user(call)
    return json_response(200, [organization_json(call.ctx.state)])


async def get_organization(call: Call) -> Response:
    """GET /api/v2/organizations/{organization} (id, name or `default`)."""
    organization(call.ctx.state, call.params[0])
    return json_response(200, organization_json(call.ctx.state))


def _sniff(data: bytes) -> str:
    """The content type of bytes sent as application/octet-stream (a small http.DetectContentType)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


async def upload_file(call: Call) -> Response:
    """POST /chats/files?organization=<uuid>: raw bytes -> 201 `{id}`."""
    from .state_v2 import StateV2  # the files live in the v2 store

    state = call.ctx.state
    assert isinstance(state, StateV2)
    raw_org = call.request.query_params.get("organization", "")
    if not raw_org:
        raise APIError(400, "Missing organization query parameter.")
    org_id, _ = go_parse_uuid(raw_org)
    if org_id is None:
        raise APIError(400, "Invalid organization ID.")
    if org_id != state.organization["id"]:
        raise APIError(403, "You are not a member of the specified organization.")
    declared = call.request.headers.get("content-type", "").split(";")[0].strip().lower()
    mime_type = declared if declared and declared != "application/octet-stream" else _sniff(call.body)
    if mime_type not in ALLOWED_TYPES:
        raise APIError(400, "Unsupported file type.", f"Allowed types: {', '.join(ALLOWED_TYPES)}.")
    if len(call.body) > MAX_FILE_BYTES:
        raise APIError(413, "File too large.", f"Maximum file size is {MAX_FILE_BYTES} bytes.")
    match = _FILENAME.search(call.request.headers.get("content-disposition", ""))
    name = (match.group(1) or match.group(2)) if match else ""
    if not name:
        raise APIError(400, "Filename is required.", "Provide a filename in the Content-Disposition header.")
    with state.lock:
        file_id = state.add_file(call.user, name, mime_type, call.body)
    return json_response(201, {"id": file_id})


async def get_file(call: Call) -> Response:
    """GET /chats/files/{file} -> the bytes, with the stored type."""
    from .state_v2 import StateV2

    state = call.ctx.state
    assert isinstance(state, StateV2)
    file_id, _ = go_parse_uuid(call.params[0])
    if file_id is None:
        raise APIError(400, "Invalid file ID.")
    with state.lock:
        stored = state.files.get(file_id)
    if stored is None or stored["owner_id"] != call.user.id:
        raise APIError.with_body(404, RESOURCE_NOT_FOUND)
    inline = stored["mime_type"].startswith("image/") or stored["mime_type"] == "text/plain"
    headers = {
        "Content-Type": stored["mime_type"],  # as stored: no charset added
        "Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{stored["name"]}"',
        "Cache-Control": "private, max-age=31536000, immutable",
    }
    return Response(stored["data"], 200, headers=headers)
