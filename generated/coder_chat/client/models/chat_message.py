from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset, uuid_from_wire

if TYPE_CHECKING:
    from ..models.chat_message_part import ChatMessagePart
    from ..models.chat_message_usage import ChatMessageUsage


T = TypeVar("T", bound="ChatMessage")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "chat_id",
        "created_at",
        "role",
        "model_config_id",
        "content",
        "usage",
    }
)


@_attrs_define
class ChatMessage:
    """A single persisted message in a chat."""

    id: int
    """ The message's id (positive int64, increasing within a chat). """
    chat_id: UUID
    """ The chat the message belongs to. """
    created_at: datetime.datetime
    """ When the message was created. """
    role: str
    """ Who wrote the message: `user`, `assistant` or `tool` (system messages are hidden). """
    model_config_id: None | Unset | UUID = UNSET
    """ The model config that produced the message (assistant messages). """
    content: list[ChatMessagePart] | Unset = UNSET
    """ The message's structured parts. """
    usage: ChatMessageUsage | None | Unset = UNSET
    """ Token usage of the message (assistant messages). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_message_usage import ChatMessageUsage

        id = self.id

        chat_id = str(self.chat_id)

        created_at = self.created_at.isoformat()

        role = self.role

        model_config_id: None | str | Unset
        if isinstance(self.model_config_id, Unset):
            model_config_id = UNSET
        elif isinstance(self.model_config_id, UUID):
            model_config_id = str(self.model_config_id)
        else:
            model_config_id = self.model_config_id

        content: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.content, Unset):
            content = []
            for content_item_data in self.content:
                content_item = content_item_data.to_dict()
                content.append(content_item)

        usage: dict[str, Any] | None | Unset
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, ChatMessageUsage):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "chat_id": chat_id,
                "created_at": created_at,
                "role": role,
            }
        )
        if model_config_id is not UNSET:
            field_dict["model_config_id"] = model_config_id
        if content is not UNSET:
            field_dict["content"] = content
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_message_part import ChatMessagePart
        from ..models.chat_message_usage import ChatMessageUsage

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        id = d["id"]
        if id.__class__ is not int and not isinstance(id, int):
            raise FieldTypeError("id", "int", id)

        chat_id = uuid_from_wire(d["chat_id"])

        created_at = datetime.datetime.fromisoformat(d["created_at"])

        role = d["role"]
        if role.__class__ is not str and not isinstance(role, str):
            raise FieldTypeError("role", "str", role)

        def _parse_model_config_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("model_config_id", "UUID", data)
            model_config_id_type_0 = uuid_from_wire(data)

            return model_config_id_type_0

        model_config_id = _parse_model_config_id(d.get("model_config_id", UNSET))

        _content = d.get("content", UNSET)
        content: list[ChatMessagePart] | Unset = UNSET
        if _content is not UNSET:
            content = []
            for content_item_data in _content:
                content_item = ChatMessagePart.from_dict(content_item_data)

                content.append(content_item)

        def _parse_usage(data: object) -> ChatMessageUsage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("usage", "ChatMessageUsage", data)
            usage_type_0 = ChatMessageUsage.from_dict(data)

            return usage_type_0

        usage = _parse_usage(d.get("usage", UNSET))

        chat_message = cls(  # positionally, in the order the fields are declared above
            id,
            chat_id,
            created_at,
            role,
            model_config_id,
            content,
            usage,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_message.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_message

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
