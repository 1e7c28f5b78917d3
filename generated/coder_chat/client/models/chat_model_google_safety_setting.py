from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatModelGoogleSafetySetting")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "category",
        "threshold",
    }
)


@_attrs_define
class ChatModelGoogleSafetySetting:
    """One Google safety filter setting."""

    category: str | Unset = UNSET
    """ Harm category (e.g. "HARM_CATEGORY_HARASSMENT"). """
    threshold: str | Unset = UNSET
    """ Block threshold (e.g. "BLOCK_ONLY_HIGH"). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        threshold = self.threshold

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if category is not UNSET:
            field_dict["category"] = category
        if threshold is not UNSET:
            field_dict["threshold"] = threshold

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        category = d.get("category", UNSET)
        if category is not UNSET and category.__class__ is not str and not isinstance(category, (str, Unset)):
            raise FieldTypeError("category", "str", category)

        threshold = d.get("threshold", UNSET)
        if threshold is not UNSET and threshold.__class__ is not str and not isinstance(threshold, (str, Unset)):
            raise FieldTypeError("threshold", "str", threshold)

        chat_model_google_safety_setting = cls(  # positionally, in the order the fields are declared above
            category,
            threshold,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_google_safety_setting.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_google_safety_setting

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
