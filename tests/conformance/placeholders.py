"""Upstream fixtures use placeholder ids (``chat-1``, ``owner-1``, ``...``); real servers send UUIDs.

``with_uuids`` swaps every placeholder in a uuid-typed field for a stable UUID derived from it, so the
same placeholder maps to the same UUID everywhere and the payload stays otherwise untouched.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"

UUID_FIELDS = {
    "id",
    "chat_id",
    "owner_id",
    "last_model_config_id",
    "model_config_id",
    "workspace_id",
    "workspace_agent_id",
    "parent_chat_id",
    "root_chat_id",
}


def placeholder_uuid(value: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"coder-chat-fixture:{value}"))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def with_uuids(value: Any) -> Any:
    if isinstance(value, list):
        return [with_uuids(item) for item in value]
    if isinstance(value, dict):
        return {
            key: placeholder_uuid(item)
            if key in UUID_FIELDS and isinstance(item, str) and not _is_uuid(item)
            else with_uuids(item)
            for key, item in value.items()
        }
    return value


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())
