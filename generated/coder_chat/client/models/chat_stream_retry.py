from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatStreamRetry")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "attempt",
        "delay_ms",
        "error",
        "retrying_at",
    }
)


@_attrs_define
class ChatStreamRetry:
    """A retry event's payload (post-seed). Newer servers add `kind`, `provider` and `status_code`."""

    attempt: int | Unset = UNSET
    """ The retry attempt number (1-based). """
    delay_ms: int | Unset = UNSET
    """ Delay before the retry, in milliseconds (int64). """
    error: str | Unset = UNSET
    """ The error that caused the retry. """
    retrying_at: datetime.datetime | Unset = UNSET
    """ When the retry will be made. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        delay_ms = self.delay_ms

        error = self.error

        retrying_at: str | Unset = UNSET
        if not isinstance(self.retrying_at, Unset):
            retrying_at = self.retrying_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if attempt is not UNSET:
            field_dict["attempt"] = attempt
        if delay_ms is not UNSET:
            field_dict["delay_ms"] = delay_ms
        if error is not UNSET:
            field_dict["error"] = error
        if retrying_at is not UNSET:
            field_dict["retrying_at"] = retrying_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        attempt = d.get("attempt", UNSET)
        if attempt is not UNSET and attempt.__class__ is not int and not isinstance(attempt, (int, Unset)):
            raise FieldTypeError("attempt", "int", attempt)

        delay_ms = d.get("delay_ms", UNSET)
        if delay_ms is not UNSET and delay_ms.__class__ is not int and not isinstance(delay_ms, (int, Unset)):
            raise FieldTypeError("delay_ms", "int", delay_ms)

        error = d.get("error", UNSET)
        if error is not UNSET and error.__class__ is not str and not isinstance(error, (str, Unset)):
            raise FieldTypeError("error", "str", error)

        _retrying_at = d.get("retrying_at", UNSET)
        retrying_at: datetime.datetime | Unset
        if isinstance(_retrying_at, Unset):
            retrying_at = UNSET
        else:
            retrying_at = datetime.datetime.fromisoformat(_retrying_at)

        chat_stream_retry = cls(  # positionally, in the order the fields are declared above
            attempt,
            delay_ms,
            error,
            retrying_at,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_stream_retry.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_stream_retry

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
