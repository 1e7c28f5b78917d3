from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatModelVercelGatewayProviderOptions")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "order",
        "models",
    }
)


@_attrs_define
class ChatModelVercelGatewayProviderOptions:
    """Vercel AI Gateway routing behaviour."""

    order: list[str] | Unset = UNSET
    """ Providers to try, in order. """
    models: list[str] | Unset = UNSET
    """ Fallback models. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        order: list[str] | Unset = UNSET
        if not isinstance(self.order, Unset):
            order = self.order

        models: list[str] | Unset = UNSET
        if not isinstance(self.models, Unset):
            models = self.models

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if order is not UNSET:
            field_dict["order"] = order
        if models is not UNSET:
            field_dict["models"] = models

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        order = cast(list[str], d.get("order", UNSET))

        models = cast(list[str], d.get("models", UNSET))

        chat_model_vercel_gateway_provider_options = cls(  # positionally, in the order the fields are declared above
            order,
            models,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_vercel_gateway_provider_options.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_vercel_gateway_provider_options

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
