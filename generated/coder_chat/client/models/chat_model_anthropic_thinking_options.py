from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatModelAnthropicThinkingOptions")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "budget_tokens",
    }
)


@_attrs_define
class ChatModelAnthropicThinkingOptions:
    """Anthropic extended-thinking budget."""

    budget_tokens: int | None | Unset = UNSET
    """ Thinking token budget. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        budget_tokens: int | None | Unset
        if isinstance(self.budget_tokens, Unset):
            budget_tokens = UNSET
        else:
            budget_tokens = self.budget_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if budget_tokens is not UNSET:
            field_dict["budget_tokens"] = budget_tokens

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_budget_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("budget_tokens", "int | None", data)

        budget_tokens = _parse_budget_tokens(d.get("budget_tokens", UNSET))

        chat_model_anthropic_thinking_options = cls(  # positionally, in the order the fields are declared above
            budget_tokens,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_anthropic_thinking_options.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_anthropic_thinking_options

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
