from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_message import ChatMessage
    from ..models.chat_queued_message import ChatQueuedMessage


T = TypeVar("T", bound="CreateChatMessageResponse")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "queued",
        "message",
        "queued_message",
    }
)


@_attrs_define
class CreateChatMessageResponse:
    """The answer to adding a message, either the persisted message or, when the chat was busy, the queued one."""

    queued: bool
    """ Whether the message was queued because the chat was busy. """
    message: ChatMessage | None | Unset = UNSET
    """ The persisted user message (absent when queued). """
    queued_message: ChatQueuedMessage | None | Unset = UNSET
    """ The queued message (present when queued). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_message import ChatMessage
        from ..models.chat_queued_message import ChatQueuedMessage

        queued = self.queued

        message: dict[str, Any] | None | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        elif isinstance(self.message, ChatMessage):
            message = self.message.to_dict()
        else:
            message = self.message

        queued_message: dict[str, Any] | None | Unset
        if isinstance(self.queued_message, Unset):
            queued_message = UNSET
        elif isinstance(self.queued_message, ChatQueuedMessage):
            queued_message = self.queued_message.to_dict()
        else:
            queued_message = self.queued_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "queued": queued,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message
        if queued_message is not UNSET:
            field_dict["queued_message"] = queued_message

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_message import ChatMessage
        from ..models.chat_queued_message import ChatQueuedMessage

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        queued = d["queued"]
        if queued.__class__ is not bool and not isinstance(queued, bool):
            raise FieldTypeError("queued", "bool", queued)

        def _parse_message(data: object) -> ChatMessage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("message", "ChatMessage", data)
            message_type_0 = ChatMessage.from_dict(data)

            return message_type_0

        message = _parse_message(d.get("message", UNSET))

        def _parse_queued_message(data: object) -> ChatQueuedMessage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("queued_message", "ChatQueuedMessage", data)
            queued_message_type_0 = ChatQueuedMessage.from_dict(data)

            return queued_message_type_0

        queued_message = _parse_queued_message(d.get("queued_message", UNSET))

        create_chat_message_response = cls(  # positionally, in the order the fields are declared above
            queued,
            message,
            queued_message,
        )

        if not _KNOWN_KEYS.issuperset(d):
            create_chat_message_response.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return create_chat_message_response

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
