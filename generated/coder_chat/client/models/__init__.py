"""Contains all the data models used in inputs/outputs (each module is imported on first use)"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .chat import Chat
    from .chat_diff_contents import ChatDiffContents
    from .chat_diff_status import ChatDiffStatus
    from .chat_error import ChatError
    from .chat_git_change import ChatGitChange
    from .chat_input_part import ChatInputPart
    from .chat_input_part_type import ChatInputPartType
    from .chat_message import ChatMessage
    from .chat_message_part import ChatMessagePart
    from .chat_message_part_type import ChatMessagePartType
    from .chat_message_usage import ChatMessageUsage
    from .chat_model import ChatModel
    from .chat_model_anthropic_provider_options import ChatModelAnthropicProviderOptions
    from .chat_model_anthropic_thinking_options import ChatModelAnthropicThinkingOptions
    from .chat_model_call_config import ChatModelCallConfig
    from .chat_model_config import ChatModelConfig
    from .chat_model_google_provider_options import ChatModelGoogleProviderOptions
    from .chat_model_google_safety_setting import ChatModelGoogleSafetySetting
    from .chat_model_google_thinking_config import ChatModelGoogleThinkingConfig
    from .chat_model_open_ai_compat_provider_options import ChatModelOpenAICompatProviderOptions
    from .chat_model_open_ai_provider_options import ChatModelOpenAIProviderOptions
    from .chat_model_open_ai_provider_options_logit_bias import ChatModelOpenAIProviderOptionsLogitBias
    from .chat_model_open_ai_provider_options_metadata import ChatModelOpenAIProviderOptionsMetadata
    from .chat_model_open_ai_provider_options_prediction import ChatModelOpenAIProviderOptionsPrediction
    from .chat_model_open_router_provider import ChatModelOpenRouterProvider
    from .chat_model_open_router_provider_options import ChatModelOpenRouterProviderOptions
    from .chat_model_open_router_provider_options_extra_body import ChatModelOpenRouterProviderOptionsExtraBody
    from .chat_model_open_router_provider_options_logit_bias import ChatModelOpenRouterProviderOptionsLogitBias
    from .chat_model_open_router_reasoning_options import ChatModelOpenRouterReasoningOptions
    from .chat_model_provider import ChatModelProvider
    from .chat_model_provider_options import ChatModelProviderOptions
    from .chat_model_provider_unavailable_reason import ChatModelProviderUnavailableReason
    from .chat_model_vercel_gateway_provider_options import ChatModelVercelGatewayProviderOptions
    from .chat_model_vercel_provider_options import ChatModelVercelProviderOptions
    from .chat_model_vercel_provider_options_extra_body import ChatModelVercelProviderOptionsExtraBody
    from .chat_model_vercel_provider_options_logit_bias import ChatModelVercelProviderOptionsLogitBias
    from .chat_model_vercel_reasoning_options import ChatModelVercelReasoningOptions
    from .chat_models_response import ChatModelsResponse
    from .chat_provider_config import ChatProviderConfig
    from .chat_provider_config_source import ChatProviderConfigSource
    from .chat_queued_message import ChatQueuedMessage
    from .chat_status import ChatStatus
    from .chat_stream_error import ChatStreamError
    from .chat_stream_event import ChatStreamEvent
    from .chat_stream_event_type import ChatStreamEventType
    from .chat_stream_message_part import ChatStreamMessagePart
    from .chat_stream_retry import ChatStreamRetry
    from .chat_stream_status import ChatStreamStatus
    from .chat_watch_event import ChatWatchEvent
    from .chat_watch_event_kind import ChatWatchEventKind
    from .chat_with_messages import ChatWithMessages
    from .create_chat_message_request import CreateChatMessageRequest
    from .create_chat_message_response import CreateChatMessageResponse
    from .create_chat_model_config_request import CreateChatModelConfigRequest
    from .create_chat_provider_config_request import CreateChatProviderConfigRequest
    from .create_chat_request import CreateChatRequest
    from .edit_chat_message_request import EditChatMessageRequest
    from .error_response import ErrorResponse
    from .update_chat_model_config_request import UpdateChatModelConfigRequest
    from .update_chat_provider_config_request import UpdateChatProviderConfigRequest
    from .update_chat_request import UpdateChatRequest
    from .validation_error import ValidationError

# Public name -> the module that defines it.
_MODULES: dict[str, str] = {
    "Chat": ".chat",
    "ChatDiffContents": ".chat_diff_contents",
    "ChatDiffStatus": ".chat_diff_status",
    "ChatError": ".chat_error",
    "ChatGitChange": ".chat_git_change",
    "ChatInputPart": ".chat_input_part",
    "ChatInputPartType": ".chat_input_part_type",
    "ChatMessage": ".chat_message",
    "ChatMessagePart": ".chat_message_part",
    "ChatMessagePartType": ".chat_message_part_type",
    "ChatMessageUsage": ".chat_message_usage",
    "ChatModel": ".chat_model",
    "ChatModelAnthropicProviderOptions": ".chat_model_anthropic_provider_options",
    "ChatModelAnthropicThinkingOptions": ".chat_model_anthropic_thinking_options",
    "ChatModelCallConfig": ".chat_model_call_config",
    "ChatModelConfig": ".chat_model_config",
    "ChatModelGoogleProviderOptions": ".chat_model_google_provider_options",
    "ChatModelGoogleSafetySetting": ".chat_model_google_safety_setting",
    "ChatModelGoogleThinkingConfig": ".chat_model_google_thinking_config",
    "ChatModelOpenAICompatProviderOptions": ".chat_model_open_ai_compat_provider_options",
    "ChatModelOpenAIProviderOptions": ".chat_model_open_ai_provider_options",
    "ChatModelOpenAIProviderOptionsLogitBias": ".chat_model_open_ai_provider_options_logit_bias",
    "ChatModelOpenAIProviderOptionsMetadata": ".chat_model_open_ai_provider_options_metadata",
    "ChatModelOpenAIProviderOptionsPrediction": ".chat_model_open_ai_provider_options_prediction",
    "ChatModelOpenRouterProvider": ".chat_model_open_router_provider",
    "ChatModelOpenRouterProviderOptions": ".chat_model_open_router_provider_options",
    "ChatModelOpenRouterProviderOptionsExtraBody": ".chat_model_open_router_provider_options_extra_body",
    "ChatModelOpenRouterProviderOptionsLogitBias": ".chat_model_open_router_provider_options_logit_bias",
    "ChatModelOpenRouterReasoningOptions": ".chat_model_open_router_reasoning_options",
    "ChatModelProvider": ".chat_model_provider",
    "ChatModelProviderOptions": ".chat_model_provider_options",
    "ChatModelProviderUnavailableReason": ".chat_model_provider_unavailable_reason",
    "ChatModelVercelGatewayProviderOptions": ".chat_model_vercel_gateway_provider_options",
    "ChatModelVercelProviderOptions": ".chat_model_vercel_provider_options",
    "ChatModelVercelProviderOptionsExtraBody": ".chat_model_vercel_provider_options_extra_body",
    "ChatModelVercelProviderOptionsLogitBias": ".chat_model_vercel_provider_options_logit_bias",
    "ChatModelVercelReasoningOptions": ".chat_model_vercel_reasoning_options",
    "ChatModelsResponse": ".chat_models_response",
    "ChatProviderConfig": ".chat_provider_config",
    "ChatProviderConfigSource": ".chat_provider_config_source",
    "ChatQueuedMessage": ".chat_queued_message",
    "ChatStatus": ".chat_status",
    "ChatStreamError": ".chat_stream_error",
    "ChatStreamEvent": ".chat_stream_event",
    "ChatStreamEventType": ".chat_stream_event_type",
    "ChatStreamMessagePart": ".chat_stream_message_part",
    "ChatStreamRetry": ".chat_stream_retry",
    "ChatStreamStatus": ".chat_stream_status",
    "ChatWatchEvent": ".chat_watch_event",
    "ChatWatchEventKind": ".chat_watch_event_kind",
    "ChatWithMessages": ".chat_with_messages",
    "CreateChatMessageRequest": ".create_chat_message_request",
    "CreateChatMessageResponse": ".create_chat_message_response",
    "CreateChatModelConfigRequest": ".create_chat_model_config_request",
    "CreateChatProviderConfigRequest": ".create_chat_provider_config_request",
    "CreateChatRequest": ".create_chat_request",
    "EditChatMessageRequest": ".edit_chat_message_request",
    "ErrorResponse": ".error_response",
    "UpdateChatModelConfigRequest": ".update_chat_model_config_request",
    "UpdateChatProviderConfigRequest": ".update_chat_provider_config_request",
    "UpdateChatRequest": ".update_chat_request",
    "ValidationError": ".validation_error",
}


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later lookups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})


__all__ = (
    "Chat",
    "ChatDiffContents",
    "ChatDiffStatus",
    "ChatError",
    "ChatGitChange",
    "ChatInputPart",
    "ChatInputPartType",
    "ChatMessage",
    "ChatMessagePart",
    "ChatMessagePartType",
    "ChatMessageUsage",
    "ChatModel",
    "ChatModelAnthropicProviderOptions",
    "ChatModelAnthropicThinkingOptions",
    "ChatModelCallConfig",
    "ChatModelConfig",
    "ChatModelGoogleProviderOptions",
    "ChatModelGoogleSafetySetting",
    "ChatModelGoogleThinkingConfig",
    "ChatModelOpenAICompatProviderOptions",
    "ChatModelOpenAIProviderOptions",
    "ChatModelOpenAIProviderOptionsLogitBias",
    "ChatModelOpenAIProviderOptionsMetadata",
    "ChatModelOpenAIProviderOptionsPrediction",
    "ChatModelOpenRouterProvider",
    "ChatModelOpenRouterProviderOptions",
    "ChatModelOpenRouterProviderOptionsExtraBody",
    "ChatModelOpenRouterProviderOptionsLogitBias",
    "ChatModelOpenRouterReasoningOptions",
    "ChatModelProvider",
    "ChatModelProviderOptions",
    "ChatModelProviderUnavailableReason",
    "ChatModelVercelGatewayProviderOptions",
    "ChatModelVercelProviderOptions",
    "ChatModelVercelProviderOptionsExtraBody",
    "ChatModelVercelProviderOptionsLogitBias",
    "ChatModelVercelReasoningOptions",
    "ChatModelsResponse",
    "ChatProviderConfig",
    "ChatProviderConfigSource",
    "ChatQueuedMessage",
    "ChatStatus",
    "ChatStreamError",
    "ChatStreamEvent",
    "ChatStreamEventType",
    "ChatStreamMessagePart",
    "ChatStreamRetry",
    "ChatStreamStatus",
    "ChatWatchEvent",
    "ChatWatchEventKind",
    "ChatWithMessages",
    "CreateChatMessageRequest",
    "CreateChatMessageResponse",
    "CreateChatModelConfigRequest",
    "CreateChatProviderConfigRequest",
    "CreateChatRequest",
    "EditChatMessageRequest",
    "ErrorResponse",
    "UpdateChatModelConfigRequest",
    "UpdateChatProviderConfigRequest",
    "UpdateChatRequest",
    "ValidationError",
)
