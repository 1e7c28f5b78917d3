"""Opening a turn: ``ask`` / ``aask`` and ``start_turn`` / ``astart_turn``, the task-level API.

``ask`` / ``aask`` do it all in one call; ``start_turn`` / ``astart_turn`` return a ``Turn`` /
``AsyncTurn`` (``turn.py``) as soon as the prompt is sent and the chat's stream is open. Both generations
alike: the routes and REST operations are the deployment's (``_routes``, one probe per client). A new
chat is created with the prompt, in the resolved organization (``_organizations``: v2 requires one),
then its stream opened: the server's snapshot replays the turn so far. For an existing chat the stream
is opened first, after its last persisted message (``chatreads.py``), and the prompt sent after, so that
nothing between the two is lost. The stream options are explicit typed keywords, their defaults
``StreamSettings``'s (``DEFAULTS``).

``tools=`` (client-side tools, v2 only): the ``ToolRunner`` is built before anything is sent (bad tools
raise there), and an experimental-generation deployment gets ``ValueError`` right after the generation
probe; a new chat declares the tools (``unsafe_dynamic_tools``), an existing one is answered with them.
A chat waiting for tool results (``requires_action``) would queue the prompt behind them: without tools
``_check_prompt_can_run`` raises before sending; with them the tracker has the runner answer them first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Generator, Sequence
from types import TracebackType
from typing import Any
from uuid import UUID

from coder_chat._runtime.exceptions import ChatRequiresActionError, CoderChatError
from coder_chat._runtime.generation import ApiGeneration
from coder_chat.client import Client
from coder_chat.client.models import (
    ChatInputPart,
    ChatMessage,
    ChatQueuedMessage,
    ChatStatus,
    CreateChatMessageRequest,
    CreateChatMessageResponse,
    CreateChatRequest,
)
from coder_chat.client.types import UNSET

from .._connection.async_transport import open_async_chat_stream
from .._connection.handshake import chat_uuid
from .._connection.loopcore import DEFAULTS, AsyncSleep, Sleep, StreamSettings
from .._connection.transport import open_chat_stream
from .._organizations import aresolve_organization, resolve_organization
from .._routes import Routes, aroutes_for, routes_for
from .async_turn import AsyncTurn
from .chatreads import BeforePrompt, aread_before_prompt, read_before_prompt
from .deadline import _deadline, _remaining, _step, _timeout_error
from .toolrunner import ToolRunner, require_v2
from .tools import Tool
from .turn import Turn
from .turncore import TurnResult, TurnTracker, input_parts

__all__ = ["aask", "ask", "astart_turn", "start_turn"]


def _new_chat(parts: list[ChatInputPart], organization: UUID | None, runner: ToolRunner | None) -> CreateChatRequest:
    """The body that creates the chat, declaring the client-side tools when there are any."""
    return CreateChatRequest(
        content=parts,
        organization_id=UNSET if organization is None else organization,
        unsafe_dynamic_tools=UNSET if runner is None or not runner.tools else runner.dynamic_tools(),
    )


def _runner(tools: Sequence[Tool] | None) -> ToolRunner | None:
    """The turn's tool runner (``TypeError`` / ``ValueError`` for bad tools, before anything is sent)."""
    if tools is None:
        return None
    if isinstance(tools, Tool):
        raise TypeError("tools must be a sequence of Tool objects, not a single Tool: write tools=[...]")
    return ToolRunner(tools)


def _check_prompt_can_run(chat_id: UUID, before: BeforePrompt, runner: ToolRunner | None) -> None:
    """``ChatRequiresActionError`` for a chat that waits for client-side tool results when the turn has no
    tools to answer them: Coder would queue the prompt behind calls nobody answers, and the turn would wait
    for good. (With tools the turn answers them first: ``_tracker_for_reply``.)"""
    if before.status != ChatStatus.REQUIRES_ACTION or runner is not None:
        return
    calls = before.pending_tool_calls
    count = f"{len(calls)} client-side tool call{'' if len(calls) == 1 else 's'}" if calls else "client-side tool calls"
    listed = f" ({', '.join(f'{c.name} id {c.id}' for c in calls)})" if calls else ""
    them = "it" if len(calls) == 1 else "them"
    raise ChatRequiresActionError(
        f"chat {chat_id} is in requires_action: it waits for the results of {count}{listed}, and a prompt "
        f"sent now would be queued behind {them}; the prompt was not sent. Answer {them} with "
        f"submit_tool_results, or pass tools= to ask/start_turn to run {them} in this turn",
        chat_id=chat_id,
        pending_tool_calls=calls,
    )


