from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateChatProviderConfigRequest")


@_attrs_define
class CreateChatProviderConfigRequest:
    """The request to create a chat provider config."""

    provider: str
    """ Provider name: `anthropic`, `google`, `openai`, `openaicompat`, `openrouter` or `vercel`. """
    display_name: str | Unset = UNSET
    """ Human-readable provider name. """
    api_key: str | Unset = _attrs_field(default=UNSET, repr=False)
    base_url: str | Unset = UNSET
    """ Custom API base URL (absolute http(s) URL). """
    enabled: bool | None | Unset = UNSET
    """ Whether the provider is enabled (default true). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        display_name = self.display_name

        api_key = self.api_key

        base_url = self.base_url

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
            }
        )
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if base_url is not UNSET:
            field_dict["base_url"] = base_url
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        provider = d.pop("provider")
        if not isinstance(provider, str):
            raise FieldTypeError("provider", "str", provider)

        display_name = d.pop("display_name", UNSET)
        if not isinstance(display_name, (str, Unset)):
            raise FieldTypeError("display_name", "str", display_name)

        api_key = d.pop("api_key", UNSET)
        if not isinstance(api_key, (str, Unset)):
            raise FieldTypeError("api_key", "str", api_key)

        base_url = d.pop("base_url", UNSET)
        if not isinstance(base_url, (str, Unset)):
            raise FieldTypeError("base_url", "str", base_url)

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        create_chat_provider_config_request = cls(
            provider=provider,
            display_name=display_name,
            api_key=api_key,
            base_url=base_url,
            enabled=enabled,
        )

        create_chat_provider_config_request.additional_properties = d
        return create_chat_provider_config_request

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
