from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChatModelVercelProviderOptionsLogitBias")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset({})


@_attrs_define
class ChatModelVercelProviderOptionsLogitBias:
    """Token id to bias (int64)."""

    additional_properties: dict[str, int] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        chat_model_vercel_provider_options_logit_bias = cls(  # positionally, in the order the fields are declared above
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_vercel_provider_options_logit_bias.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_vercel_provider_options_logit_bias

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> int:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: int) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
