from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatStreamRetry")


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
        d = dict(src_dict)
        attempt = d.pop("attempt", UNSET)
        if not isinstance(attempt, (int, Unset)):
            raise FieldTypeError("attempt", "int", attempt)

        delay_ms = d.pop("delay_ms", UNSET)
        if not isinstance(delay_ms, (int, Unset)):
            raise FieldTypeError("delay_ms", "int", delay_ms)

        error = d.pop("error", UNSET)
        if not isinstance(error, (str, Unset)):
            raise FieldTypeError("error", "str", error)

        _retrying_at = d.pop("retrying_at", UNSET)
        retrying_at: datetime.datetime | Unset
        if isinstance(_retrying_at, Unset):
            retrying_at = UNSET
        else:
            retrying_at = datetime.datetime.fromisoformat(_retrying_at)

        chat_stream_retry = cls(
            attempt=attempt,
            delay_ms=delay_ms,
            error=error,
            retrying_at=retrying_at,
        )

        chat_stream_retry.additional_properties = d
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
