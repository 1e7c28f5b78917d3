from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_model_open_ai_provider_options_logit_bias import ChatModelOpenAIProviderOptionsLogitBias
    from ..models.chat_model_open_ai_provider_options_metadata import ChatModelOpenAIProviderOptionsMetadata
    from ..models.chat_model_open_ai_provider_options_prediction import ChatModelOpenAIProviderOptionsPrediction


T = TypeVar("T", bound="ChatModelOpenAIProviderOptions")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "include",
        "instructions",
        "logit_bias",
        "log_probs",
        "top_log_probs",
        "max_tool_calls",
        "parallel_tool_calls",
        "user",
        "reasoning_effort",
        "reasoning_summary",
        "max_completion_tokens",
        "text_verbosity",
        "prediction",
        "store",
        "metadata",
        "prompt_cache_key",
        "safety_identifier",
        "service_tier",
        "structured_outputs",
        "strict_json_schema",
    }
)


@_attrs_define
class ChatModelOpenAIProviderOptions:
    """OpenAI provider behaviour."""

    include: list[str] | Unset = UNSET
    """ Extra output to include in responses. """
    instructions: None | str | Unset = UNSET
    """ System-level instructions. """
    logit_bias: ChatModelOpenAIProviderOptionsLogitBias | Unset = UNSET
    """ Token id to bias (int64). """
    log_probs: bool | None | Unset = UNSET
    """ Whether to return log probabilities. """
    top_log_probs: int | None | Unset = UNSET
    """ How many top log probabilities to return. """
    max_tool_calls: int | None | Unset = UNSET
    """ Maximum tool calls per response. """
    parallel_tool_calls: bool | None | Unset = UNSET
    """ Whether tools may be called in parallel. """
    user: None | str | Unset = UNSET
    """ End-user identifier sent to the provider. """
    reasoning_effort: None | str | Unset = UNSET
    """ Reasoning effort (e.g. "low", "medium", "high"). """
    reasoning_summary: None | str | Unset = UNSET
    """ Reasoning summary mode (e.g. "auto", "detailed"). """
    max_completion_tokens: int | None | Unset = UNSET
    """ Maximum completion tokens. """
    text_verbosity: None | str | Unset = UNSET
    """ Text verbosity (e.g. "low", "medium", "high"). """
    prediction: ChatModelOpenAIProviderOptionsPrediction | Unset = UNSET
    """ Predicted output, passed through to the provider. """
    store: bool | None | Unset = UNSET
    """ Whether the provider stores the response. """
    metadata: ChatModelOpenAIProviderOptionsMetadata | Unset = UNSET
    """ Request metadata, passed through to the provider. """
    prompt_cache_key: None | str | Unset = UNSET
    """ Prompt cache key. """
    safety_identifier: None | str | Unset = UNSET
    """ Safety identifier for the end user. """
    service_tier: None | str | Unset = UNSET
    """ Service tier (e.g. "auto", "flex", "priority"). """
    structured_outputs: bool | None | Unset = UNSET
    """ Whether to use structured outputs. """
    strict_json_schema: bool | None | Unset = UNSET
    """ Whether JSON schemas are enforced strictly. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        include: list[str] | Unset = UNSET
        if not isinstance(self.include, Unset):
            include = self.include

        instructions: None | str | Unset
        if isinstance(self.instructions, Unset):
            instructions = UNSET
        else:
            instructions = self.instructions

        logit_bias: dict[str, Any] | Unset = UNSET
        if not isinstance(self.logit_bias, Unset):
            logit_bias = self.logit_bias.to_dict()

        log_probs: bool | None | Unset
        if isinstance(self.log_probs, Unset):
            log_probs = UNSET
        else:
            log_probs = self.log_probs

        top_log_probs: int | None | Unset
        if isinstance(self.top_log_probs, Unset):
            top_log_probs = UNSET
        else:
            top_log_probs = self.top_log_probs

        max_tool_calls: int | None | Unset
        if isinstance(self.max_tool_calls, Unset):
            max_tool_calls = UNSET
        else:
            max_tool_calls = self.max_tool_calls

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

        reasoning_effort: None | str | Unset
        if isinstance(self.reasoning_effort, Unset):
            reasoning_effort = UNSET
        else:
            reasoning_effort = self.reasoning_effort

        reasoning_summary: None | str | Unset
        if isinstance(self.reasoning_summary, Unset):
            reasoning_summary = UNSET
        else:
            reasoning_summary = self.reasoning_summary

        max_completion_tokens: int | None | Unset
        if isinstance(self.max_completion_tokens, Unset):
            max_completion_tokens = UNSET
        else:
            max_completion_tokens = self.max_completion_tokens

        text_verbosity: None | str | Unset
        if isinstance(self.text_verbosity, Unset):
            text_verbosity = UNSET
        else:
            text_verbosity = self.text_verbosity

        prediction: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prediction, Unset):
            prediction = self.prediction.to_dict()

        store: bool | None | Unset
        if isinstance(self.store, Unset):
            store = UNSET
        else:
            store = self.store

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        prompt_cache_key: None | str | Unset
        if isinstance(self.prompt_cache_key, Unset):
            prompt_cache_key = UNSET
        else:
            prompt_cache_key = self.prompt_cache_key

        safety_identifier: None | str | Unset
        if isinstance(self.safety_identifier, Unset):
            safety_identifier = UNSET
        else:
            safety_identifier = self.safety_identifier

        service_tier: None | str | Unset
        if isinstance(self.service_tier, Unset):
            service_tier = UNSET
        else:
            service_tier = self.service_tier

        structured_outputs: bool | None | Unset
        if isinstance(self.structured_outputs, Unset):
            structured_outputs = UNSET
        else:
            structured_outputs = self.structured_outputs

        strict_json_schema: bool | None | Unset
        if isinstance(self.strict_json_schema, Unset):
            strict_json_schema = UNSET
        else:
            strict_json_schema = self.strict_json_schema

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if include is not UNSET:
            field_dict["include"] = include
        if instructions is not UNSET:
            field_dict["instructions"] = instructions
        if logit_bias is not UNSET:
            field_dict["logit_bias"] = logit_bias
        if log_probs is not UNSET:
            field_dict["log_probs"] = log_probs
        if top_log_probs is not UNSET:
            field_dict["top_log_probs"] = top_log_probs
        if max_tool_calls is not UNSET:
            field_dict["max_tool_calls"] = max_tool_calls
        if parallel_tool_calls is not UNSET:
            field_dict["parallel_tool_calls"] = parallel_tool_calls
        if user is not UNSET:
            field_dict["user"] = user
        if reasoning_effort is not UNSET:
            field_dict["reasoning_effort"] = reasoning_effort
        if reasoning_summary is not UNSET:
            field_dict["reasoning_summary"] = reasoning_summary
        if max_completion_tokens is not UNSET:
            field_dict["max_completion_tokens"] = max_completion_tokens
        if text_verbosity is not UNSET:
            field_dict["text_verbosity"] = text_verbosity
        if prediction is not UNSET:
            field_dict["prediction"] = prediction
        if store is not UNSET:
            field_dict["store"] = store
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if prompt_cache_key is not UNSET:
            field_dict["prompt_cache_key"] = prompt_cache_key
        if safety_identifier is not UNSET:
            field_dict["safety_identifier"] = safety_identifier
        if service_tier is not UNSET:
            field_dict["service_tier"] = service_tier
        if structured_outputs is not UNSET:
            field_dict["structured_outputs"] = structured_outputs
        if strict_json_schema is not UNSET:
            field_dict["strict_json_schema"] = strict_json_schema

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_open_ai_provider_options_logit_bias import ChatModelOpenAIProviderOptionsLogitBias
        from ..models.chat_model_open_ai_provider_options_metadata import ChatModelOpenAIProviderOptionsMetadata
        from ..models.chat_model_open_ai_provider_options_prediction import ChatModelOpenAIProviderOptionsPrediction

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        include = cast(list[str], d.get("include", UNSET))

        def _parse_instructions(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("instructions", "None | str", data)

        instructions = _parse_instructions(d.get("instructions", UNSET))

        _logit_bias = d.get("logit_bias", UNSET)
        logit_bias: ChatModelOpenAIProviderOptionsLogitBias | Unset
        if isinstance(_logit_bias, Unset):
            logit_bias = UNSET
        else:
            logit_bias = ChatModelOpenAIProviderOptionsLogitBias.from_dict(_logit_bias)

        def _parse_log_probs(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("log_probs", "bool | None", data)

        log_probs = _parse_log_probs(d.get("log_probs", UNSET))

        def _parse_top_log_probs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("top_log_probs", "int | None", data)

        top_log_probs = _parse_top_log_probs(d.get("top_log_probs", UNSET))

        def _parse_max_tool_calls(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("max_tool_calls", "int | None", data)

        max_tool_calls = _parse_max_tool_calls(d.get("max_tool_calls", UNSET))

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

        def _parse_reasoning_effort(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("reasoning_effort", "None | str", data)

        reasoning_effort = _parse_reasoning_effort(d.get("reasoning_effort", UNSET))

        def _parse_reasoning_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("reasoning_summary", "None | str", data)

        reasoning_summary = _parse_reasoning_summary(d.get("reasoning_summary", UNSET))

        def _parse_max_completion_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("max_completion_tokens", "int | None", data)

        max_completion_tokens = _parse_max_completion_tokens(d.get("max_completion_tokens", UNSET))

        def _parse_text_verbosity(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("text_verbosity", "None | str", data)

        text_verbosity = _parse_text_verbosity(d.get("text_verbosity", UNSET))

        _prediction = d.get("prediction", UNSET)
        prediction: ChatModelOpenAIProviderOptionsPrediction | Unset
        if isinstance(_prediction, Unset):
            prediction = UNSET
        else:
            prediction = ChatModelOpenAIProviderOptionsPrediction.from_dict(_prediction)

        def _parse_store(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("store", "bool | None", data)

        store = _parse_store(d.get("store", UNSET))

        _metadata = d.get("metadata", UNSET)
        metadata: ChatModelOpenAIProviderOptionsMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = ChatModelOpenAIProviderOptionsMetadata.from_dict(_metadata)

        def _parse_prompt_cache_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("prompt_cache_key", "None | str", data)

        prompt_cache_key = _parse_prompt_cache_key(d.get("prompt_cache_key", UNSET))

        def _parse_safety_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("safety_identifier", "None | str", data)

        safety_identifier = _parse_safety_identifier(d.get("safety_identifier", UNSET))

        def _parse_service_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("service_tier", "None | str", data)

        service_tier = _parse_service_tier(d.get("service_tier", UNSET))

        def _parse_structured_outputs(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("structured_outputs", "bool | None", data)

        structured_outputs = _parse_structured_outputs(d.get("structured_outputs", UNSET))

        def _parse_strict_json_schema(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("strict_json_schema", "bool | None", data)

        strict_json_schema = _parse_strict_json_schema(d.get("strict_json_schema", UNSET))

        chat_model_open_ai_provider_options = cls(  # positionally, in the order the fields are declared above
            include,
            instructions,
            logit_bias,
            log_probs,
            top_log_probs,
            max_tool_calls,
            parallel_tool_calls,
            user,
            reasoning_effort,
            reasoning_summary,
            max_completion_tokens,
            text_verbosity,
            prediction,
            store,
            metadata,
            prompt_cache_key,
            safety_identifier,
            service_tier,
            structured_outputs,
            strict_json_schema,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_open_ai_provider_options.additional_properties = {
                k: v for k, v in d.items() if k not in _KNOWN_KEYS
            }
        return chat_model_open_ai_provider_options

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
