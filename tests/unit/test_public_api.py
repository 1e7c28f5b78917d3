"""The import paths and names of the public contract (README, docs/design.md); nothing private in `__all__`."""

from __future__ import annotations

import importlib

import pytest

import coder_chat.client
import coder_chat.client.errors
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


def test_client_package_exports() -> None:
    assert set(coder_chat.client.__all__) == {"AuthenticatedClient", "Client"}


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


@pytest.mark.parametrize("module", [coder_chat.client.errors, coder_chat.streaming])
def test_all_is_explicit_sorted_and_resolvable(module: object) -> None:
    names = list(module.__all__)  # type: ignore[attr-defined]
    assert names == sorted(names)
    assert not [name for name in names if name.startswith("_")]
    for name in names:
        assert hasattr(module, name), name


def test_streaming_contract_names() -> None:
    expected = {
        "ChatAccumulator",
        "ChatStream",
        "StreamDecodeError",
        "StreamDisconnectedError",
        "StreamError",
        "StreamServerError",
        "decode_frame",
        "stream_chat",
    }
    assert expected <= set(coder_chat.streaming.__all__)


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


def test_one_exceptions_module_defines_every_class_and_client_errors_exports_them_all() -> None:
    import inspect

    from coder_chat._runtime import exceptions

    defined = {
        name
        for name, value in vars(exceptions).items()
        if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == exceptions.__name__
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
