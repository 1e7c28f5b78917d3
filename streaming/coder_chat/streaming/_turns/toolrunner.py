"""The client-side tool runner's core, without I/O: which pending calls to run, and their results.

A chat created with ``unsafe_dynamic_tools`` stops in ``requires_action``; its ``action_required`` event
lists the pending calls (``ChatStreamToolCall``: ``tool_call_id``, ``tool_name``, ``args`` as JSON text)
and the client answers all of them in one ``POST /chats/{chat}/tool-results`` (API-v2.md §3.10, §4.4).
A ``ToolRunner`` lives as long as a turn::

    runner = ToolRunner(tools)                     # ValueError: duplicate names, more than 250 tools
    declared = runner.dynamic_tools()              # CreateChatRequest.unsafe_dynamic_tools
    batch = runner.batch(event.action_required.tool_calls)
    if batch is not None:                          # None: already answered (a replayed event)
        for invocation in batch.to_run:            # call invocation.tool.fn with invocation.arguments
            batch.returned(invocation, value)      # or batch.raised(invocation, exc)
        results = batch.results()                  # one ToolResult per call, in the event's order
        ...submit them in one request...
        runner.submitted(results)

Each ``tool_call_id`` runs at most once per runner: reconnects replay ``action_required`` (the chat
still waits), so an event whose calls were all submitted gives ``None``, and a call that already ran
(its submission failed or never happened) is answered again from its recorded result, not run again.
Outcomes become ``ToolResult`` models: the return value as JSON ``output``; ``is_error: true`` with a
message for an exception (``"<ExceptionType>: <message>"``), arguments that do not fit
(``"invalid parameters: ..."``), a tool this runner lacks, or a return value that is not JSON.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coder_chat._runtime.generation import ApiGeneration
from coder_chat.client.models.chat_stream_tool_call import ChatStreamToolCall
from coder_chat.client.models.dynamic_tool import DynamicTool
from coder_chat.client.models.tool_result import ToolResult

from .tools import InvalidArgumentsError, Tool, json_output

__all__ = ["MAX_SUBMISSION_BYTES", "MAX_TOOLS", "V2_ONLY", "Invocation", "ToolBatch", "ToolRunner", "require_v2"]

MAX_TOOLS = 250
"""Coder's limit on a chat's dynamic tools (API-v2.md §3.1)."""

MAX_SUBMISSION_BYTES = 256 * 1024
"""Coder's limit on a tool-results request's body: a larger one gets 413 (docs/protocol.md, "Client-side tools")."""

V2_ONLY = (
    "client-side tools need Coder's v2 chat API (/api/v2/chats, Coder 2.37 or later); "
    "this deployment serves only the experimental chat API"
)


def require_v2(generation: ApiGeneration) -> None:
    """``ValueError`` unless ``generation`` is v2: call it before anything about tools is sent."""
    if generation is not ApiGeneration.V2:
        raise ValueError(V2_ONLY)


@dataclass(frozen=True, slots=True)
class Invocation:
    """A pending call to run: ``tool.fn(*arguments.args, **arguments.kwargs)``."""

    call: ChatStreamToolCall
    tool: Tool
    arguments: inspect.BoundArguments


class ToolRunner:
    """The tools of a turn, and every call it has answered (by ``tool_call_id``)."""

    def __init__(self, tools: Iterable[Tool]) -> None:
        """``ValueError`` for two tools of one name or more than 250 tools (Coder refuses both),
        ``TypeError`` for an item that is not a ``Tool``."""
        self.tools: dict[str, Tool] = {}
        for item in tools:
            if not isinstance(item, Tool):
                raise TypeError(f"tools must be Tool objects (made with @tool or Tool(...)), not {type(item).__name__}")
            if item.name in self.tools:
                raise ValueError(f"two tools are named {item.name!r}; a chat's tool names must be unique")
            self.tools[item.name] = item
        if len(self.tools) > MAX_TOOLS:
            raise ValueError(f"{len(self.tools)} tools; Coder accepts at most {MAX_TOOLS} per chat")
        self._results: dict[str, ToolResult] = {}  # every call that ran or was refused, by id
        self._submitted: set[str] = set()

    def dynamic_tools(self) -> list[DynamicTool]:
        """The declarations for ``CreateChatRequest.unsafe_dynamic_tools``."""
        return [t.to_dynamic_tool() for t in self.tools.values()]

    def batch(self, calls: Sequence[ChatStreamToolCall]) -> ToolBatch | None:
        """The answer to one ``action_required``'s calls; ``None`` when each was submitted already."""
        first: dict[str, ChatStreamToolCall] = {}
        for call in calls:
            first.setdefault(call.tool_call_id, call)
        unique = list(first.values())
        if not unique or all(c.tool_call_id in self._submitted for c in unique):
            return None
        batch = ToolBatch(self, tuple(unique))
        for call in unique:
            if call.tool_call_id not in self._results:
                batch._prepare(call)
        return batch

    def submitted(self, results: Iterable[ToolResult]) -> None:
        """Record that the server accepted these results: a replay of their calls is then ignored."""
        self._submitted.update(r.tool_call_id for r in results)


