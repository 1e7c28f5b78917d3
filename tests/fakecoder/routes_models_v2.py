"""Organization-scoped chat models of the v2 generation (API-v2.md §3.13): list, create, get,
update, delete under `/api/v2/organizations/{organization}/chats/models`.

They are the same rows as the experimental model configs (one store), named by the AI provider's id
instead of its name. Writes are admin-only (403 `Forbidden.` for a member, as RBAC answers).
"""

from __future__ import annotations

from starlette.responses import Response

from .routes_chats import Call
from .routes_users import organization
from .routes_v2 import store
from .state import State
from .state_v2 import StateV2
from .wire import (
    FORBIDDEN,
    RESOURCE_NOT_FOUND,
    APIError,
    JSONDict,
    go_parse_uuid,
    json_response,
    new_uuid,
    now,
    read_struct,
)

FIELDS = {
    "ai_provider_id": "uuid",
    "model": "string",
    "display_name": "string",
    "enabled": "bool",
    "is_default": "bool",
    "context_limit": "int64",
    "compression_threshold": "int32",
    "model_config": "object",
}


def _views(call: Call) -> StateV2:
    """The v2 store, once `{organization}` named the fake's organization."""
    state = store(call)
    organization(state, call.params[0])
    return state


def _admin(call: Call) -> None:
    if not call.user.is_admin:
        raise APIError.with_body(403, FORBIDDEN)


def _row(state: State, raw: str) -> JSONDict:
    model_id, _ = go_parse_uuid(raw)
    row = state.model_configs.get(model_id or "")
    if row is None:
        raise APIError.with_body(404, RESOURCE_NOT_FOUND)
    return row


def _provider(state: State, provider_id: str) -> str:
    """The provider name of an AI provider id: 412 when it is unknown or disabled."""
    row = state.providers.get(provider_id)
    if row is None:
        raise APIError(412, "AI provider is not configured.")
    if not row["enabled"]:
        raise APIError(412, "AI provider is disabled.")
    return str(row["provider"])


def _threshold(body: JSONDict) -> None:
    if not 0 <= body.get("compression_threshold", 0) <= 100:
        raise APIError(400, "Invalid compression threshold.", "context_compression_threshold must be between 0 and 100")


def _unique(state: State, provider: str, model: str, self_id: str) -> None:
    for c in state.model_configs.values():
        if c["id"] != self_id and (c["provider"], c["model"]) == (provider, model):
            raise APIError(409, "Chat model config already exists.")


def _make_default(state: State, row: JSONDict) -> None:
    for c in state.model_configs.values():
        c["is_default"] = c is row


async def list_models(call: Call) -> Response:
    """GET -> `OrganizationChatModelsResponse`: the models, the redacted providers."""
    state = _views(call)
    with state.lock:
        models = [state.chat_model_json(c) for c in state.model_configs.values()]
        providers = [state.provider_descriptor(p) for p in state.providers.values()]
    return json_response(200, {"models": models, "providers": providers, "unsupported_providers": []})


async def create_model(call: Call) -> Response:
    """POST -> 201; the first model of the organization becomes its default."""
    state = _views(call)
    _admin(call)
    body = read_struct(call.body, "CreateChatModelRequest", FIELDS)
    if "ai_provider_id" not in body:
        raise APIError(400, "AI provider ID is required.")
    model = body.get("model", "").strip()
    if not model:
        raise APIError(400, "Model is required.")
    limit = body.get("context_limit", 0)
    if limit <= 0:
        raise APIError(400, "Context limit is required.", "context_limit must be greater than zero.")
    _threshold(body)
    with state.lock:
        provider = _provider(state, body["ai_provider_id"])
        _unique(state, provider, model, "")
        t = now()
        row: JSONDict = {
            "id": new_uuid(),
            "provider": provider,
            "model": model,
            "display_name": body.get("display_name", "").strip() or model,
            "enabled": body.get("enabled", True),
            "is_default": False,
            "context_limit": limit,
            "compression_threshold": body.get("compression_threshold", 30 if limit >= 500_000 else 70),
            "model_config": body.get("model_config"),
            "created_at": t,
            "updated_at": t,
        }
        first = not state.model_configs
        state.model_configs[row["id"]] = row
        if first or body.get("is_default"):
            _make_default(state, row)
        return json_response(201, state.chat_model_json(row))


async def get_model(call: Call) -> Response:
    state = _views(call)
    with state.lock:
        return json_response(200, state.chat_model_json(_row(state, call.params[1])))


async def update_model(call: Call) -> Response:
    """PATCH -> 200; empty `model`/`display_name` keep the stored values."""
    state = _views(call)
    _admin(call)
    body = read_struct(call.body, "UpdateChatModelRequest", FIELDS)
    with state.lock:
        row = _row(state, call.params[1])
        if "context_limit" in body and body["context_limit"] <= 0:
            raise APIError(400, "Context limit must be greater than zero.")
        _threshold(body)
        provider = _provider(state, body["ai_provider_id"]) if "ai_provider_id" in body else row["provider"]
        model = body.get("model", "").strip() or row["model"]
        _unique(state, provider, model, row["id"])
        row.update(provider=provider, model=model, updated_at=now())
        for key in ("context_limit", "compression_threshold", "enabled", "model_config"):
            if key in body:
                row[key] = body[key]
        if body.get("display_name", "").strip():
            row["display_name"] = body["display_name"].strip()
        if body.get("is_default"):
            _make_default(state, row)
        return json_response(200, state.chat_model_json(row))


async def delete_model(call: Call) -> Response:
    """DELETE -> 204; another model becomes the default when the default goes."""
    state = _views(call)
    _admin(call)
    with state.lock:
        row = _row(state, call.params[1])
        del state.model_configs[row["id"]]
        if row["is_default"] and state.model_configs:
            _make_default(state, next(iter(state.model_configs.values())))
    return json_response(204, None)
