from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_model_open_router_provider import ChatModelOpenRouterProvider
    from ..models.chat_model_open_router_provider_options_extra_body import ChatModelOpenRouterProviderOptionsExtraBody
    from ..models.chat_model_open_router_provider_options_logit_bias import ChatModelOpenRouterProviderOptionsLogitBias
    from ..models.chat_model_open_router_reasoning_options import ChatModelOpenRouterReasoningOptions


T = TypeVar("T", bound="ChatModelOpenRouterProviderOptions")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "reasoning",
        "extra_body",
        "include_usage",
        "logit_bias",
        "log_probs",
        "parallel_tool_calls",
        "user",
        "provider",
    }
)


@_attrs_define
class ChatModelOpenRouterProviderOptions:
    """OpenRouter provider behaviour."""

    reasoning: ChatModelOpenRouterReasoningOptions | None | Unset = UNSET
    """ Reasoning options. """
    extra_body: ChatModelOpenRouterProviderOptionsExtraBody | Unset = UNSET
    """ Extra request body fields, passed through. """
    include_usage: bool | None | Unset = UNSET
    """ Whether to include usage in the response. """
    logit_bias: ChatModelOpenRouterProviderOptionsLogitBias | Unset = UNSET
    """ Token id to bias (int64). """
    log_probs: bool | None | Unset = UNSET
    """ Whether to return log probabilities. """
    parallel_tool_calls: bool | None | Unset = UNSET
    """ Whether tools may be called in parallel. """
    user: None | str | Unset = UNSET
    """ End-user identifier sent to the provider. """
    provider: ChatModelOpenRouterProvider | None | Unset = UNSET
    """ Provider-routing preferences. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_model_open_router_provider import ChatModelOpenRouterProvider
        from ..models.chat_model_open_router_reasoning_options import ChatModelOpenRouterReasoningOptions

        reasoning: dict[str, Any] | None | Unset
        if isinstance(self.reasoning, Unset):
            reasoning = UNSET
        elif isinstance(self.reasoning, ChatModelOpenRouterReasoningOptions):
            reasoning = self.reasoning.to_dict()
        else:
            reasoning = self.reasoning

        extra_body: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra_body, Unset):
            extra_body = self.extra_body.to_dict()

        include_usage: bool | None | Unset
        if isinstance(self.include_usage, Unset):
            include_usage = UNSET
        else:
            include_usage = self.include_usage

        logit_bias: dict[str, Any] | Unset = UNSET
        if not isinstance(self.logit_bias, Unset):
            logit_bias = self.logit_bias.to_dict()

        log_probs: bool | None | Unset
        if isinstance(self.log_probs, Unset):
            log_probs = UNSET
        else:
            log_probs = self.log_probs

        parallel_tool_calls: bool | None | Unset
        if isinstance(self.parallel_tool_calls, Unset):
            parallel_tool_calls = UNSET
        else:
            parallel_tool_calls = self.parallel_tool_calls

        user: None | str | Unset
        if isinstance(self.user, Unset):
            user = UNSET
        else:
            user = self.user

        provider: dict[str, Any] | None | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        elif isinstance(self.provider, ChatModelOpenRouterProvider):
            provider = self.provider.to_dict()
        else:
            provider = self.provider

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if reasoning is not UNSET:
            field_dict["reasoning"] = reasoning
        if extra_body is not UNSET:
            field_dict["extra_body"] = extra_body
        if include_usage is not UNSET:
            field_dict["include_usage"] = include_usage
        if logit_bias is not UNSET:
            field_dict["logit_bias"] = logit_bias
        if log_probs is not UNSET:
            field_dict["log_probs"] = log_probs
        if parallel_tool_calls is not UNSET:
            field_dict["parallel_tool_calls"] = parallel_tool_calls
        if user is not UNSET:
            field_dict["user"] = user
        if provider is not UNSET:
            field_dict["provider"] = provider

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_open_router_provider import ChatModelOpenRouterProvider
        from ..models.chat_model_open_router_provider_options_extra_body import (
            ChatModelOpenRouterProviderOptionsExtraBody,
        )
        from ..models.chat_model_open_router_provider_options_logit_bias import (
            ChatModelOpenRouterProviderOptionsLogitBias,
        )
        from ..models.chat_model_open_router_reasoning_options import ChatModelOpenRouterReasoningOptions

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_reasoning(data: object) -> ChatModelOpenRouterReasoningOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("reasoning", "ChatModelOpenRouterReasoningOptions", data)
            reasoning_type_0 = ChatModelOpenRouterReasoningOptions.from_dict(data)

            return reasoning_type_0

        reasoning = _parse_reasoning(d.get("reasoning", UNSET))

        _extra_body = d.get("extra_body", UNSET)
        extra_body: ChatModelOpenRouterProviderOptionsExtraBody | Unset
        if isinstance(_extra_body, Unset):
            extra_body = UNSET
        else:
            extra_body = ChatModelOpenRouterProviderOptionsExtraBody.from_dict(_extra_body)

        def _parse_include_usage(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("include_usage", "bool | None", data)

        include_usage = _parse_include_usage(d.get("include_usage", UNSET))

        _logit_bias = d.get("logit_bias", UNSET)
        logit_bias: ChatModelOpenRouterProviderOptionsLogitBias | Unset
        if isinstance(_logit_bias, Unset):
            logit_bias = UNSET
        else:
            logit_bias = ChatModelOpenRouterProviderOptionsLogitBias.from_dict(_logit_bias)

        def _parse_log_probs(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("log_probs", "bool | None", data)

        log_probs = _parse_log_probs(d.get("log_probs", UNSET))

        def _parse_parallel_tool_calls(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("parallel_tool_calls", "bool | None", data)

        parallel_tool_calls = _parse_parallel_tool_calls(d.get("parallel_tool_calls", UNSET))

        def _parse_user(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("user", "None | str", data)

        user = _parse_user(d.get("user", UNSET))

        def _parse_provider(data: object) -> ChatModelOpenRouterProvider | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("provider", "ChatModelOpenRouterProvider", data)
            provider_type_0 = ChatModelOpenRouterProvider.from_dict(data)

            return provider_type_0

        provider = _parse_provider(d.get("provider", UNSET))

        chat_model_open_router_provider_options = cls(  # positionally, in the order the fields are declared above
            reasoning,
            extra_body,
            include_usage,
            logit_bias,
            log_probs,
            parallel_tool_calls,
            user,
            provider,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_open_router_provider_options.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_open_router_provider_options

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