def _tracker_for_reply(
    chat_id: UUID, reply: CreateChatMessageResponse, known_id: int | None, routes: Routes, runner: ToolRunner | None
) -> TurnTracker:
    if reply.queued and isinstance(reply.queued_message, ChatQueuedMessage):
        queued = reply.queued_message
        # v2 always sends a promoted prompt's message before the queue_update that empties its slot.
        messages_first = routes.generation is ApiGeneration.V2
        # With tools, the calls the chat waits for before the prompt runs are the turn's to answer.
        return TurnTracker.for_queued(
            chat_id,
            queued.id,
            queued.content,
            known_id=known_id,
            messages_first=messages_first,
            answers_earlier_calls=runner is not None,
        )
    if isinstance(reply.message, ChatMessage):
        return TurnTracker.for_message(chat_id, reply.message.id)
    raise CoderChatError("the server answered the prompt with neither a message nor a queued message")


class _Opening:
    """What opening a turn is doing, for the ``TurnTimeoutError`` of a deadline that passes meanwhile."""

    __slots__ = ("doing",)

    def __init__(self) -> None:
        self.doing = "opening the turn"


def _connect_timeout(client: Client, deadline: float | None) -> float | None:
    """The first connection's connect timeout: the client's, cut to what is left of the deadline."""
    left, own = _remaining(deadline), client.timeout.connect
    return own if left is None else left if own is None else min(own, left)


def start_turn(
    client: Client,
    prompt: str | Sequence[ChatInputPart],
    *,
    chat_id: UUID | str | None = None,
    organization_id: UUID | str | None = None,
    tools: Sequence[Tool] | None = None,
    reconnect: bool = DEFAULTS.reconnect,
    max_reconnect_attempts: int = DEFAULTS.max_reconnect_attempts,
    backoff_initial: float = DEFAULTS.backoff_initial,
    backoff_max: float = DEFAULTS.backoff_max,
    idle_timeout: float = DEFAULTS.idle_timeout,
    max_frame_bytes: int = DEFAULTS.max_frame_bytes,
    sleep: Callable[[float], object] | None = None,
    random: Callable[[], float] | None = None,
) -> Turn:
    """Send ``prompt`` (a new chat without ``chat_id``) and return the ``Turn`` once the stream is open.

    ``organization_id``: a new chat's organization (else ``CODER_ORGANIZATION``, else the caller's only or
    default organization). ``tools``: client-side tools (``@tool`` / ``Tool``) the agent may call: a new
    chat declares them, and when the chat requires action the turn runs the calls and submits their
    results in one request, then follows the chat on (``ValueError`` on a server without the v2 chat
    API, before anything is sent). The other keyword arguments are ``stream_chat``'s (its ``after_id``
    is the turn's choice).

    A ``chat_id`` whose chat waits for client-side tool results (status ``requires_action``, calls of an
    earlier turn) would queue the prompt behind them: without ``tools`` this raises
    ``ChatRequiresActionError`` (a ``TurnError``; its ``pending_tool_calls`` are the calls) before the
    prompt is sent: answer them with ``submit_tool_results``, or pass ``tools``. With ``tools`` the turn
    runs and answers those calls first, then follows the prompt's own turn.
    """
    settings = StreamSettings(
        reconnect=reconnect,
        max_reconnect_attempts=max_reconnect_attempts,
        backoff_initial=backoff_initial,
        backoff_max=backoff_max,
        idle_timeout=idle_timeout,
        max_frame_bytes=max_frame_bytes,
        sleep=sleep,
        random=random,
    )
    runner = _runner(tools)
    return _start_turn(client, prompt, chat_id, organization_id, runner, settings, deadline=None, timeout=None)


