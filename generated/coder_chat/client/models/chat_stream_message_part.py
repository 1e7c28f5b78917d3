from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_message_part import ChatMessagePart


T = TypeVar("T", bound="ChatStreamMessagePart")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "part",
        "role",
    }
)


@_attrs_define
class ChatStreamMessagePart:
    """A streamed message part update."""

    part: ChatMessagePart
    """ A structured chunk of a chat message. In a stream `message_part` event it is a delta (e.g.
    `text` is a chunk to append). Which fields are set depends on `type`: text/reasoning use
    `text`; tool-call uses `tool_call_id`, `tool_name`, `args` or `args_delta`; tool-result uses
    `tool_call_id`, `tool_name`, `result` or `result_delta`, `is_error`; source uses `source_id`,
    `url`, `title`; file uses `media_type` and `data`.
     """
    role: str | Unset = UNSET
    """ Role of the message being streamed (normally `assistant`). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        part = self.part.to_dict()

        role = self.role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "part": part,
            }
        )
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_message_part import ChatMessagePart

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        part = ChatMessagePart.from_dict(d["part"])

        role = d.get("role", UNSET)
        if role is not UNSET and role.__class__ is not str and not isinstance(role, (str, Unset)):
            raise FieldTypeError("role", "str", role)

        chat_stream_message_part = cls(  # positionally, in the order the fields are declared above
            part,
            role,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_stream_message_part.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_stream_message_part

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
