"""Running a batch of client-side tool calls, and submitting results: the I/O around ``toolrunner.py``.

``run_tool_calls(runner, calls, deadline=...)`` / ``await arun_tool_calls(...)`` run one
``action_required``'s calls and give the ``ToolResult`` list to submit in ONE request (``None`` when the
event was a replay of calls already submitted). The calls of a batch run one after the other, in the
event's order, in both flavours (a tool that asks the person at the terminal never races another):

- sync code: a sync tool is called in the caller's thread; an async tool runs in an event loop of its
  own (``asyncio.run``, one per call: keep no loop-bound object between calls, or use the async API);
  when the calling thread already runs an event loop, that private loop runs in a worker thread.
- async code: an async tool is awaited; a sync tool runs in a worker thread (``asyncio.to_thread``), so
  the event loop keeps serving the stream's pings meanwhile.

``deadline`` (``time.monotonic()`` seconds; the turn's, since its timeout covers the tools) is checked
before each call starts and after each call ends. An async tool still running at the deadline is
cancelled; a sync tool cannot be interrupted: in sync code the batch waits for it, in async code its
thread is left to finish on its own and its outcome is dropped. Once the deadline has passed the batch
raises ``TurnTimeoutError`` and nothing is submitted: the chat stays in ``requires_action`` (answer it
with ``submit_tool_results``, or interrupt it). The calls that finished keep their results in the runner,
so a later batch for the same pending calls answers them without running them again.

A turn's runner submits with ``post_tool_results`` / ``apost_tool_results``: no probe (the turn knows
its generation), and the server's 409 (the chat no longer waits for tool results) is taken as "answered
already": a submission whose answer was lost and that was sent again, or a chat interrupted meanwhile;
either way the turn follows the chat on.

``submit_tool_results(client, chat_id, results)`` / ``await asubmit_tool_results(...)`` are public, for
callers who answer by hand; on an experimental-generation server they raise ``ValueError`` before any
request but the generation probe (``detect_api``).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import time
from collections.abc import Awaitable, Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from uuid import UUID

from coder_chat._runtime.exceptions import TurnTimeoutError
from coder_chat._runtime.generation import adetect_api, detect_api
from coder_chat.client.api.v2 import submit_chat_tool_results
from coder_chat.client.client import AuthenticatedClient, Client
from coder_chat.client.errors import ConflictError
from coder_chat.client.models.chat_stream_tool_call import ChatStreamToolCall
from coder_chat.client.models.submit_tool_results_request import SubmitToolResultsRequest
from coder_chat.client.models.tool_result import ToolResult

from .toolrunner import Invocation, ToolBatch, ToolRunner, require_v2

__all__ = [
    "apost_tool_results",
    "arun_tool_calls",
    "asubmit_tool_results",
    "post_tool_results",
    "run_tool_calls",
    "submit_tool_results",
]

T = TypeVar("T")


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _expired(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def _timeout(batch: ToolBatch, when: str) -> TurnTimeoutError:
    left = [i.call.tool_name for i in batch.unfinished()]
    return TurnTimeoutError(f"the turn's timeout passed {when}; calls left unanswered: {left or 'none'}")


class _Outcome:
    """What one invocation gave: set ``value`` inside ``with _settled(...)``; an exception is caught."""

    value: object = None


@contextlib.contextmanager
def _settled(batch: ToolBatch, invocation: Invocation, deadline: float | None) -> Iterator[_Outcome]:
    """Run the block for ``invocation`` and record its outcome in ``batch``: the value it set, or the
    exception it raised (the agent is told, the turn goes on). ``TurnTimeoutError`` when the deadline
    passed before it started, or cut it short."""
    if _expired(deadline):
        raise _timeout(batch, f"before tool {invocation.tool.name!r} started")
    outcome = _Outcome()
    try:
        yield outcome
    except TimeoutError as exc:
        if _expired(deadline):  # ours (the tool's own TimeoutError, earlier, is an error result)
            raise _timeout(batch, f"while tool {invocation.tool.name!r} ran") from exc
        batch.raised(invocation, exc)
    except Exception as exc:
        batch.raised(invocation, exc)
    else:
        batch.returned(invocation, outcome.value)


def _results(batch: ToolBatch, deadline: float | None) -> list[ToolResult]:
    if _expired(deadline):  # a sync tool that ran past it
        raise _timeout(batch, "after the tools ran")
    return batch.results()


def run_tool_calls(
    runner: ToolRunner, calls: Sequence[ChatStreamToolCall], *, deadline: float | None = None
) -> list[ToolResult] | None:
    """Run one ``action_required``'s calls in this thread; the results to submit, or ``None`` (a replay).

    ``TurnTimeoutError`` once ``deadline`` has passed (module docstring)."""
    batch = runner.batch(calls)
    if batch is None:
        return None
    for invocation in batch.to_run:
        with _settled(batch, invocation, deadline) as outcome:
            value = invocation.tool.fn(*invocation.arguments.args, **invocation.arguments.kwargs)
            outcome.value = _run_awaitable(value, _remaining(deadline)) if inspect.isawaitable(value) else value
    return _results(batch, deadline)


async def arun_tool_calls(
    runner: ToolRunner, calls: Sequence[ChatStreamToolCall], *, deadline: float | None = None
) -> list[ToolResult] | None:
    """``run_tool_calls`` for async code: async tools awaited, sync tools in a worker thread."""
    batch = runner.batch(calls)
    if batch is None:
        return None
    for invocation in batch.to_run:
        with _settled(batch, invocation, deadline) as outcome:
            async with asyncio.timeout(_remaining(deadline)):
                outcome.value = await _call_async(invocation)
    return _results(batch, deadline)


async def _call_async(invocation: Invocation) -> object:
    fn, arguments = invocation.tool.fn, invocation.arguments
    if invocation.tool.is_async:
        value = fn(*arguments.args, **arguments.kwargs)
    else:
        value = await asyncio.to_thread(fn, *arguments.args, **arguments.kwargs)
    return await value if inspect.isawaitable(value) else value


def _run_awaitable(awaitable: Awaitable[T], timeout: float | None) -> T:
    """An async tool's result in sync code, from a private event loop (in a worker thread when this
    thread already runs one), cancelled after ``timeout`` seconds."""

    async def bounded() -> T:
        async with asyncio.timeout(timeout):
            return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop in this thread
        return asyncio.run(bounded())
    with ThreadPoolExecutor(1, thread_name_prefix="coder-chat-tool") as pool:
        main: Coroutine[Any, Any, T] = bounded()
        return pool.submit(asyncio.run, main).result()


# --- answering by hand ----------------------------------------------------------------------------------


def _request(results: Sequence[ToolResult]) -> SubmitToolResultsRequest:
    """The request body; ``TypeError`` for an item that is not a ``ToolResult`` model, ``ValueError`` for
    an ``output`` that is not a JSON value (checked here: httpx would raise a bare error when sending)."""
    if isinstance(results, str | bytes) or not isinstance(results, Sequence):
        raise TypeError(f"results must be a sequence of ToolResult models, not {type(results).__name__}")
    for index, item in enumerate(results):
        if not isinstance(item, ToolResult):
            raise TypeError(
                f"results[{index}] is a {type(item).__name__}, not a ToolResult (coder_chat.client.models.ToolResult)"
            )
        try:
            json.dumps(item.output, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"results[{index}] (tool_call_id {item.tool_call_id!r}): output is not a JSON value: {exc}"
            ) from None
    return SubmitToolResultsRequest(results=list(results))


def submit_tool_results(
    client: AuthenticatedClient | Client, chat_id: UUID | str, results: Sequence[ToolResult]
) -> None:
    """Answer a ``requires_action`` chat's pending tool calls, all in one request (``POST tool-results``).

    ``results``: one ``coder_chat.client.models.ToolResult`` per pending call (``tool_call_id``,
    ``output`` any JSON value, ``is_error``). ``ValueError`` on a server without the v2 chat API, before
    anything is sent; the server's refusals raise ``APIError`` subclasses (400 missing / unexpected /
    duplicate result, 409 the chat is not waiting for tool results).
    """
    body = _request(results)
    require_v2(detect_api(client))
    submit_chat_tool_results.sync(chat_id, client=client, body=body)


async def asubmit_tool_results(
    client: AuthenticatedClient | Client, chat_id: UUID | str, results: Sequence[ToolResult]
) -> None:
    """``submit_tool_results`` for async code."""
    body = _request(results)
    require_v2(await adetect_api(client))
    await submit_chat_tool_results.asyncio(chat_id, client=client, body=body)


def post_tool_results(client: AuthenticatedClient | Client, chat_id: UUID | str, results: Sequence[ToolResult]) -> bool:
    """A turn's submission (v2 known): ``False`` when the server answered 409, the chat no longer waiting."""
    try:
        submit_chat_tool_results.sync(chat_id, client=client, body=_request(results))
    except ConflictError:
        return False
    return True


async def apost_tool_results(
    client: AuthenticatedClient | Client, chat_id: UUID | str, results: Sequence[ToolResult]
) -> bool:
    """``post_tool_results`` for async code."""
    try:
        await submit_chat_tool_results.asyncio(chat_id, client=client, body=_request(results))
    except ConflictError:
        return False
    return True