def _start_turn(
    client: Client,
    prompt: str | Sequence[ChatInputPart],
    chat_id: UUID | str | None,
    organization_id: UUID | str | None,
    runner: ToolRunner | None,
    settings: StreamSettings[Sleep],
    *,
    deadline: float | None,
    timeout: float | None,
) -> Turn:
    parts = input_parts(prompt)
    chat_uuid_ = None if chat_id is None else chat_uuid(chat_id)
    with _step(client, "finding the chat API", deadline, timeout):
        routes = routes_for(client)
    if runner is not None:
        require_v2(routes.generation)
    if chat_uuid_ is None:
        with _step(client, "finding the organization", deadline, timeout):
            organization = resolve_organization(client, organization_id)
        with _step(client, "creating the chat", deadline, timeout):
            chat = routes.create_chat(client=client, body=_new_chat(parts, organization, runner))
        with _step(client, "connecting to the chat stream", deadline, timeout):
            stream = open_chat_stream(
                client, chat.id, None, settings, connect_timeout=_connect_timeout(client, deadline), routes=routes
            )
        return Turn(client, routes, TurnTracker.for_new_chat(chat.id), stream, runner)
    with _step(client, "reading the chat", deadline, timeout):
        before = read_before_prompt(client, routes, chat_uuid_)
    _check_prompt_can_run(chat_uuid_, before, runner)
    after_id = before.last_id
    with _step(client, "connecting to the chat stream", deadline, timeout):
        stream = open_chat_stream(
            client, chat_uuid_, after_id, settings, connect_timeout=_connect_timeout(client, deadline), routes=routes
        )
    try:
        with _step(client, "sending the prompt", deadline, timeout):
            body = CreateChatMessageRequest(content=parts)
            reply = routes.create_chat_message(chat_uuid_, client=client, body=body)
        tracker = _tracker_for_reply(chat_uuid_, reply, after_id, routes, runner)
    except BaseException:
        stream.close()
        raise
    return Turn(client, routes, tracker, stream, runner)


def ask(
    client: Client,
    prompt: str | Sequence[ChatInputPart],
    *,
    chat_id: UUID | str | None = None,
    organization_id: UUID | str | None = None,
    tools: Sequence[Tool] | None = None,
    timeout: float | None = None,
    reconnect: bool = DEFAULTS.reconnect,
    max_reconnect_attempts: int = DEFAULTS.max_reconnect_attempts,
    backoff_initial: float = DEFAULTS.backoff_initial,
    backoff_max: float = DEFAULTS.backoff_max,
    idle_timeout: float = DEFAULTS.idle_timeout,
    max_frame_bytes: int = DEFAULTS.max_frame_bytes,
    sleep: Callable[[float], object] | None = None,
    random: Callable[[], float] | None = None,
) -> TurnResult:
    """Send ``prompt`` and return the ``TurnResult`` once the agent has finished the turn that answers it.

    Without ``chat_id`` a chat is created with the prompt, in ``organization_id``; ``tools``: see
    ``start_turn``, which also says what happens to a chat that waits for client-side tool results
    (``ChatRequiresActionError`` without ``tools``, before the prompt is sent). ``TurnError`` when the turn fails;
    ``TurnTimeoutError`` after ``timeout`` seconds, which cover sending, connecting, running the tools
    and waiting (the turn goes on server-side). The other keyword arguments are ``stream_chat``'s.
    """
    settings = StreamSettings(
        reconnect=reconnect,
        max_reconnect_attempts=max_reconnect_attempts,
        backoff_initial=backoff_initial,
        backoff_max=backoff_max,
        idle_timeout=idle_timeout,
        max_frame_bytes=max_frame_bytes,
        sleep=sleep,
        random=random,
    )
    runner = _runner(tools)
    deadline = _deadline(timeout)
    opened = _start_turn(client, prompt, chat_id, organization_id, runner, settings, deadline=deadline, timeout=timeout)
    with opened as turn:
        return turn._wait(deadline, timeout)


class _AsyncTurnOpener:
    """What ``astart_turn`` returns: ``await`` it for the ``AsyncTurn``, or ``async with`` it (the turn is
    closed on leaving), as a stream of ``astream_chat`` is used. Nothing is sent before either."""

    __slots__ = ("_open", "_turn")

    def __init__(self, open_turn: Callable[[], Coroutine[Any, Any, AsyncTurn]]) -> None:
        self._open = open_turn
        self._turn: AsyncTurn | None = None

    def __await__(self) -> Generator[Any, None, AsyncTurn]:
        return self._open().__await__()

    async def __aenter__(self) -> AsyncTurn:
        self._turn = await self._open()
        return self._turn

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._turn is not None:
            await self._turn.aclose()


