from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..models.chat_model_provider_unavailable_reason import ChatModelProviderUnavailableReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_model import ChatModel


T = TypeVar("T", bound="ChatModelProvider")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "provider",
        "available",
        "models",
        "unavailable_reason",
    }
)


@_attrs_define
class ChatModelProvider:
    """A provider's availability and its models in the catalog."""

    provider: str
    """ Provider name, e.g. `openai`, `anthropic`, `google`, `openaicompat`, `openrouter`, `vercel`. """
    available: bool
    """ Whether the provider can be used. """
    models: list[ChatModel]
    """ The provider's models. """
    unavailable_reason: ChatModelProviderUnavailableReason | Unset = UNSET
    """ Why a provider in the model catalog cannot be used. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        available = self.available

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

        unavailable_reason: str | Unset = UNSET
        if not isinstance(self.unavailable_reason, Unset):
            unavailable_reason = self.unavailable_reason.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "available": available,
                "models": models,
            }
        )
        if unavailable_reason is not UNSET:
            field_dict["unavailable_reason"] = unavailable_reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model import ChatModel

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        provider = d["provider"]
        if provider.__class__ is not str and not isinstance(provider, str):
            raise FieldTypeError("provider", "str", provider)

        available = d["available"]
        if available.__class__ is not bool and not isinstance(available, bool):
            raise FieldTypeError("available", "bool", available)

        models = []
        _models = d["models"]
        for models_item_data in _models:
            models_item = ChatModel.from_dict(models_item_data)

            models.append(models_item)

        _unavailable_reason = d.get("unavailable_reason", UNSET)
        unavailable_reason: ChatModelProviderUnavailableReason | Unset
        if isinstance(_unavailable_reason, Unset):
            unavailable_reason = UNSET
        else:
            unavailable_reason = ChatModelProviderUnavailableReason._parse(_unavailable_reason)

        chat_model_provider = cls(  # positionally, in the order the fields are declared above
            provider,
            available,
            models,
            unavailable_reason,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_provider.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_model_provider

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
