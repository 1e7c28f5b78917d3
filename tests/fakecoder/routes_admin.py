"""Model catalog, provider and model-config handlers (§3.3, §3.11).

Provider and model-config routes are admin-only: a member gets 403 `Forbidden.`
before anything else in the handler runs, as with `api.Authorize` upstream.
"""

from __future__ import annotations

from urllib.parse import urlparse

from starlette.responses import Response

from .routes_chats import Call
from .state import SUPPORTED_PROVIDERS
from .wire import (
    FORBIDDEN,
    NIL_UUID,
    RESOURCE_NOT_FOUND,
    ZERO_TIME,
    APIError,
    JSONDict,
    fmt_time,
    go_parse_uuid,
    json_response,
    new_uuid,
    now,
    read_struct,
)

PROVIDER_FIELDS = {
    "provider": "string",
    "display_name": "string",
    "api_key": "string",
    "base_url": "string",
    "enabled": "bool",
}
MODEL_FIELDS = {
    "provider": "string",
    "model": "string",
    "display_name": "string",
    "enabled": "bool",
    "is_default": "bool",
    "context_limit": "int64",
    "compression_threshold": "int32",
    "model_config": "object",
}


MODEL_CONFIG_KEYS = (
    "id",
    "provider",
    "model",
    "display_name",
    "enabled",
    "is_default",
    "context_limit",
    "compression_threshold",
)


def provider_json(row: JSONDict) -> JSONDict:
    """A `ChatProviderConfig` for a database row; the API key itself never leaves."""
    out: JSONDict = {
        "id": row["id"],
        "provider": row["provider"],
        "display_name": row["display_name"],
        "enabled": row["enabled"],
        "has_api_key": bool(row["api_key"]),
    }
    if row["base_url"]:
        out["base_url"] = row["base_url"]
    out.update(source="database", created_at=fmt_time(row["created_at"]), updated_at=fmt_time(row["updated_at"]))
    return out


def model_config_json(row: JSONDict) -> JSONDict:
    out = {k: row[k] for k in MODEL_CONFIG_KEYS}
    if row.get("model_config") is not None:
        out["model_config"] = row["model_config"]
    out.update(created_at=fmt_time(row["created_at"]), updated_at=fmt_time(row["updated_at"]))
    return out


def _require_admin(call: Call) -> None:
    if not call.user.is_admin:
        raise APIError.with_body(403, FORBIDDEN)


def _provider_name(raw: str) -> str:
    name = raw.strip().lower()
    if name not in SUPPORTED_PROVIDERS:
        raise APIError(400, "Invalid provider.", f"Provider must be one of: {', '.join(sorted(SUPPORTED_PROVIDERS))}.")
    return name


def _base_url(raw: str) -> str:
    url = raw.strip()
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise APIError(400, "Invalid provider base URL.", "Base URL must be an absolute http(s) URL.")
    return url


def _path_id(call: Call, message: str) -> str:
    parsed, err = go_parse_uuid(call.params[0])
    if parsed is None:
        raise APIError(400, message, err)
    return parsed


async def list_models(call: Call) -> Response:
    state = call.ctx.state
    with state.lock:
        rows = {p["provider"]: p for p in state.providers.values()}
        configs = [c for c in state.model_configs.values() if c["enabled"]]
        names = sorted(set(rows) | {c["provider"] for c in configs})
        providers = []
        for name in names:
            row = rows.get(name)
            entry: JSONDict = {"provider": name, "available": bool(row and row["enabled"] and row["api_key"])}
            if not entry["available"]:
                entry["unavailable_reason"] = "missing_api_key"
            entry["models"] = [
                {"id": f"{name}:{c['model']}", "provider": name, "model": c["model"], "display_name": c["display_name"]}
                for c in configs
                if c["provider"] == name
            ]
            providers.append(entry)
    return json_response(200, {"providers": providers})


async def list_providers(call: Call) -> Response:
    _require_admin(call)
    state = call.ctx.state
    with state.lock:
        rows = {p["provider"]: p for p in state.providers.values()}
        out = []
        for name, display in sorted(SUPPORTED_PROVIDERS.items()):
            if name in rows:
                out.append(provider_json(rows[name]))
            else:
                out.append(
                    {
                        "id": NIL_UUID,
                        "provider": name,
                        "display_name": display,
                        "enabled": False,
                        "has_api_key": False,
                        "source": "supported",
                        "created_at": ZERO_TIME,
                        "updated_at": ZERO_TIME,
                    }
                )
    return json_response(200, out)


async def create_provider(call: Call) -> Response:
    _require_admin(call)
    body = read_struct(call.body, "CreateChatProviderConfigRequest", PROVIDER_FIELDS)
    name = _provider_name(body.get("provider", ""))
    base_url = _base_url(body.get("base_url", ""))
    state = call.ctx.state
    with state.lock:
        if any(p["provider"] == name for p in state.providers.values()):
            raise APIError(409, "Chat provider already exists.")
        t = now()
        row = {
            "id": new_uuid(),
            "provider": name,
            "display_name": body.get("display_name", "").strip() or SUPPORTED_PROVIDERS[name],
            "enabled": body.get("enabled", True),
            "api_key": body.get("api_key", "").strip(),
            "base_url": base_url,
            "created_at": t,
            "updated_at": t,
        }
        state.providers[row["id"]] = row
        return json_response(201, provider_json(row))


