"""The scripted assistant: what the fake's "LLM" does when a chat has a prompt to answer.

A turn publishes `status running` (v2: a `preview_reset`, the chat is already running), text
deltas, a reasoning delta, a tool call streamed as `args_delta` fragments then complete `args`, a
tool result, then persists an assistant message and a tool message and goes back to `waiting`
(the store's `begin_turn` / `finish_turn` / `fail_turn` / `require_action` publish per generation).
Everything it says is a pure function of the prompt and the `Script`, so tests
can compute the exact expected text with `Script.reply_text(prompt)`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from .state import State
from .wire import JSONDict


@dataclass(frozen=True)
class DynamicCall:
    """A call the assistant makes to one of the chat's dynamic tools (v2 generation).

    args: a dict (sent as its compact JSON) or a raw string, sent as is (so a test can send
    arguments that do not fit the tool's schema, or that are not JSON at all). The fake does not
    check `name` against the declared tools: a test can make it call a tool the client lacks."""

    name: str
    args: JSONDict | str = field(default_factory=dict)

    def args_json(self) -> str:
        """The `args` string of `action_required` (Go's compact encoding for a dict)."""
        if isinstance(self.args, str):
            return self.args
        return json.dumps(self.args, separators=(",", ":"))


@dataclass
class Script:
    """How assistant turns behave. Read at the start of each turn.

    reply: fixed reply text; None means "You said: <prompt>. " repeated just enough
        times that each of the `text_deltas` chunks gets at least one character.
    text_deltas: number of text `message_part` events (thousands are fine).
    delay: seconds slept between consecutive deltas (0: only yield to the loop).
    reasoning: stream and persist a reasoning part "Thinking about: <prompt>".
    tool_call: stream a tool call (`execute`, args {"command": "echo <prompt>"}) in
        `args_fragments` pieces, then its complete args, then a tool result
        {"output": "<prompt>"} persisted as a separate `tool` message.
    fail_with: instead of persisting, publish an `error` event with this message and
        set status `error` after the text deltas.
    auto_run: False keeps chats `pending` (v2: `running` with no step in progress) after a user
        message until `FakeCoder.start_turn(chat_id)`; handy to fill a queue deterministically.
    dynamic_calls: (v2, chats created with `unsafe_dynamic_tools`) after its text the assistant
        calls these tools, all in one step, and the chat stops in `requires_action` until
        `POST /tool-results` answers every call; the next step then says
        `after_tools_text(results)` and the turn ends. Repeated `dynamic_rounds` times per prompt.
    """

    reply: str | None = None
    text_deltas: int = 4
    delay: float = 0.0
    reasoning: bool = True
    tool_call: bool = True
    args_fragments: int = 2
    fail_with: str | None = None
    auto_run: bool = True
    dynamic_calls: tuple[DynamicCall, ...] = ()
    dynamic_rounds: int = 1

    @staticmethod
    def after_tools_text(results: list[JSONDict]) -> str:
        """The reply of the step after tool results: each call's name and output, in order."""
        shown = "; ".join(
            f"{r['tool_name']} -> {json.dumps(r.get('output'), separators=(',', ':'))}"
            + (" (error)" if r.get("is_error") else "")
            for r in results
        )
        return f"Tool results: {shown}."

    def reply_text(self, prompt: str) -> str:
        """The full assistant text for a prompt."""
        if self.reply is not None:
            return self.reply
        base = f"You said: {prompt}. "
        repeat = max(1, -(-max(self.text_deltas, 1) // len(base)))
        return base * repeat

    def text_chunks(self, prompt: str) -> list[str]:
        """The text deltas, in order; they concatenate to `reply_text(prompt)`."""
        return split_even(self.reply_text(prompt), self.text_deltas)

    @staticmethod
    def tool_args(prompt: str) -> JSONDict:
        return {"command": f"echo {prompt}"}


def split_even(text: str, pieces: int) -> list[str]:
    """Split into `pieces` contiguous chunks of near-equal size (no empty chunk)."""
    pieces = max(1, min(pieces, len(text))) if text else 1
    size, extra = divmod(len(text), pieces)
    out, pos = [], 0
    for i in range(pieces):
        n = size + (1 if i < extra else 0)
        out.append(text[pos : pos + n])
        pos += n
    return out


def _prompt_of(messages: list[JSONDict]) -> str:
    for msg in reversed(messages):
        if msg["role"] == "user":
            return " ".join(p.get("text", "") for p in msg["content"] if p.get("type") == "text")
    return ""


class Runner:
    """Runs turns as asyncio tasks on the server loop; implements `TurnDriver`."""

    def __init__(self, state: State, script: Script) -> None:
        self.state = state
        self.script = script
        self.loop: asyncio.AbstractEventLoop | None = None
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._turns: dict[str, int] = {}  # chat id -> current turn number
        self._counter = 0

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.state.driver = self

    def start_turn(self, chat_id: str, *, force: bool = False) -> None:
        """Schedule a turn (called with the state lock held, from any thread)."""
        if self.loop is None or not (self.script.auto_run or force):
            return
        self._counter += 1
        turn = self._counter
        self._turns[chat_id] = turn
        self._call_soon(self._spawn, chat_id, turn)

    def cancel_turn(self, chat_id: str) -> None:
        """Forget the chat's turn; its task is cancelled and publishes nothing more."""
        self._turns.pop(chat_id, None)
        task = self._tasks.pop(chat_id, None)
        if task is not None:
            self._call_soon(task.cancel)

    def defer(self, delay: float, func: Callable[..., object], *args: object) -> None:
        """Call `func(*args)` with the state lock held, `delay` seconds from now, on the loop
        (the v2 worker winding an interrupted step down)."""

        def fire() -> None:
            with self.state.lock:
                func(*args)

        loop = self.loop
        if loop is not None:
            self._call_soon(loop.call_later, delay, fire)

    def _call_soon(self, func: Callable[..., object], *args: object) -> None:
        if self.loop is None:
            return
        # A closed loop means the server stopped: there is nothing left to run or stop.
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(func, *args)

    def cancel_all(self) -> None:
        with self.state.lock:
            for chat_id in list(self._tasks):
                self.cancel_turn(chat_id)

    def _spawn(self, chat_id: str, turn: int) -> None:
        with self.state.lock:
            if self._turns.get(chat_id) != turn:
                return  # superseded or cancelled before it started
            old = self._tasks.pop(chat_id, None)
            if old is not None:
                old.cancel()
            self._tasks[chat_id] = asyncio.get_running_loop().create_task(
                self._run(chat_id, turn), name=f"fakecoder-turn-{chat_id}"
            )

    async def _run(self, chat_id: str, turn: int) -> None:
        script = self.script
        state = self.state
        with state.lock:
            chat = state.chats.get(chat_id)
            if chat is None or self._turns.get(chat_id) != turn:
                return
            prompt = _prompt_of(chat.messages)
            results, chat.tool_results = chat.tool_results, None
            calls = script.dynamic_calls if chat.dynamic_tools and chat.tool_rounds < script.dynamic_rounds else ()
            state.begin_turn(chat)

        async def emit(part: JSONDict) -> bool:
            await asyncio.sleep(script.delay)
            with state.lock:
                current = state.chats.get(chat_id)
                if current is None or self._turns.get(chat_id) != turn:
                    return False
                state.publish_part(current, part)
                return True

        # The step after tool results only answers them; a first step says the scripted text.
        text = script.after_tools_text(results) if results is not None else script.reply_text(prompt)
        for chunk in split_even(text, script.text_deltas):
            if not await emit({"type": "text", "text": chunk}):
                return
        content: list[JSONDict] = [{"type": "text", "text": text}]
        extra: list[tuple[str, list[JSONDict], JSONDict | None]] = []
        if script.reasoning and results is None:
            reasoning = {"type": "reasoning", "text": f"Thinking about: {prompt}"}
            if not await emit(reasoning):
                return
            content.append(reasoning)
        if script.tool_call and results is None and not calls:
            tool_parts = await self._builtin_tool(emit, turn, prompt, script)
            if tool_parts is None:
                return
            content.append(tool_parts[0])
            extra.append(("tool", [tool_parts[1]], None))
        pending: list[JSONDict] = []
        for i, call in enumerate(calls):
            part: JSONDict = {"type": "tool-call", "tool_call_id": f"call_{turn}_{i + 1}", "tool_name": call.name}
            args = call.args_json()
            part["args"] = _raw_json(args)
            if not await emit(part):
                return
            content.append(part)
            pending.append({"tool_call_id": part["tool_call_id"], "tool_name": call.name, "args": args})
        await asyncio.sleep(script.delay)
        with state.lock:
            chat = state.chats.get(chat_id)
            if chat is None or self._turns.get(chat_id) != turn:
                return
            self._turns.pop(chat_id, None)
            self._tasks.pop(chat_id, None)
            if script.fail_with is not None:
                state.fail_turn(chat, script.fail_with)
                return
            usage = {
                "input_tokens": len(prompt),
                "output_tokens": len(text),
                "total_tokens": len(prompt) + len(text),
                "context_limit": 4096,
            }
            messages = [("assistant", content, usage), *extra]
            if pending:
                state.require_action(chat, messages, pending)
            else:
                state.finish_turn(chat, messages)

    @staticmethod
    async def _builtin_tool(
        emit: Callable[[JSONDict], Awaitable[bool]], turn: int, prompt: str, script: Script
    ) -> tuple[JSONDict, JSONDict] | None:
        """Stream the server-side `execute` call and its result; (call part, result part), or None
        when the turn was cancelled meanwhile."""
        call_id = f"call-{turn}"
        args = script.tool_args(prompt)
        base = {"type": "tool-call", "tool_call_id": call_id, "tool_name": "execute"}
        for frag in split_even(json.dumps(args), script.args_fragments):
            if not await emit({**base, "args_delta": frag}):
                return None
        if not await emit({**base, "args": args}):
            return None
        result_part = {
            "type": "tool-result",
            "tool_call_id": call_id,
            "tool_name": "execute",
            "result": {"output": prompt},
        }
        if not await emit(result_part):
            return None
        return {**base, "args": args}, result_part


def _raw_json(text: str) -> object:
    """A tool call's `args` as the persisted part carries it: the parsed JSON, or the string itself
    when it is not JSON (Go would keep raw bytes; JSON cannot)."""
    try:
        return json.loads(text)
    except ValueError:
        return text
