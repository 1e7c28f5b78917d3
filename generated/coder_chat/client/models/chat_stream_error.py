from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError

T = TypeVar("T", bound="ChatStreamError")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "message",
    }
)


@_attrs_define
class ChatStreamError:
    """An error event's payload (newer servers add detail, kind, provider, retryable, status_code)."""

    message: str
    """ What failed; may be blank (clients fall back to "Chat processing failed."). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        message = d["message"]
        if message.__class__ is not str and not isinstance(message, str):
            raise FieldTypeError("message", "str", message)

        chat_stream_error = cls(  # positionally, in the order the fields are declared above
            message,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_stream_error.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_stream_error

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
