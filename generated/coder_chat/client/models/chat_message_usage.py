from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatMessageUsage")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "input_tokens",
        "output_tokens",
        "total_tokens",
        "reasoning_tokens",
        "cache_creation_tokens",
        "cache_read_tokens",
        "context_limit",
    }
)


@_attrs_define
class ChatMessageUsage:
    """Token usage information for a chat message."""

    input_tokens: int | None | Unset = UNSET
    """ Input (prompt) tokens. """
    output_tokens: int | None | Unset = UNSET
    """ Output (completion) tokens. """
    total_tokens: int | None | Unset = UNSET
    """ Total tokens. """
    reasoning_tokens: int | None | Unset = UNSET
    """ Reasoning tokens. """
    cache_creation_tokens: int | None | Unset = UNSET
    """ Tokens written to the provider's prompt cache. """
    cache_read_tokens: int | None | Unset = UNSET
    """ Tokens read from the provider's prompt cache. """
    context_limit: int | None | Unset = UNSET
    """ The model's context window, in tokens. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_tokens: int | None | Unset
        if isinstance(self.input_tokens, Unset):
            input_tokens = UNSET
        else:
            input_tokens = self.input_tokens

        output_tokens: int | None | Unset
        if isinstance(self.output_tokens, Unset):
            output_tokens = UNSET
        else:
            output_tokens = self.output_tokens

        total_tokens: int | None | Unset
        if isinstance(self.total_tokens, Unset):
            total_tokens = UNSET
        else:
            total_tokens = self.total_tokens

        reasoning_tokens: int | None | Unset
        if isinstance(self.reasoning_tokens, Unset):
            reasoning_tokens = UNSET
        else:
            reasoning_tokens = self.reasoning_tokens

        cache_creation_tokens: int | None | Unset
        if isinstance(self.cache_creation_tokens, Unset):
            cache_creation_tokens = UNSET
        else:
            cache_creation_tokens = self.cache_creation_tokens

        cache_read_tokens: int | None | Unset
        if isinstance(self.cache_read_tokens, Unset):
            cache_read_tokens = UNSET
        else:
            cache_read_tokens = self.cache_read_tokens

        context_limit: int | None | Unset
        if isinstance(self.context_limit, Unset):
            context_limit = UNSET
        else:
            context_limit = self.context_limit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if input_tokens is not UNSET:
            field_dict["input_tokens"] = input_tokens
        if output_tokens is not UNSET:
            field_dict["output_tokens"] = output_tokens
        if total_tokens is not UNSET:
            field_dict["total_tokens"] = total_tokens
        if reasoning_tokens is not UNSET:
            field_dict["reasoning_tokens"] = reasoning_tokens
        if cache_creation_tokens is not UNSET:
            field_dict["cache_creation_tokens"] = cache_creation_tokens
        if cache_read_tokens is not UNSET:
            field_dict["cache_read_tokens"] = cache_read_tokens
        if context_limit is not UNSET:
            field_dict["context_limit"] = context_limit

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_input_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("input_tokens", "int | None", data)

        input_tokens = _parse_input_tokens(d.get("input_tokens", UNSET))

        def _parse_output_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("output_tokens", "int | None", data)

        output_tokens = _parse_output_tokens(d.get("output_tokens", UNSET))

        def _parse_total_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("total_tokens", "int | None", data)

        total_tokens = _parse_total_tokens(d.get("total_tokens", UNSET))

        def _parse_reasoning_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("reasoning_tokens", "int | None", data)

        reasoning_tokens = _parse_reasoning_tokens(d.get("reasoning_tokens", UNSET))

        def _parse_cache_creation_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("cache_creation_tokens", "int | None", data)

        cache_creation_tokens = _parse_cache_creation_tokens(d.get("cache_creation_tokens", UNSET))

        def _parse_cache_read_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("cache_read_tokens", "int | None", data)

        cache_read_tokens = _parse_cache_read_tokens(d.get("cache_read_tokens", UNSET))

        def _parse_context_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("context_limit", "int | None", data)

        context_limit = _parse_context_limit(d.get("context_limit", UNSET))

        chat_message_usage = cls(  # positionally, in the order the fields are declared above
            input_tokens,
            output_tokens,
            total_tokens,
            reasoning_tokens,
            cache_creation_tokens,
            cache_read_tokens,
            context_limit,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_message_usage.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_message_usage

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
