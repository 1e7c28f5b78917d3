from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_model_anthropic_thinking_options import ChatModelAnthropicThinkingOptions


T = TypeVar("T", bound="ChatModelAnthropicProviderOptions")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "send_reasoning",
        "thinking",
        "effort",
        "disable_parallel_tool_use",
    }
)


@_attrs_define
class ChatModelAnthropicProviderOptions:
    """Anthropic provider behaviour."""

    send_reasoning: bool | None | Unset = UNSET
    """ Whether to send reasoning back to the model. """
    thinking: ChatModelAnthropicThinkingOptions | None | Unset = UNSET
    """ Extended-thinking options. """
    effort: None | str | Unset = UNSET
    """ Effort level. """
    disable_parallel_tool_use: bool | None | Unset = UNSET
    """ Whether to disable parallel tool use. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_model_anthropic_thinking_options import ChatModelAnthropicThinkingOptions

        send_reasoning: bool | None | Unset
        if isinstance(self.send_reasoning, Unset):
            send_reasoning = UNSET
        else:
            send_reasoning = self.send_reasoning

        thinking: dict[str, Any] | None | Unset
        if isinstance(self.thinking, Unset):
            thinking = UNSET
        elif isinstance(self.thinking, ChatModelAnthropicThinkingOptions):
            thinking = self.thinking.to_dict()
        else:
            thinking = self.thinking

        effort: None | str | Unset
        if isinstance(self.effort, Unset):
            effort = UNSET
        else:
            effort = self.effort

        disable_parallel_tool_use: bool | None | Unset
        if isinstance(self.disable_parallel_tool_use, Unset):
            disable_parallel_tool_use = UNSET
        else:
            disable_parallel_tool_use = self.disable_parallel_tool_use

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if send_reasoning is not UNSET:
            field_dict["send_reasoning"] = send_reasoning
        if thinking is not UNSET:
            field_dict["thinking"] = thinking
        if effort is not UNSET:
            field_dict["effort"] = effort
        if disable_parallel_tool_use is not UNSET:
            field_dict["disable_parallel_tool_use"] = disable_parallel_tool_use

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_anthropic_thinking_options import ChatModelAnthropicThinkingOptions

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_send_reasoning(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("send_reasoning", "bool | None", data)

        send_reasoning = _parse_send_reasoning(d.get("send_reasoning", UNSET))

        def _parse_thinking(data: object) -> ChatModelAnthropicThinkingOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("thinking", "ChatModelAnthropicThinkingOptions", data)
            thinking_type_0 = ChatModelAnthropicThinkingOptions.from_dict(data)

            return thinking_type_0

        thinking = _parse_thinking(d.get("thinking", UNSET))

        def _parse_effort(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("effort", "None | str", data)

        effort = _parse_effort(d.get("effort", UNSET))

        def _parse_disable_parallel_tool_use(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("disable_parallel_tool_use", "bool | None", data)

        disable_parallel_tool_use = _parse_disable_parallel_tool_use(d.get("disable_parallel_tool_use", UNSET))

        chat_model_anthropic_provider_options = cls(  # positionally, in the order the fields are declared above
            send_reasoning,
            thinking,
            effort,
            disable_parallel_tool_use,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_anthropic_provider_options.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_anthropic_provider_options

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
