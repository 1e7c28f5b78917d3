from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset, uuid_from_wire

if TYPE_CHECKING:
    from ..models.chat_model_call_config import ChatModelCallConfig


T = TypeVar("T", bound="ChatModelConfig")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "provider",
        "model",
        "display_name",
        "enabled",
        "is_default",
        "context_limit",
        "compression_threshold",
        "created_at",
        "updated_at",
        "model_config",
    }
)


@_attrs_define
class ChatModelConfig:
    """An admin-managed model configuration."""

    id: UUID
    """ The model config's id. """
    provider: str
    """ Provider name, e.g. `openai`, `anthropic`, `google`, `openaicompat`, `openrouter`, `vercel`. """
    model: str
    """ The provider's model name. """
    display_name: str
    """ Human-readable model name. """
    enabled: bool
    """ Whether the model config is enabled. """
    is_default: bool
    """ Whether this is the default model config. """
    context_limit: int
    """ The model's context window in tokens (int64, > 0). """
    compression_threshold: int
    """ Context usage percentage (0-100, default 70) at which the conversation is compressed. """
    created_at: datetime.datetime
    """ When the config was created. """
    updated_at: datetime.datetime
    """ When the config was last updated. """
    model_config: ChatModelCallConfig | None | Unset = UNSET
    """ Per-call model defaults. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_model_call_config import ChatModelCallConfig

        id = str(self.id)

        provider = self.provider

        model = self.model

        display_name = self.display_name

        enabled = self.enabled

        is_default = self.is_default

        context_limit = self.context_limit

        compression_threshold = self.compression_threshold

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        model_config: dict[str, Any] | None | Unset
        if isinstance(self.model_config, Unset):
            model_config = UNSET
        elif isinstance(self.model_config, ChatModelCallConfig):
            model_config = self.model_config.to_dict()
        else:
            model_config = self.model_config

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "provider": provider,
                "model": model,
                "display_name": display_name,
                "enabled": enabled,
                "is_default": is_default,
                "context_limit": context_limit,
                "compression_threshold": compression_threshold,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if model_config is not UNSET:
            field_dict["model_config"] = model_config

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_call_config import ChatModelCallConfig

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        id = uuid_from_wire(d["id"])

        provider = d["provider"]
        if provider.__class__ is not str and not isinstance(provider, str):
            raise FieldTypeError("provider", "str", provider)

        model = d["model"]
        if model.__class__ is not str and not isinstance(model, str):
            raise FieldTypeError("model", "str", model)

        display_name = d["display_name"]
        if display_name.__class__ is not str and not isinstance(display_name, str):
            raise FieldTypeError("display_name", "str", display_name)

        enabled = d["enabled"]
        if enabled.__class__ is not bool and not isinstance(enabled, bool):
            raise FieldTypeError("enabled", "bool", enabled)

        is_default = d["is_default"]
        if is_default.__class__ is not bool and not isinstance(is_default, bool):
            raise FieldTypeError("is_default", "bool", is_default)

        context_limit = d["context_limit"]
        if context_limit.__class__ is not int and not isinstance(context_limit, int):
            raise FieldTypeError("context_limit", "int", context_limit)

        compression_threshold = d["compression_threshold"]
        if compression_threshold.__class__ is not int and not isinstance(compression_threshold, int):
            raise FieldTypeError("compression_threshold", "int", compression_threshold)

        created_at = datetime.datetime.fromisoformat(d["created_at"])

        updated_at = datetime.datetime.fromisoformat(d["updated_at"])

        def _parse_model_config(data: object) -> ChatModelCallConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("model_config", "ChatModelCallConfig", data)
            model_config_type_0 = ChatModelCallConfig.from_dict(data)

            return model_config_type_0

        model_config = _parse_model_config(d.get("model_config", UNSET))

        chat_model_config = cls(  # positionally, in the order the fields are declared above
            id,
            provider,
            model,
            display_name,
            enabled,
            is_default,
            context_limit,
            compression_threshold,
            created_at,
            updated_at,
            model_config,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_config.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_model_config

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
