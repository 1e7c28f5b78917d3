from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateChatProviderConfigRequest")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "display_name",
        "api_key",
        "base_url",
        "enabled",
    }
)


@_attrs_define
class UpdateChatProviderConfigRequest:
    """The request to update a chat provider config; absent fields are unchanged."""

    display_name: str | Unset = UNSET
    """ New human-readable provider name. """
    api_key: None | str | Unset = _attrs_field(default=UNSET, repr=False)
    base_url: None | str | Unset = UNSET
    """ New custom API base URL. """
    enabled: bool | None | Unset = UNSET
    """ Enable or disable the provider. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        api_key: None | str | Unset
        if isinstance(self.api_key, Unset):
            api_key = UNSET
        else:
            api_key = self.api_key

        base_url: None | str | Unset
        if isinstance(self.base_url, Unset):
            base_url = UNSET
        else:
            base_url = self.base_url

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
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
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        display_name = d.get("display_name", UNSET)
        if (
            display_name is not UNSET
            and display_name.__class__ is not str
            and not isinstance(display_name, (str, Unset))
        ):
            raise FieldTypeError("display_name", "str", display_name)

        def _parse_api_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("api_key", "None | str", data)

        api_key = _parse_api_key(d.get("api_key", UNSET))

        def _parse_base_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("base_url", "None | str", data)

        base_url = _parse_base_url(d.get("base_url", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("enabled", "bool | None", data)

        enabled = _parse_enabled(d.get("enabled", UNSET))

        update_chat_provider_config_request = cls(  # positionally, in the order the fields are declared above
            display_name,
            api_key,
            base_url,
            enabled,
        )

        if not _KNOWN_KEYS.issuperset(d):
            update_chat_provider_config_request.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return update_chat_provider_config_request

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
