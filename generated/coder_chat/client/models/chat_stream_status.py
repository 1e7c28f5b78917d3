from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.chat_status import ChatStatus

T = TypeVar("T", bound="ChatStreamStatus")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "status",
    }
)


@_attrs_define
class ChatStreamStatus:
    """An updated chat status."""

    status: ChatStatus
    """ Status of a chat. Seed values; newer servers drop `pending`, `paused` and `completed` and add
    `requires_action` and `interrupting`, so treat unknown values as opaque strings.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        status = ChatStatus._parse(d["status"])

        chat_stream_status = cls(  # positionally, in the order the fields are declared above
            status,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_stream_status.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_stream_status

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
