from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chat import Chat
    from ..models.chat_message import ChatMessage
    from ..models.chat_queued_message import ChatQueuedMessage


T = TypeVar("T", bound="ChatWithMessages")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "chat",
        "messages",
        "queued_messages",
    }
)


@_attrs_define
class ChatWithMessages:
    """A chat along with its persisted messages and its queue (the `get_chat` answer)."""

    chat: Chat
    """ A chat session with an AI agent. """
    messages: list[ChatMessage]
    """ The chat's persisted messages in id order (system messages hidden). """
    queued_messages: list[ChatQueuedMessage]
    """ Messages waiting in the chat's queue (empty when none). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chat = self.chat.to_dict()

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        queued_messages = []
        for queued_messages_item_data in self.queued_messages:
            queued_messages_item = queued_messages_item_data.to_dict()
            queued_messages.append(queued_messages_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chat": chat,
                "messages": messages,
                "queued_messages": queued_messages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat import Chat
        from ..models.chat_message import ChatMessage
        from ..models.chat_queued_message import ChatQueuedMessage

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        chat = Chat.from_dict(d["chat"])

        messages = []
        _messages = d["messages"]
        for messages_item_data in _messages:
            messages_item = ChatMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        queued_messages = []
        _queued_messages = d["queued_messages"]
        for queued_messages_item_data in _queued_messages:
            queued_messages_item = ChatQueuedMessage.from_dict(queued_messages_item_data)

            queued_messages.append(queued_messages_item)

        chat_with_messages = cls(  # positionally, in the order the fields are declared above
            chat,
            messages,
            queued_messages,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_with_messages.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_with_messages

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