async def update_provider(call: Call) -> Response:
    _require_admin(call)
    provider_id = _path_id(call, "Invalid chat provider ID.")
    body = read_struct(call.body, "UpdateChatProviderConfigRequest", PROVIDER_FIELDS)
    state = call.ctx.state
    with state.lock:
        row = state.providers.get(provider_id)
        if row is None:
            raise APIError.with_body(404, RESOURCE_NOT_FOUND)
        if "base_url" in body:
            row["base_url"] = _base_url(body["base_url"])
        if body.get("display_name", "").strip():
            row["display_name"] = body["display_name"].strip()
        if "api_key" in body:
            row["api_key"] = body["api_key"].strip()
        if "enabled" in body:
            row["enabled"] = body["enabled"]
        row["updated_at"] = now()
        return json_response(200, provider_json(row))


async def delete_provider(call: Call) -> Response:
    _require_admin(call)
    provider_id = _path_id(call, "Invalid chat provider ID.")
    with call.ctx.state.lock:
        if call.ctx.state.providers.pop(provider_id, None) is None:
            raise APIError.with_body(404, RESOURCE_NOT_FOUND)
    return json_response(204, None)


async def list_model_configs(call: Call) -> Response:
    _require_admin(call)
    state = call.ctx.state
    with state.lock:
        return json_response(200, [model_config_json(c) for c in state.model_configs.values()])


def _check_limits(body: JSONDict, *, creating: bool) -> None:
    if "context_limit" in body or creating:
        limit = body.get("context_limit", 0)
        if limit <= 0:
            if creating:
                raise APIError(400, "Context limit is required.", "context_limit must be greater than zero.")
            raise APIError(400, "Context limit must be greater than zero.")
    threshold = body.get("compression_threshold", 70)
    if not 0 <= threshold <= 100:
        raise APIError(400, "Invalid compression threshold.", "compression_threshold must be between 0 and 100.")


def _check_provider_and_unique(call: Call, provider: str, model: str, self_id: str) -> None:
    state = call.ctx.state
    if not any(p["provider"] == provider for p in state.providers.values()):
        raise APIError(400, "Chat provider is not configured.")
    for c in state.model_configs.values():
        if c["id"] != self_id and c["provider"] == provider and c["model"] == model:
            raise APIError(409, "Chat model config already exists.")


def _make_default(call: Call, config: JSONDict) -> None:
    for c in call.ctx.state.model_configs.values():
        c["is_default"] = c is config


async def create_model_config(call: Call) -> Response:
    _require_admin(call)
    body = read_struct(call.body, "CreateChatModelConfigRequest", MODEL_FIELDS)
    provider = _provider_name(body.get("provider", ""))
    model = body.get("model", "").strip()
    if not model:
        raise APIError(400, "Model is required.")
    _check_limits(body, creating=True)
    state = call.ctx.state
    with state.lock:
        _check_provider_and_unique(call, provider, model, "")
        t = now()
        row = {
            "id": new_uuid(),
            "provider": provider,
            "model": model,
            "display_name": body.get("display_name", "").strip() or model,
            "enabled": body.get("enabled", True),
            "is_default": False,
            "context_limit": body["context_limit"],
            "compression_threshold": body.get("compression_threshold", 70),
            "model_config": body.get("model_config"),
            "created_at": t,
            "updated_at": t,
        }
        first = not state.model_configs
        state.model_configs[row["id"]] = row
        if first or body.get("is_default"):
            _make_default(call, row)  # the first config always becomes the default
        return json_response(201, model_config_json(row))


async def update_model_config(call: Call) -> Response:
    _require_admin(call)
    config_id = _path_id(call, "Invalid chat model config ID.")
    body = read_struct(call.body, "UpdateChatModelConfigRequest", MODEL_FIELDS)
    state = call.ctx.state
    with state.lock:
        row = state.model_configs.get(config_id)
        if row is None:
            raise APIError.with_body(404, RESOURCE_NOT_FOUND)
        _check_limits(body, creating=False)
        provider = _provider_name(body["provider"]) if body.get("provider") else row["provider"]
        model = body.get("model", "").strip() or row["model"]
        if (provider, model) != (row["provider"], row["model"]):
            _check_provider_and_unique(call, provider, model, row["id"])
        row.update(provider=provider, model=model)
        for key in ("context_limit", "compression_threshold", "enabled", "model_config"):
            if key in body:
                row[key] = body[key]
        if body.get("display_name", "").strip():
            row["display_name"] = body["display_name"].strip()
        if body.get("is_default"):
            _make_default(call, row)  # is_default=false is ignored: a default always exists
        row["updated_at"] = now()
        return json_response(200, model_config_json(row))


async def delete_model_config(call: Call) -> Response:
    _require_admin(call)
    config_id = _path_id(call, "Invalid chat model config ID.")
    state = call.ctx.state
    with state.lock:
        row = state.model_configs.pop(config_id, None)
        if row is None:
            raise APIError.with_body(404, RESOURCE_NOT_FOUND)
        if row["is_default"] and state.model_configs:
            _make_default(call, next(iter(state.model_configs.values())))
    return json_response(204, None)