def astart_turn(
    client: Client,
    prompt: str | Sequence[ChatInputPart],
    *,
    chat_id: UUID | str | None = None,
    organization_id: UUID | str | None = None,
    tools: Sequence[Tool] | None = None,
    reconnect: bool = DEFAULTS.reconnect,
    max_reconnect_attempts: int = DEFAULTS.max_reconnect_attempts,
    backoff_initial: float = DEFAULTS.backoff_initial,
    backoff_max: float = DEFAULTS.backoff_max,
    idle_timeout: float = DEFAULTS.idle_timeout,
    max_frame_bytes: int = DEFAULTS.max_frame_bytes,
    sleep: Callable[[float], Awaitable[object]] | None = None,
    random: Callable[[], float] | None = None,
) -> _AsyncTurnOpener:
    """``start_turn`` on the event loop: ``async with astart_turn(...) as turn:`` or
    ``turn = await astart_turn(...)``. The keyword arguments are ``astream_chat``'s (but ``after_id``)."""
    settings = StreamSettings(
        reconnect=reconnect,
        max_reconnect_attempts=max_reconnect_attempts,
        backoff_initial=backoff_initial,
        backoff_max=backoff_max,
        idle_timeout=idle_timeout,
        max_frame_bytes=max_frame_bytes,
        sleep=sleep,
        random=random,
    )
    runner = _runner(tools)
    return _AsyncTurnOpener(
        lambda: _astart_turn(client, prompt, chat_id, organization_id, runner, settings, _Opening())
    )


async def _astart_turn(
    client: Client,
    prompt: str | Sequence[ChatInputPart],
    chat_id: UUID | str | None,
    organization_id: UUID | str | None,
    runner: ToolRunner | None,
    settings: StreamSettings[AsyncSleep],
    opening: _Opening,
) -> AsyncTurn:
    parts = input_parts(prompt)
    chat_uuid_ = None if chat_id is None else chat_uuid(chat_id)
    opening.doing = "finding the chat API"
    routes = await aroutes_for(client)
    if runner is not None:
        require_v2(routes.generation)
    if chat_uuid_ is None:
        opening.doing = "finding the organization"
        organization = await aresolve_organization(client, organization_id)
        opening.doing = "creating the chat"
        chat = await routes.acreate_chat(client=client, body=_new_chat(parts, organization, runner))
        opening.doing = "connecting to the chat stream"
        stream = await open_async_chat_stream(client, chat.id, None, settings, routes=routes)
        return AsyncTurn(client, routes, TurnTracker.for_new_chat(chat.id), stream, runner)
    opening.doing = "reading the chat"
    before = await aread_before_prompt(client, routes, chat_uuid_)
    _check_prompt_can_run(chat_uuid_, before, runner)
    after_id = before.last_id
    opening.doing = "connecting to the chat stream"
    stream = await open_async_chat_stream(client, chat_uuid_, after_id, settings, routes=routes)
    try:
        opening.doing = "sending the prompt"
        body = CreateChatMessageRequest(content=parts)
        reply = await routes.acreate_chat_message(chat_uuid_, client=client, body=body)
        tracker = _tracker_for_reply(chat_uuid_, reply, after_id, routes, runner)
    except BaseException:
        await stream.aclose()
        raise
    return AsyncTurn(client, routes, tracker, stream, runner)


async def aask(
    client: Client,
    prompt: str | Sequence[ChatInputPart],
    *,
    chat_id: UUID | str | None = None,
    organization_id: UUID | str | None = None,
    tools: Sequence[Tool] | None = None,
    timeout: float | None = None,
    reconnect: bool = DEFAULTS.reconnect,
    max_reconnect_attempts: int = DEFAULTS.max_reconnect_attempts,
    backoff_initial: float = DEFAULTS.backoff_initial,
    backoff_max: float = DEFAULTS.backoff_max,
    idle_timeout: float = DEFAULTS.idle_timeout,
    max_frame_bytes: int = DEFAULTS.max_frame_bytes,
    sleep: Callable[[float], Awaitable[object]] | None = None,
    random: Callable[[], float] | None = None,
) -> TurnResult:
    """``ask`` on the event loop (async tools awaited, sync tools in a worker thread)."""
    settings = StreamSettings(
        reconnect=reconnect,
        max_reconnect_attempts=max_reconnect_attempts,
        backoff_initial=backoff_initial,
        backoff_max=backoff_max,
        idle_timeout=idle_timeout,
        max_frame_bytes=max_frame_bytes,
        sleep=sleep,
        random=random,
    )
    runner = _runner(tools)
    deadline = _deadline(timeout)
    opening = _Opening()
    try:
        async with asyncio.timeout(timeout):
            turn = await _astart_turn(client, prompt, chat_id, organization_id, runner, settings, opening)
    except TimeoutError:
        raise _timeout_error(timeout, opening.doing) from None
    async with turn:
        return await turn._wait(deadline, timeout)
