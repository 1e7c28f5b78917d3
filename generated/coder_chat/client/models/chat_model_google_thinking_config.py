from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatModelGoogleThinkingConfig")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "thinking_budget",
        "include_thoughts",
    }
)


@_attrs_define
class ChatModelGoogleThinkingConfig:
    """Google thinking behaviour."""

    thinking_budget: int | None | Unset = UNSET
    """ Thinking token budget. """
    include_thoughts: bool | None | Unset = UNSET
    """ Whether to include thoughts in the response. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        thinking_budget: int | None | Unset
        if isinstance(self.thinking_budget, Unset):
            thinking_budget = UNSET
        else:
            thinking_budget = self.thinking_budget

        include_thoughts: bool | None | Unset
        if isinstance(self.include_thoughts, Unset):
            include_thoughts = UNSET
        else:
            include_thoughts = self.include_thoughts

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if thinking_budget is not UNSET:
            field_dict["thinking_budget"] = thinking_budget
        if include_thoughts is not UNSET:
            field_dict["include_thoughts"] = include_thoughts

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_thinking_budget(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("thinking_budget", "int | None", data)

        thinking_budget = _parse_thinking_budget(d.get("thinking_budget", UNSET))

        def _parse_include_thoughts(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("include_thoughts", "bool | None", data)

        include_thoughts = _parse_include_thoughts(d.get("include_thoughts", UNSET))

        chat_model_google_thinking_config = cls(  # positionally, in the order the fields are declared above
            thinking_budget,
            include_thoughts,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_google_thinking_config.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_google_thinking_config

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
