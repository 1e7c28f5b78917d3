from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chat_model_provider import ChatModelProvider


T = TypeVar("T", bound="ChatModelsResponse")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "providers",
    }
)


@_attrs_define
class ChatModelsResponse:
    """The chat model catalog (the `list_chat_models` answer)."""

    providers: list[ChatModelProvider]
    """ Every provider with its availability and models. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        providers = []
        for providers_item_data in self.providers:
            providers_item = providers_item_data.to_dict()
            providers.append(providers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "providers": providers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_provider import ChatModelProvider

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        providers = []
        _providers = d["providers"]
        for providers_item_data in _providers:
            providers_item = ChatModelProvider.from_dict(providers_item_data)

            providers.append(providers_item)

        chat_models_response = cls(  # positionally, in the order the fields are declared above
            providers,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_models_response.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_models_response

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
