from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chat_input_part import ChatInputPart


T = TypeVar("T", bound="EditChatMessageRequest")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "content",
    }
)


@_attrs_define
class EditChatMessageRequest:
    """The request to edit a user message in a chat."""

    content: list[ChatInputPart]
    """ The message's new input parts. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content = []
        for content_item_data in self.content:
            content_item = content_item_data.to_dict()
            content.append(content_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_input_part import ChatInputPart

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        content = []
        _content = d["content"]
        for content_item_data in _content:
            content_item = ChatInputPart.from_dict(content_item_data)

            content.append(content_item)

        edit_chat_message_request = cls(  # positionally, in the order the fields are declared above
            content,
        )

        if not _KNOWN_KEYS.issuperset(d):
            edit_chat_message_request.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return edit_chat_message_request

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
