"""Public classes say where users import them from, pickle through that module, and UNSET reads as UNSET.

Like httpx's classes, each public class carries its public module in ``__module__`` (not the private
``coder_chat._runtime`` or ``coder_chat.streaming._…`` module that defines it): ``repr()`` of the class,
tracebacks, ``help()`` and pickles name the import path users write.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import pickle

import pytest

import coder_chat.client
import coder_chat.streaming
from coder_chat.client import errors, types
from coder_chat.client.types import UNSET, Unset


def test_the_clients_live_in_coder_chat_client() -> None:
    for client_class in (coder_chat.client.AuthenticatedClient, coder_chat.client.Client):
        assert client_class.__module__ == "coder_chat.client"
    assert repr(coder_chat.client.AuthenticatedClient) == "<class 'coder_chat.client.AuthenticatedClient'>"


def test_every_exception_lives_in_coder_chat_client_errors() -> None:
    classes = [value for name in errors.__all__ if inspect.isclass(value := getattr(errors, name))]
    names = {error_class.__name__ for error_class in classes}
    assert {"CoderChatError", "APIError", "FieldTypeError", "StreamError", "TurnError", "ValidationDetail"} <= names
    for error_class in classes:
        assert error_class.__module__ == "coder_chat.client.errors", error_class


def test_the_shared_types_live_in_coder_chat_client_types() -> None:
    assert Unset.__module__ == types.Response.__module__ == "coder_chat.client.types"


def test_every_streaming_class_lives_in_coder_chat_streaming_or_the_client_module_it_comes_from() -> None:
    for name in coder_chat.streaming.__all__:
        value = getattr(coder_chat.streaming, name)
        if not inspect.isclass(value):
            continue
        if issubclass(value, BaseException):
            assert value.__module__ == "coder_chat.client.errors", name
        else:  # its own, or a public module of coder_chat.client it is re-exported from
            assert value.__module__ == "coder_chat.streaming" or (
                value.__module__.startswith("coder_chat.client") and "._" not in value.__module__
            ), (name, value.__module__)
        # the module it names hands out the very same class (what pickle and documentation tools rely on)
        assert getattr(importlib.import_module(value.__module__), value.__qualname__) is value


def test_a_model_keeps_its_own_module() -> None:
    assert coder_chat.client.models.Chat.__module__ == "coder_chat.client.models.chat"


ERRORS = [
    errors.CoderChatError("base"),
    errors.APIError(418, "teapot", detail="short and stout", content=b"{}", headers={"x": "y"}),
    errors.NotFoundError(404, "Chat not found."),
    errors.RateLimitError(429, "slow down", headers={"retry-after": "3"}),
    errors.ServerError(503, "unavailable"),
    errors.APIConnectionError("refused"),
    errors.APITimeoutError("timed out"),
    errors.ResponseValidationError("invalid 200 response", field="title", status_code=200, content=b"{}"),
    errors.FieldTypeError("text", "str", 5),
    errors.MissingEnvironmentVariableError("CODER_URL"),
    errors.StreamDecodeError("not JSON", "{oops"),
    errors.StreamServerError("boom", "details"),
    errors.StreamFrameTooLargeError(5_000_000, 4_194_304),
    errors.StreamDisconnectedError("dropped"),
    errors.StreamTimeoutError("silent"),
    errors.TurnError("failed", result=None),
    errors.TurnTimeoutError("too slow", result=[1, 2]),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: type(error).__name__)
def test_every_exception_survives_pickle_and_copy(error: errors.CoderChatError) -> None:
    for twin in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error), copy.copy(error)):
        assert type(twin) is type(error)
        assert str(twin) == str(error)
        assert twin.args == error.args
        assert vars(twin) == vars(error)


def test_a_pickled_error_names_the_public_module() -> None:
    assert b"coder_chat.client.errors" in pickle.dumps(errors.NotFoundError(404, "gone"), protocol=0)


def test_unset_reads_as_unset_and_stays_the_one_unset() -> None:
    assert repr(UNSET) == str(UNSET) == "UNSET"
    assert repr([UNSET]) == "[UNSET]"
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET
    assert copy.copy(UNSET) is UNSET and copy.deepcopy({"a": UNSET})["a"] is UNSET
    assert not UNSET
