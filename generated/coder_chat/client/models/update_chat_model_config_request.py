from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_model_call_config import ChatModelCallConfig


T = TypeVar("T", bound="UpdateChatModelConfigRequest")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "provider",
        "model",
        "display_name",
        "enabled",
        "is_default",
        "context_limit",
        "compression_threshold",
        "model_config",
    }
)


@_attrs_define
class UpdateChatModelConfigRequest:
    """The request to update a chat model config; absent fields are unchanged."""

    provider: str | Unset = UNSET
    """ New provider name. """
    model: str | Unset = UNSET
    """ New model name. """
    display_name: str | Unset = UNSET
    """ New human-readable model name. """
    enabled: bool | None | Unset = UNSET
    """ Enable or disable the config. """
    is_default: bool | None | Unset = UNSET
    """ Make the config the default. """
    context_limit: int | None | Unset = UNSET
    """ New context window in tokens (int64, > 0). """
    compression_threshold: int | None | Unset = UNSET
    """ New compression threshold percentage (0-100). """
    model_config: ChatModelCallConfig | None | Unset = UNSET
    """ New per-call model defaults. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_model_call_config import ChatModelCallConfig

        provider = self.provider

        model = self.model

        display_name = self.display_name

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        is_default: bool | None | Unset
        if isinstance(self.is_default, Unset):
            is_default = UNSET
        else:
            is_default = self.is_default

        context_limit: int | None | Unset
        if isinstance(self.context_limit, Unset):
            context_limit = UNSET
        else:
            context_limit = self.context_limit

        compression_threshold: int | None | Unset
        if isinstance(self.compression_threshold, Unset):
            compression_threshold = UNSET
        else:
            compression_threshold = self.compression_threshold

        model_config: dict[str, Any] | None | Unset
        if isinstance(self.model_config, Unset):
            model_config = UNSET
        elif isinstance(self.model_config, ChatModelCallConfig):
            model_config = self.model_config.to_dict()
        else:
            model_config = self.model_config

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if provider is not UNSET:
            field_dict["provider"] = provider
        if model is not UNSET:
            field_dict["model"] = model
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if is_default is not UNSET:
            field_dict["is_default"] = is_default
        if context_limit is not UNSET:
            field_dict["context_limit"] = context_limit
        if compression_threshold is not UNSET:
            field_dict["compression_threshold"] = compression_threshold
        if model_config is not UNSET:
            field_dict["model_config"] = model_config

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_call_config import ChatModelCallConfig

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        provider = d.get("provider", UNSET)
        if provider is not UNSET and provider.__class__ is not str and not isinstance(provider, (str, Unset)):
            raise FieldTypeError("provider", "str", provider)

        model = d.get("model", UNSET)
        if model is not UNSET and model.__class__ is not str and not isinstance(model, (str, Unset)):
            raise FieldTypeError("model", "str", model)

        display_name = d.get("display_name", UNSET)
        if (
            display_name is not UNSET
            and display_name.__class__ is not str
            and not isinstance(display_name, (str, Unset))
        ):
            raise FieldTypeError("display_name", "str", display_name)

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("enabled", "bool | None", data)

        enabled = _parse_enabled(d.get("enabled", UNSET))

        def _parse_is_default(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("is_default", "bool | None", data)

        is_default = _parse_is_default(d.get("is_default", UNSET))

        def _parse_context_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("context_limit", "int | None", data)

        context_limit = _parse_context_limit(d.get("context_limit", UNSET))

        def _parse_compression_threshold(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("compression_threshold", "int | None", data)

        compression_threshold = _parse_compression_threshold(d.get("compression_threshold", UNSET))

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

        update_chat_model_config_request = cls(  # positionally, in the order the fields are declared above
            provider,
            model,
            display_name,
            enabled,
            is_default,
            context_limit,
            compression_threshold,
            model_config,
        )

        if not _KNOWN_KEYS.issuperset(d):
            update_chat_model_config_request.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return update_chat_model_config_request

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
