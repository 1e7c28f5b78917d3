from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..models.chat_provider_config_source import ChatProviderConfigSource
from ..types import UNSET, Unset, uuid_from_wire

T = TypeVar("T", bound="ChatProviderConfig")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "provider",
        "display_name",
        "enabled",
        "has_api_key",
        "source",
        "base_url",
        "created_at",
        "updated_at",
    }
)


@_attrs_define
class ChatProviderConfig:
    """An admin-managed provider configuration. The API key is never returned, only `has_api_key`."""

    id: UUID
    """ The config's id; the nil UUID for an unconfigured supported provider. """
    provider: str
    """ Provider name: `anthropic`, `google`, `openai`, `openaicompat`, `openrouter`, `vercel` (newer: `azure`,
    `bedrock`). """
    display_name: str
    """ Human-readable provider name. """
    enabled: bool
    """ Whether the provider is enabled. """
    has_api_key: bool
    """ Whether an API key is configured. """
    source: ChatProviderConfigSource
    """ Where a provider entry comes from (database row, environment preset, or merely supported and unconfigured).
    """
    base_url: str | Unset = UNSET
    """ Custom API base URL, if set. """
    created_at: datetime.datetime | Unset = UNSET
    """ When the config was created. """
    updated_at: datetime.datetime | Unset = UNSET
    """ When the config was last updated. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        provider = self.provider

        display_name = self.display_name

        enabled = self.enabled

        has_api_key = self.has_api_key

        source = self.source.value

        base_url = self.base_url

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "provider": provider,
                "display_name": display_name,
                "enabled": enabled,
                "has_api_key": has_api_key,
                "source": source,
            }
        )
        if base_url is not UNSET:
            field_dict["base_url"] = base_url
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        id = uuid_from_wire(d["id"])

        provider = d["provider"]
        if provider.__class__ is not str and not isinstance(provider, str):
            raise FieldTypeError("provider", "str", provider)

        display_name = d["display_name"]
        if display_name.__class__ is not str and not isinstance(display_name, str):
            raise FieldTypeError("display_name", "str", display_name)

        enabled = d["enabled"]
        if enabled.__class__ is not bool and not isinstance(enabled, bool):
            raise FieldTypeError("enabled", "bool", enabled)

        has_api_key = d["has_api_key"]
        if has_api_key.__class__ is not bool and not isinstance(has_api_key, bool):
            raise FieldTypeError("has_api_key", "bool", has_api_key)

        source = ChatProviderConfigSource._parse(d["source"])

        base_url = d.get("base_url", UNSET)
        if base_url is not UNSET and base_url.__class__ is not str and not isinstance(base_url, (str, Unset)):
            raise FieldTypeError("base_url", "str", base_url)

        _created_at = d.get("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = d.get("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        chat_provider_config = cls(  # positionally, in the order the fields are declared above
            id,
            provider,
            display_name,
            enabled,
            has_api_key,
            source,
            base_url,
            created_at,
            updated_at,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_provider_config.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_provider_config

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
