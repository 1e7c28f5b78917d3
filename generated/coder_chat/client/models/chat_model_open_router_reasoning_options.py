from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatModelOpenRouterReasoningOptions")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "enabled",
        "exclude",
        "max_tokens",
        "effort",
    }
)


@_attrs_define
class ChatModelOpenRouterReasoningOptions:
    """OpenRouter reasoning behaviour."""

    enabled: bool | None | Unset = UNSET
    """ Whether reasoning is enabled. """
    exclude: bool | None | Unset = UNSET
    """ Whether to exclude reasoning from the response. """
    max_tokens: int | None | Unset = UNSET
    """ Reasoning token budget. """
    effort: None | str | Unset = UNSET
    """ Reasoning effort. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        exclude: bool | None | Unset
        if isinstance(self.exclude, Unset):
            exclude = UNSET
        else:
            exclude = self.exclude

        max_tokens: int | None | Unset
        if isinstance(self.max_tokens, Unset):
            max_tokens = UNSET
        else:
            max_tokens = self.max_tokens

        effort: None | str | Unset
        if isinstance(self.effort, Unset):
            effort = UNSET
        else:
            effort = self.effort

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if exclude is not UNSET:
            field_dict["exclude"] = exclude
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if effort is not UNSET:
            field_dict["effort"] = effort

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("enabled", "bool | None", data)

        enabled = _parse_enabled(d.get("enabled", UNSET))

        def _parse_exclude(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("exclude", "bool | None", data)

        exclude = _parse_exclude(d.get("exclude", UNSET))

        def _parse_max_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("max_tokens", "int | None", data)

        max_tokens = _parse_max_tokens(d.get("max_tokens", UNSET))

        def _parse_effort(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("effort", "None | str", data)

        effort = _parse_effort(d.get("effort", UNSET))

        chat_model_open_router_reasoning_options = cls(  # positionally, in the order the fields are declared above
            enabled,
            exclude,
            max_tokens,
            effort,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_open_router_reasoning_options.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_open_router_reasoning_options

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
