from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError

T = TypeVar("T", bound="ChatModel")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "provider",
        "model",
        "display_name",
    }
)


@_attrs_define
class ChatModel:
    """A model in the chat model catalog."""

    id: str
    """ Canonical model id, "<provider>:<model>" (e.g. "openai:gpt-4o"). """
    provider: str
    """ Provider name, e.g. `openai`, `anthropic`, `google`, `openaicompat`, `openrouter`, `vercel` (newer: `azure`,
    `bedrock`). """
    model: str
    """ The provider's model name (e.g. "gpt-4o"). """
    display_name: str
    """ Human-readable model name. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        provider = self.provider

        model = self.model

        display_name = self.display_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "provider": provider,
                "model": model,
                "display_name": display_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        id = d["id"]
        if id.__class__ is not str and not isinstance(id, str):
            raise FieldTypeError("id", "str", id)

        provider = d["provider"]
        if provider.__class__ is not str and not isinstance(provider, str):
            raise FieldTypeError("provider", "str", provider)

        model = d["model"]
        if model.__class__ is not str and not isinstance(model, str):
            raise FieldTypeError("model", "str", model)

        display_name = d["display_name"]
        if display_name.__class__ is not str and not isinstance(display_name, str):
            raise FieldTypeError("display_name", "str", display_name)

        chat_model = cls(  # positionally, in the order the fields are declared above
            id,
            provider,
            model,
            display_name,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_model

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