class ToolBatch:
    """One ``action_required``: the calls to run now (``to_run``), then ``results()`` to submit."""

    def __init__(self, runner: ToolRunner, calls: tuple[ChatStreamToolCall, ...]) -> None:
        self._runner = runner
        self.calls = calls
        """Each pending call once, in the event's order; ``results()`` answers them in this order."""
        self.to_run: list[Invocation] = []
        """The calls whose tool must be called, in order; the others are answered already."""

    def _prepare(self, call: ChatStreamToolCall) -> None:
        tool = self._runner.tools.get(call.tool_name)
        if tool is None:
            known = ", ".join(repr(n) for n in self._runner.tools) or "none"
            message = f"unknown tool {call.tool_name!r}: this client has no implementation of it (its tools: {known})"
            self._record(call, message, is_error=True)
            return
        try:
            arguments = tool._bind(call.args)
        except InvalidArgumentsError as exc:
            self._record(call, str(exc), is_error=True)
            return
        self.to_run.append(Invocation(call, tool, arguments))

    def returned(self, invocation: Invocation, value: object) -> None:
        """``invocation``'s tool returned ``value``: the result's ``output`` (an error if it is not JSON)."""
        try:
            output = json_output(value)
        except (TypeError, ValueError) as exc:
            message = f"tool {invocation.tool.name!r} returned a value that is not JSON-serialisable: {exc}"
            self._record(invocation.call, message, is_error=True)
            return
        self._record(invocation.call, output, is_error=False)

    def raised(self, invocation: Invocation, error: BaseException) -> None:
        """``invocation``'s tool raised ``error``: an error result carrying its type and message."""
        text = str(error)
        message = f"{type(error).__name__}: {text}" if text else type(error).__name__
        self._record(invocation.call, message, is_error=True)

    def unfinished(self) -> list[Invocation]:
        """The invocations with no outcome yet."""
        return [i for i in self.to_run if i.call.tool_call_id not in self._runner._results]

    def results(self) -> list[ToolResult]:
        """One ``ToolResult`` per call, in order. ``RuntimeError`` while an invocation has no outcome."""
        missing = self.unfinished()
        if missing:
            raise RuntimeError(f"tool calls without an outcome: {[i.call.tool_call_id for i in missing]}")
        return self._fitted([self._runner._results[c.tool_call_id] for c in self.calls])

    def _fitted(self, results: list[ToolResult]) -> list[ToolResult]:
        """``results``, the largest outputs replaced by an error result until their request fits in
        ``MAX_SUBMISSION_BYTES``: the tools ran, so the agent is told what was too large (else the chat
        would stay in ``requires_action``, its calls answered by a submission the server refuses)."""
        sizes = [_json_size(result) for result in results]
        total = sum(sizes) + len(results) + len('{"results": []}')  # the items, their commas, the body
        for index in sorted(range(len(results)), key=sizes.__getitem__, reverse=True):
            if total <= MAX_SUBMISSION_BYTES:
                break
            call_id = results[index].tool_call_id
            message = (
                f"the tool's output is {sizes[index]:,} bytes of JSON: more than Coder takes in one submission "
                f"of tool results ({MAX_SUBMISSION_BYTES:,} bytes for all the calls of a step)"
            )
            replaced = self._runner._results[call_id] = ToolResult(tool_call_id=call_id, output=message, is_error=True)
            results[index] = replaced
            total += _json_size(replaced) - sizes[index]
        return results

    def _record(self, call: ChatStreamToolCall, output: object, *, is_error: bool) -> None:
        self._runner._results[call.tool_call_id] = ToolResult(
            tool_call_id=call.tool_call_id, output=output, is_error=is_error
        )


def _json_size(result: ToolResult) -> int:
    """An upper bound of ``result``'s size in a request body: ``json.dumps``' defaults (spaces after the
    separators, non-ASCII escaped) write at least as many bytes as any JSON encoder."""
    return len(json.dumps(result.to_dict()))
