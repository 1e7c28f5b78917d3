from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_model_google_safety_setting import ChatModelGoogleSafetySetting
    from ..models.chat_model_google_thinking_config import ChatModelGoogleThinkingConfig


T = TypeVar("T", bound="ChatModelGoogleProviderOptions")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "thinking_config",
        "cached_content",
        "safety_settings",
        "threshold",
    }
)


@_attrs_define
class ChatModelGoogleProviderOptions:
    """Google provider behaviour."""

    thinking_config: ChatModelGoogleThinkingConfig | None | Unset = UNSET
    """ Thinking options. """
    cached_content: str | Unset = UNSET
    """ Name of cached content to use. """
    safety_settings: list[ChatModelGoogleSafetySetting] | Unset = UNSET
    """ Safety filter settings. """
    threshold: str | Unset = UNSET
    """ Default safety threshold. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_model_google_thinking_config import ChatModelGoogleThinkingConfig

        thinking_config: dict[str, Any] | None | Unset
        if isinstance(self.thinking_config, Unset):
            thinking_config = UNSET
        elif isinstance(self.thinking_config, ChatModelGoogleThinkingConfig):
            thinking_config = self.thinking_config.to_dict()
        else:
            thinking_config = self.thinking_config

        cached_content = self.cached_content

        safety_settings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.safety_settings, Unset):
            safety_settings = []
            for safety_settings_item_data in self.safety_settings:
                safety_settings_item = safety_settings_item_data.to_dict()
                safety_settings.append(safety_settings_item)

        threshold = self.threshold

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if thinking_config is not UNSET:
            field_dict["thinking_config"] = thinking_config
        if cached_content is not UNSET:
            field_dict["cached_content"] = cached_content
        if safety_settings is not UNSET:
            field_dict["safety_settings"] = safety_settings
        if threshold is not UNSET:
            field_dict["threshold"] = threshold

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_google_safety_setting import ChatModelGoogleSafetySetting
        from ..models.chat_model_google_thinking_config import ChatModelGoogleThinkingConfig

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_thinking_config(data: object) -> ChatModelGoogleThinkingConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("thinking_config", "ChatModelGoogleThinkingConfig", data)
            thinking_config_type_0 = ChatModelGoogleThinkingConfig.from_dict(data)

            return thinking_config_type_0

        thinking_config = _parse_thinking_config(d.get("thinking_config", UNSET))

        cached_content = d.get("cached_content", UNSET)
        if (
            cached_content is not UNSET
            and cached_content.__class__ is not str
            and not isinstance(cached_content, (str, Unset))
        ):
            raise FieldTypeError("cached_content", "str", cached_content)

        _safety_settings = d.get("safety_settings", UNSET)
        safety_settings: list[ChatModelGoogleSafetySetting] | Unset = UNSET
        if _safety_settings is not UNSET:
            safety_settings = []
            for safety_settings_item_data in _safety_settings:
                safety_settings_item = ChatModelGoogleSafetySetting.from_dict(safety_settings_item_data)

                safety_settings.append(safety_settings_item)

        threshold = d.get("threshold", UNSET)
        if threshold is not UNSET and threshold.__class__ is not str and not isinstance(threshold, (str, Unset)):
            raise FieldTypeError("threshold", "str", threshold)

        chat_model_google_provider_options = cls(  # positionally, in the order the fields are declared above
            thinking_config,
            cached_content,
            safety_settings,
            threshold,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_google_provider_options.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_google_provider_options

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
