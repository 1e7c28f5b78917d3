"""Contains all the data models used in inputs/outputs"""

from .chat import Chat
from .chat_diff_contents import ChatDiffContents
from .chat_diff_status import ChatDiffStatus
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

__all__ = (
    "Chat",
    "ChatDiffContents",
    "ChatDiffStatus",
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
