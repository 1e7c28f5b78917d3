from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatError")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "message",
        "detail",
        "kind",
        "provider",
        "retryable",
        "status_code",
    }
)


@_attrs_define
class ChatError:
    """A structured processing error, as newer servers send it in `Chat.last_error` (post-seed; every field optional so
    that any server's shape parses).

    """

    message: str | Unset = UNSET
    """ What failed. """
    detail: str | Unset = UNSET
    """ Low-level detail. """
    kind: str | Unset = UNSET
    """ The kind of failure (generic, overloaded, rate_limit, timeout, stream_silence_timeout, auth, config,
    usage_limit, missing_key, provider_disabled, content_filter, hook_dispatch_failed, hook_denied, ...). """
    provider: str | Unset = UNSET
    """ The model provider involved, when there is one. """
    retryable: bool | Unset = UNSET
    """ Whether retrying may succeed. """
    status_code: int | Unset = UNSET
    """ The provider's HTTP status, when there is one. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        detail = self.detail

        kind = self.kind

        provider = self.provider

        retryable = self.retryable

        status_code = self.status_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if message is not UNSET:
            field_dict["message"] = message
        if detail is not UNSET:
            field_dict["detail"] = detail
        if kind is not UNSET:
            field_dict["kind"] = kind
        if provider is not UNSET:
            field_dict["provider"] = provider
        if retryable is not UNSET:
            field_dict["retryable"] = retryable
        if status_code is not UNSET:
            field_dict["status_code"] = status_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        message = d.get("message", UNSET)
        if message is not UNSET and message.__class__ is not str and not isinstance(message, (str, Unset)):
            raise FieldTypeError("message", "str", message)

        detail = d.get("detail", UNSET)
        if detail is not UNSET and detail.__class__ is not str and not isinstance(detail, (str, Unset)):
            raise FieldTypeError("detail", "str", detail)

        kind = d.get("kind", UNSET)
        if kind is not UNSET and kind.__class__ is not str and not isinstance(kind, (str, Unset)):
            raise FieldTypeError("kind", "str", kind)

        provider = d.get("provider", UNSET)
        if provider is not UNSET and provider.__class__ is not str and not isinstance(provider, (str, Unset)):
            raise FieldTypeError("provider", "str", provider)

        retryable = d.get("retryable", UNSET)
        if retryable is not UNSET and retryable.__class__ is not bool and not isinstance(retryable, (bool, Unset)):
            raise FieldTypeError("retryable", "bool", retryable)

        status_code = d.get("status_code", UNSET)
        if status_code is not UNSET and status_code.__class__ is not int and not isinstance(status_code, (int, Unset)):
            raise FieldTypeError("status_code", "int", status_code)

        chat_error = cls(  # positionally, in the order the fields are declared above
            message,
            detail,
            kind,
            provider,
            retryable,
            status_code,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_error.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_error

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
