from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_model_vercel_gateway_provider_options import ChatModelVercelGatewayProviderOptions
    from ..models.chat_model_vercel_provider_options_extra_body import ChatModelVercelProviderOptionsExtraBody
    from ..models.chat_model_vercel_provider_options_logit_bias import ChatModelVercelProviderOptionsLogitBias
    from ..models.chat_model_vercel_reasoning_options import ChatModelVercelReasoningOptions


T = TypeVar("T", bound="ChatModelVercelProviderOptions")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "reasoning",
        "providerOptions",
        "user",
        "logit_bias",
        "logprobs",
        "top_logprobs",
        "parallel_tool_calls",
        "extra_body",
    }
)


@_attrs_define
class ChatModelVercelProviderOptions:
    """Vercel AI Gateway provider behaviour."""

    reasoning: ChatModelVercelReasoningOptions | None | Unset = UNSET
    """ Reasoning options. """
    provider_options: ChatModelVercelGatewayProviderOptions | None | Unset = UNSET
    """ Gateway routing options (JSON name is camelCase upstream). """
    user: None | str | Unset = UNSET
    """ End-user identifier sent to the provider. """
    logit_bias: ChatModelVercelProviderOptionsLogitBias | Unset = UNSET
    """ Token id to bias (int64). """
    logprobs: bool | None | Unset = UNSET
    """ Whether to return log probabilities. """
    top_logprobs: int | None | Unset = UNSET
    """ How many top log probabilities to return. """
    parallel_tool_calls: bool | None | Unset = UNSET
    """ Whether tools may be called in parallel. """
    extra_body: ChatModelVercelProviderOptionsExtraBody | Unset = UNSET
    """ Extra request body fields, passed through. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_model_vercel_gateway_provider_options import ChatModelVercelGatewayProviderOptions
        from ..models.chat_model_vercel_reasoning_options import ChatModelVercelReasoningOptions

        reasoning: dict[str, Any] | None | Unset
        if isinstance(self.reasoning, Unset):
            reasoning = UNSET
        elif isinstance(self.reasoning, ChatModelVercelReasoningOptions):
            reasoning = self.reasoning.to_dict()
        else:
            reasoning = self.reasoning

        provider_options: dict[str, Any] | None | Unset
        if isinstance(self.provider_options, Unset):
            provider_options = UNSET
        elif isinstance(self.provider_options, ChatModelVercelGatewayProviderOptions):
            provider_options = self.provider_options.to_dict()
        else:
            provider_options = self.provider_options

        user: None | str | Unset
        if isinstance(self.user, Unset):
            user = UNSET
        else:
            user = self.user

        logit_bias: dict[str, Any] | Unset = UNSET
        if not isinstance(self.logit_bias, Unset):
            logit_bias = self.logit_bias.to_dict()

        logprobs: bool | None | Unset
        if isinstance(self.logprobs, Unset):
            logprobs = UNSET
        else:
            logprobs = self.logprobs

        top_logprobs: int | None | Unset
        if isinstance(self.top_logprobs, Unset):
            top_logprobs = UNSET
        else:
            top_logprobs = self.top_logprobs

        parallel_tool_calls: bool | None | Unset
        if isinstance(self.parallel_tool_calls, Unset):
            parallel_tool_calls = UNSET
        else:
            parallel_tool_calls = self.parallel_tool_calls

        extra_body: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra_body, Unset):
            extra_body = self.extra_body.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if reasoning is not UNSET:
            field_dict["reasoning"] = reasoning
        if provider_options is not UNSET:
            field_dict["providerOptions"] = provider_options
        if user is not UNSET:
            field_dict["user"] = user
        if logit_bias is not UNSET:
            field_dict["logit_bias"] = logit_bias
        if logprobs is not UNSET:
            field_dict["logprobs"] = logprobs
        if top_logprobs is not UNSET:
            field_dict["top_logprobs"] = top_logprobs
        if parallel_tool_calls is not UNSET:
            field_dict["parallel_tool_calls"] = parallel_tool_calls
        if extra_body is not UNSET:
            field_dict["extra_body"] = extra_body

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_vercel_gateway_provider_options import ChatModelVercelGatewayProviderOptions
        from ..models.chat_model_vercel_provider_options_extra_body import ChatModelVercelProviderOptionsExtraBody
        from ..models.chat_model_vercel_provider_options_logit_bias import ChatModelVercelProviderOptionsLogitBias
        from ..models.chat_model_vercel_reasoning_options import ChatModelVercelReasoningOptions

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_reasoning(data: object) -> ChatModelVercelReasoningOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("reasoning", "ChatModelVercelReasoningOptions", data)
            reasoning_type_0 = ChatModelVercelReasoningOptions.from_dict(data)

            return reasoning_type_0

        reasoning = _parse_reasoning(d.get("reasoning", UNSET))

        def _parse_provider_options(data: object) -> ChatModelVercelGatewayProviderOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("providerOptions", "ChatModelVercelGatewayProviderOptions", data)
            provider_options_type_0 = ChatModelVercelGatewayProviderOptions.from_dict(data)

            return provider_options_type_0

        provider_options = _parse_provider_options(d.get("providerOptions", UNSET))

        def _parse_user(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("user", "None | str", data)

        user = _parse_user(d.get("user", UNSET))

        _logit_bias = d.get("logit_bias", UNSET)
        logit_bias: ChatModelVercelProviderOptionsLogitBias | Unset
        if isinstance(_logit_bias, Unset):
            logit_bias = UNSET
        else:
            logit_bias = ChatModelVercelProviderOptionsLogitBias.from_dict(_logit_bias)

        def _parse_logprobs(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("logprobs", "bool | None", data)

        logprobs = _parse_logprobs(d.get("logprobs", UNSET))

        def _parse_top_logprobs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("top_logprobs", "int | None", data)

        top_logprobs = _parse_top_logprobs(d.get("top_logprobs", UNSET))

        def _parse_parallel_tool_calls(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("parallel_tool_calls", "bool | None", data)

        parallel_tool_calls = _parse_parallel_tool_calls(d.get("parallel_tool_calls", UNSET))

        _extra_body = d.get("extra_body", UNSET)
        extra_body: ChatModelVercelProviderOptionsExtraBody | Unset
        if isinstance(_extra_body, Unset):
            extra_body = UNSET
        else:
            extra_body = ChatModelVercelProviderOptionsExtraBody.from_dict(_extra_body)

        chat_model_vercel_provider_options = cls(  # positionally, in the order the fields are declared above
            reasoning,
            provider_options,
            user,
            logit_bias,
            logprobs,
            top_logprobs,
            parallel_tool_calls,
            extra_body,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_vercel_provider_options.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_vercel_provider_options

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
