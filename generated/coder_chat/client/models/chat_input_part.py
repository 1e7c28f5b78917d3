from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..models.chat_input_part_type import ChatInputPartType
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatInputPart")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "type",
        "text",
    }
)


@_attrs_define
class ChatInputPart:
    """A single user input part (request side)."""

    type_: ChatInputPartType
    """ Type of a user input part. The seed server accepts only `text` (newer ones add `file` and `file-reference`).
    """
    text: str | Unset = UNSET
    """ The text; trimmed by the server and must not be blank. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        type_ = ChatInputPartType._parse(d["type"])

        text = d.get("text", UNSET)
        if text is not UNSET and text.__class__ is not str and not isinstance(text, (str, Unset)):
            raise FieldTypeError("text", "str", text)

        chat_input_part = cls(  # positionally, in the order the fields are declared above
            type_,
            text,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_input_part.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_input_part

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
