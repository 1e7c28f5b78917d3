from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError

T = TypeVar("T", bound="UpdateChatRequest")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "title",
    }
)


@_attrs_define
class UpdateChatRequest:
    """The request to update a chat (seed SDK type; no seed route uses it)."""

    title: str
    """ The chat's new title. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        title = d["title"]
        if title.__class__ is not str and not isinstance(title, str):
            raise FieldTypeError("title", "str", title)

        update_chat_request = cls(  # positionally, in the order the fields are declared above
            title,
        )

        if not _KNOWN_KEYS.issuperset(d):
            update_chat_request.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return update_chat_request

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
