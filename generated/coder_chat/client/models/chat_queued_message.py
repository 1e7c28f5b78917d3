from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import uuid_from_wire

if TYPE_CHECKING:
    from ..models.chat_message_part import ChatMessagePart


T = TypeVar("T", bound="ChatQueuedMessage")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "chat_id",
        "content",
        "created_at",
    }
)


@_attrs_define
class ChatQueuedMessage:
    """A user message waiting in a chat's queue until the chat is idle."""

    id: int
    """ The queued message's id (positive int64; distinct from message ids). """
    chat_id: UUID
    """ The chat the queued message belongs to. """
    content: list[ChatMessagePart]
    """ The queued message's parts. """
    created_at: datetime.datetime
    """ When the message was queued. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        chat_id = str(self.chat_id)

        content = []
        for content_item_data in self.content:
            content_item = content_item_data.to_dict()
            content.append(content_item)

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "chat_id": chat_id,
                "content": content,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_message_part import ChatMessagePart

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        id = d["id"]
        if id.__class__ is not int and not isinstance(id, int):
            raise FieldTypeError("id", "int", id)

        chat_id = uuid_from_wire(d["chat_id"])

        content = []
        _content = d["content"]
        for content_item_data in _content:
            content_item = ChatMessagePart.from_dict(content_item_data)

            content.append(content_item)

        created_at = datetime.datetime.fromisoformat(d["created_at"])

        chat_queued_message = cls(  # positionally, in the order the fields are declared above
            id,
            chat_id,
            content,
            created_at,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_queued_message.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_queued_message

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
