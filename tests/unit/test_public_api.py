"""The public contract's import paths and names: each public module's ``__all__`` is exactly the list
below (a name added or dropped by accident fails here), every name in it resolves, and the public classes
carry no public method that is not part of the contract."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import coder_chat.client
import coder_chat.client.client
import coder_chat.client.errors
import coder_chat.client.models
import coder_chat.client.types
import coder_chat.streaming

OPERATIONS = [
    "list_chats",
    "create_chat",
    "list_chat_models",
    "list_chat_providers",
    "create_chat_provider",
    "update_chat_provider",
    "delete_chat_provider",
    "list_chat_model_configs",
    "create_chat_model_config",
    "update_chat_model_config",
    "delete_chat_model_config",
    "get_chat",
    "delete_chat",
    "create_chat_message",
    "edit_chat_message",
    "interrupt_chat",
    "get_chat_git_changes",
    "get_chat_diff_status",
    "get_chat_diff_contents",
    "delete_chat_queued_message",
    "promote_chat_queued_message",
]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_operation_module_has_the_four_functions(operation: str) -> None:
    module = importlib.import_module(f"coder_chat.client.api.chats.{operation}")
    for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        assert callable(getattr(module, name))


def test_error_hierarchy() -> None:
    e = coder_chat.client.errors
    for cls in (e.APIError, e.APIConnectionError, e.ResponseValidationError, coder_chat.streaming.StreamError):
        assert issubclass(cls, e.CoderChatError)
    for cls in (
        e.BadRequestError,
        e.AuthenticationError,
        e.PermissionDeniedError,
        e.NotFoundError,
        e.ConflictError,
        e.RateLimitError,
        e.ServerError,
    ):
        assert issubclass(cls, e.APIError)
    assert issubclass(e.APITimeoutError, e.APIConnectionError)
    for name in ("StreamDecodeError", "StreamServerError", "StreamDisconnectedError"):
        assert issubclass(getattr(coder_chat.streaming, name), coder_chat.streaming.StreamError)
    # A stream that went silent is both a dropped stream and a timeout.
    assert issubclass(coder_chat.streaming.StreamTimeoutError, coder_chat.streaming.StreamDisconnectedError)
    assert issubclass(coder_chat.streaming.StreamTimeoutError, e.APITimeoutError)


def test_models_named_after_the_go_types() -> None:
    from coder_chat.client import models

    for name in (
        "Chat",
        "ChatMessage",
        "ChatMessagePart",
        "ChatStreamEvent",
        "CreateChatRequest",
        "ChatInputPart",
        "ChatWithMessages",
        "ChatModelConfig",
        "ChatProviderConfig",
        "ChatStatus",
        "ChatMessagePartType",
        "ChatStreamEventType",
    ):
        model = getattr(models, name)
        if not hasattr(model, "__members__"):
            assert callable(model.from_dict) and callable(model.to_dict)


# The stream errors, defined once and re-exported by both coder_chat.streaming and coder_chat.client.errors.
STREAM_ERRORS = [
    "StreamDecodeError",
    "StreamDisconnectedError",
    "StreamError",
    "StreamFrameTooLargeError",
    "StreamServerError",
    "StreamTimeoutError",
]

EXPECTED_ALL: dict[str, list[str]] = {
    "coder_chat.client": ["ApiGeneration", "AuthenticatedClient", "Client"],
    "coder_chat.client.client": [
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT",
        "MAX_RETRIES_EXTENSION",
        "AuthenticatedClient",
        "Client",
        "RetryPolicy",
    ],
    # Every exception class of the distribution, the stream and turn errors included.
    "coder_chat.client.errors": sorted(
        [
            "APIConnectionError",
            "APIError",
            "APITimeoutError",
            "AuthenticationError",
            "BadRequestError",
            "ChatRequiresActionError",
            "CoderChatError",
            "ConflictError",
            "FieldTypeError",
            "MissingEnvironmentVariableError",
            "NotFoundError",
            "PermissionDeniedError",
            "RateLimitError",
            "ResponseValidationError",
            "ServerError",
            *STREAM_ERRORS,
            "TurnError",
            "TurnTimeoutError",
            "ValidationDetail",
            "api_error_from_response",
            "parse_retry_after",
            "translate_transport_errors",
        ]
    ),
    "coder_chat.client.types": [
        "UNSET",
        "File",
        "Response",
        "Unset",
        "http_status",
        "int64_field",
        "json_body",
        "uuid_from_wire",
    ],
    # The Go type names of the seed SDK (openapi.yaml's schemas).
    "coder_chat.client.models": [
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
        # The v2 generation's own types (openapi.yaml, tag v2); OrganizationChatModel is the Go SDK's later
        # ChatModel, renamed because ChatModel is the seed's catalog entry.
        "AcceptedResponse",
        "BuildInfoResponse",
        "ChatBusyBehavior",
        "ChatContext",
        "ChatContextResource",
        "ChatCost",
        "ChatFileDownloadURLResponse",
        "ChatFileMetadata",
        "ChatLabels",
        "ChatMessagesResponse",
        "ChatModelProviderDescriptor",
        "ChatModelReasoningEffortConfig",
        "ChatPrompt",
        "ChatPromptsResponse",
        "ChatStreamActionRequired",
        "ChatStreamToolCall",
        "ChatUnsupportedProvider",
        "ChatsByWorkspace",
        "CreateChatModelRequest",
        "DynamicTool",
        "EditChatMessageResponse",
        "EditChatQueuedMessageRequest",
        "Organization",
        "OrganizationChatModel",
        "OrganizationChatModelsResponse",
        "ProposeChatTitleResponse",
        "SubmitToolResultsRequest",
        "ToolResult",
        "UpdateChatModelRequest",
        "UploadChatFileResponse",
        "User",
    ],
    "coder_chat.streaming": sorted(
        [
            "ApiGeneration",
            "adetect_api",
            "aload_chat",
            "detect_api",
            "load_chat",
            "AsyncChatStream",
            "AsyncChatWatch",
            "AsyncTurn",
            "ChatAccumulator",
            "ChatRequiresActionError",
            "ChatStream",
            "ChatWatch",
            *STREAM_ERRORS,
            "Tool",
            "ToolCall",
            "ToolResult",
            "Turn",
            "TurnError",
            "TurnResult",
            "TurnState",
            "TurnTimeoutError",
            "TurnToolCall",
            "aask",
            "ask",
            "astart_turn",
            "astream_chat",
            "awatch_chats",
            "decode_frame",
            "decode_watch_frame",
            "start_turn",
            "stream_chat",
            "submit_tool_results",
            "asubmit_tool_results",
            "tool",
            "watch_chats",
        ]
    ),
}

# Modules whose `__all__` is written by hand, kept sorted.
SORTED_ALL = ["coder_chat.client.errors", "coder_chat.streaming"]


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


@pytest.mark.parametrize("name", sorted(EXPECTED_ALL))
def test_all_is_exactly_the_contract(name: str) -> None:
    """Equality, not inclusion: a public name appears or disappears only on purpose."""
    exported = list(_module(name).__all__)
    assert len(exported) == len(set(exported)), f"{name}.__all__ has duplicates"
    assert set(exported) == set(EXPECTED_ALL[name])


@pytest.mark.parametrize("name", sorted(EXPECTED_ALL))
def test_every_name_in_all_exists_and_is_public(name: str) -> None:
    module = _module(name)
    assert not [n for n in module.__all__ if n.startswith("_")]
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == [], f"{name}.__all__ names what the module does not define: {missing}"


@pytest.mark.parametrize("name", SORTED_ALL)
def test_handwritten_all_is_sorted(name: str) -> None:
    exported = list(_module(name).__all__)
    assert exported == sorted(exported)


def test_errors_module_holds_every_exception_and_the_stream_errors_are_the_same_classes() -> None:
    e = coder_chat.client.errors
    problems = [
        f"{name}: not the same class in coder_chat.client.errors and coder_chat.streaming"
        for name in STREAM_ERRORS
        if getattr(e, name, None) is not getattr(coder_chat.streaming, name, object())
    ]
    for name in EXPECTED_ALL["coder_chat.client.errors"]:
        value = getattr(e, name, None)
        if value is None:
            problems.append(f"{name}: missing from coder_chat.client.errors")
        elif isinstance(value, type) and issubclass(value, BaseException) and not issubclass(value, e.CoderChatError):
            problems.append(f"{name}: outside the CoderChatError tree")
    frame_too_large = getattr(e, "StreamFrameTooLargeError", None)
    if frame_too_large is not None and not issubclass(frame_too_large, coder_chat.streaming.StreamError):
        problems.append("StreamFrameTooLargeError: not a StreamError")
    assert problems == []


def _public_members(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


# The public surface of each public class (methods, properties and class attributes; instance
# attributes set in __init__ are not listed by dir(cls)). A helper that should be private fails here.
EXPECTED_MEMBERS: dict[str, set[str]] = {
    # Also the instance attribute reconnects. Opening the first connection is stream_chat's
    # business, not the caller's: no public connect method.
    "ChatStream": {"chat_id", "close", "closed", "last_message_id"},
    "ChatAccumulator": {"apply", "from_chat", "last_message_id", "messages"},
    "TurnState": {"is_empty", "reasoning", "sources", "text", "tool_calls", "tool_results"},
    # The task objects: chat_id is an instance attribute.
    "Turn": {"close", "events", "text_stream", "wait"},
    "AsyncTurn": {"aclose", "events", "text_stream", "wait"},
    "AsyncChatStream": {"aclose", "chat_id", "closed", "last_message_id"},
    "ChatWatch": {"close", "closed"},
    "AsyncChatWatch": {"aclose", "closed"},
    "ToolCall": {"args", "args_text", "id", "name"},
    "ToolResult": {"id", "is_error", "name", "result", "result_text"},
}


@pytest.mark.parametrize("cls_name", sorted(EXPECTED_MEMBERS))
def test_streaming_classes_have_no_accidental_public_members(cls_name: str) -> None:
    cls = getattr(coder_chat.streaming, cls_name)
    assert _public_members(cls) == EXPECTED_MEMBERS[cls_name]


def test_chat_stream_connect_first_is_private() -> None:
    assert not hasattr(coder_chat.streaming.ChatStream, "connect_first")


CLIENT_MEMBERS = {
    "aclose",
    "api_generation",
    "base_url",
    "close",
    "cookies",
    "credential_headers",
    "follow_redirects",
    "from_env",
    "get_async_httpx_client",
    "get_httpx_client",
    "headers",
    "max_retries",
    "max_retry_after",
    "retry_backoff",
    "set_async_httpx_client",
    "set_httpx_client",
    "ssl_context",
    "timeout",
    "verify_ssl",
    "with_cookies",
    "with_headers",
    "with_timeout",
}


def test_clients_have_no_accidental_public_members() -> None:
    assert _public_members(coder_chat.client.Client) == CLIENT_MEMBERS
    assert _public_members(coder_chat.client.AuthenticatedClient) == CLIENT_MEMBERS | {
        "auth_header_name",
        "prefix",
        "token",
    }
    assert _public_members(coder_chat.client.types.Response) == {"content", "headers", "parsed", "status_code"}


def test_one_exceptions_module_defines_every_class_and_client_errors_exports_them_all() -> None:
    import inspect

    from coder_chat._runtime import exceptions

    errors_module = "coder_chat.client.errors"  # where each class says it lives (its public module)
    defined = {
        name
        for name, value in vars(exceptions).items()
        if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == errors_module
    }
    assert defined <= set(coder_chat.client.errors.__all__)
    for name in defined:
        assert getattr(coder_chat.client.errors, name) is getattr(exceptions, name)
        assert issubclass(getattr(exceptions, name), exceptions.CoderChatError)
        assert name in (exceptions.__doc__ or ""), f"{name} is missing from the tree in the module docstring"
    stream_errors = {name for name in defined if name.startswith("Stream")}
    assert stream_errors <= set(coder_chat.streaming.__all__)
    for name in stream_errors:
        assert getattr(coder_chat.streaming, name) is getattr(exceptions, name)


def test_the_new_places_in_the_error_tree() -> None:
    e = coder_chat.client.errors
    assert issubclass(e.FieldTypeError, e.CoderChatError) and issubclass(e.FieldTypeError, TypeError)
    too_large = e.StreamFrameTooLargeError(5_000_000, 4_194_304)
    assert isinstance(too_large, e.StreamError)
    assert (too_large.size, too_large.limit) == (5_000_000, 4_194_304)
    assert str(too_large) == "stream frame of 5000000 bytes exceeds max_frame_bytes=4194304"
    partial = object()
    timeout = e.TurnTimeoutError("the turn did not finish in 30 s", partial)
    assert isinstance(timeout, e.TurnError) and isinstance(timeout, e.APITimeoutError)
    assert (timeout.message, timeout.result) == ("the turn did not finish in 30 s", partial)
    assert e.TurnError("failed").result is None


def test_the_runtime_imports_neither_half_of_the_namespace() -> None:
    import subprocess
    import sys

    modules = ["endpoints", "exceptions", "http", "retries", "tls", "types"]
    code = "import sys; " + "; ".join(f"import coder_chat._runtime.{name}" for name in modules)
    code += "; print(sorted(m for m in sys.modules if m.startswith(('coder_chat.client', 'coder_chat.streaming'))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_importing_both_halves_defers_what_only_some_calls_need() -> None:
    """``import coder_chat.client, coder_chat.streaming`` stays close to ``import httpx`` (bench: import).

    httpx-retries (and the asyncio it imports) come with a client's first connection pool, websocket-client,
    websockets and msgspec with the first use of a stream piece that needs them; every public name still
    resolves (``coder_chat.client.client.RetryPolicy`` and ``coder_chat.streaming``'s names on first access).
    """
    import subprocess
    import sys

    deferred = ["asyncio", "httpx_retries", "msgspec", "websocket", "websockets"]
    code = (
        "import sys, coder_chat.client, coder_chat.streaming; "
        f"print(sorted(m for m in {deferred!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"

    from coder_chat._runtime import retries

    assert coder_chat.client.client.RetryPolicy is retries.RetryPolicy
    assert "RetryPolicy" in dir(coder_chat.client.client)
    assert set(coder_chat.streaming.__all__) <= set(dir(coder_chat.streaming))


def test_a_misspelt_name_from_a_lazy_package_is_a_type_error(tmp_path: Path) -> None:
    # The packages import names on first access (PEP 562 __getattr__); type checkers must still see
    # exactly the public names, not "any attribute, typed object".
    (tmp_path / "typo.py").write_text(
        "from coder_chat.streaming import stream_chta\n"
        "from coder_chat.client.models import Chatt\n"
        "from coder_chat.client.client import RetryPolicyy\n"
        "from coder_chat.streaming import stream_chat\n"
        "from coder_chat.client.models import Chat\n"
        "from coder_chat.client.client import RetryPolicy\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [line.split(": error: ")[1].split(";")[0] for line in errors] == [
        'Module "coder_chat.streaming" has no attribute "stream_chta"',
        'Module "coder_chat.client.models" has no attribute "Chatt"',
        'Module "coder_chat.client.client" has no attribute "RetryPolicyy"',
    ], result.stdout
