"""Deterministic chat data for the benchmarks: stream events, frames and ``ChatWithMessages`` bodies.

Everything is generated from a seed, so the client and its baseline see the very same bytes, and the
benchmark servers (separate processes) can rebuild the stream the parent measures without shipping it.
JSON is compact, as Go's encoder writes it, with non-ASCII text left raw. Frames hold at most 256
events (``chatStreamBatchSize``). Two data sets, ``DATA_SETS``:

* ``realistic`` (the default): what an agent's turns look like. Between turns, status changes and
  queue updates (a queued prompt taken off the queue and persisted as the user message). A turn is
  several steps; each step streams reasoning and text as token-sized deltas and one to four tool
  calls whose nested JSON arguments (edits of multi-line code, whole files, commands with their
  environment, search options, plans) arrive as ``args_delta`` fragments of a few tokens, then the
  complete call, then a tool result with long multi-line output (file contents, test runs, search
  matches, diffs). Each step persists an assistant message of 5-20 parts (the step's reasoning, text,
  calls and results, and more) and a tool message with the results. The big chat is the persisted
  messages of such a stream.
* ``light``: the earlier, easier data, kept for comparison: turns of mostly text deltas with at most
  one small tool call per step and short tool outputs.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from typing import Any

BATCH = 256
"""The seed server's ``chatStreamBatchSize``: the most events in one frame."""

CHAT_ID = "6f1c1b4e-8a51-4c43-9d2e-0b8a7f1c9e21"
SUBAGENT_ID = "2d9a4c1e-5b7f-4e21-8c3a-9f0e1d2c3b4a"
OWNER_ID = "0b5e2c7a-3d41-4f8e-a9b6-1c2d3e4f5a6b"
MODEL_CONFIG_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"

_WORDS = (  # noqa: SIM905 (a word list reads best as text)
    "the of and to in is that for it with as on this be are from by at or an which if can will not "
    "function return value file path error request response client server stream chat message turn "
    "test tests passing failing import module class method config token model provider workspace "
    "agent build run make check lint type string integer list dict json websocket http status queue"
).split()
_PUNCT = (".", ",", ":", ";", "", "", "", "", "", "")
_EXOTIC = ("é", "—", "→", "✓", "日本", "🙂", "`", '"', "\\", "\n", "\n\n", "```python\n", "\t")
_TOOLS = ("read_file", "write_file", "execute", "list_directory", "search_files", "edit_file")

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(value: Any) -> str:
    """Compact JSON with raw UTF-8, as Go's ``encoding/json`` writes it."""
    return _dumps(value)


class _Gen:
    def __init__(self, seed: int, chat_id: str) -> None:
        self.rng = random.Random(seed)
        self.chat_id = chat_id
        self.next_message_id = 1
        self.next_queued_id = 1
        self.clock = 1_768_478_400.0  # 2026-01-15T12:00:00Z

    # --- pieces ---------------------------------------------------------------------------

    def token(self) -> str:
        rng = self.rng
        if rng.random() < 0.04:
            return rng.choice(_EXOTIC)
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.choice((1, 1, 1, 2, 2, 3))))
        return " " + words + rng.choice(_PUNCT)

    def sentence(self, tokens: int) -> str:
        return "".join(self.token() for _ in range(tokens)).strip()

    def timestamp(self) -> str:
        self.clock += self.rng.uniform(0.05, 3.0)
        whole = int(self.clock)
        micros = int((self.clock - whole) * 1_000_000)
        stamp = _iso(whole)
        frac = f"{micros:06d}".rstrip("0")  # Go's RFC3339Nano trims trailing zeros
        return f"{stamp}.{frac}Z" if frac else f"{stamp}Z"

    def args(self) -> dict[str, Any]:
        rng = self.rng
        choice = rng.randrange(4)
        if choice == 0:
            return {"path": f"/home/coder/project/src/{rng.choice(_WORDS)}/{rng.choice(_WORDS)}.py"}
        if choice == 1:
            return {"command": f"make {rng.choice(_WORDS)} && pytest -q -x tests/{rng.choice(_WORDS)}", "timeout": 120}
        if choice == 2:
            return {
                "path": f"/home/coder/project/{rng.choice(_WORDS)}.py",
                "old": self.sentence(rng.randint(4, 12)),
                "new": self.sentence(rng.randint(4, 16)),
            }
        return {"pattern": rng.choice(_WORDS), "paths": [f"src/{rng.choice(_WORDS)}" for _ in range(rng.randint(1, 4))]}

    def result(self) -> Any:
        rng = self.rng
        if rng.random() < 0.5:
            return {"output": self.sentence(rng.randint(10, 60)), "exit_code": rng.choice((0, 0, 0, 1))}
        return {"content": "\n".join(self.sentence(rng.randint(3, 12)) for _ in range(rng.randint(2, 10)))}

    # --- events ----------------------------------------------------------------------------

    def event(self, kind: str, **payload: Any) -> dict[str, Any]:
        return {"type": kind, "chat_id": self.chat_id, **payload}

    def part_event(self, part: dict[str, Any]) -> dict[str, Any]:
        return self.event("message_part", message_part={"role": "assistant", "part": part})

    def status(self, status: str, chat_id: str | None = None) -> dict[str, Any]:
        return {"type": "status", "chat_id": chat_id or self.chat_id, "status": {"status": status}}

    def message(self, role: str, content: list[dict[str, Any]]) -> dict[str, Any]:
        message_id = self.next_message_id
        self.next_message_id += 1
        message: dict[str, Any] = {
            "id": message_id,
            "chat_id": self.chat_id,
            "created_at": self.timestamp(),
            "role": role,
            "content": content,
        }
        if role == "assistant":
            message["model_config_id"] = MODEL_CONFIG_ID
            inputs, outputs = self.rng.randint(500, 90_000), self.rng.randint(20, 4_000)
            message["usage"] = {
                "input_tokens": inputs,
                "output_tokens": outputs,
                "total_tokens": inputs + outputs,
                "reasoning_tokens": self.rng.randint(0, outputs),
                "cache_creation_tokens": self.rng.randint(0, 2_000),
                "cache_read_tokens": self.rng.randint(0, inputs),
                "context_limit": 200_000,
            }
        return message

    def queued(self) -> dict[str, Any]:
        queued_id = self.next_queued_id
        self.next_queued_id += 1
        return {
            "id": queued_id,
            "chat_id": self.chat_id,
            "created_at": self.timestamp(),
            "content": [{"type": "text", "text": self.sentence(self.rng.randint(3, 20))}],
        }

    def assistant_content(self, parts: int) -> list[dict[str, Any]]:
        """A persisted assistant message's content: ``parts`` parts (5-20), as the step left them."""
        rng = self.rng
        content: list[dict[str, Any]] = [
            {"type": "reasoning", "text": self.sentence(rng.randint(10, 60)), "signature": "sig" + "x" * 40}
        ]
        while len(content) < parts - 1:
            roll = rng.random()
            if roll < 0.45:
                content.append({"type": "text", "text": self.sentence(rng.randint(5, 80))})
            elif roll < 0.8:
                call_id = f"toolu_{rng.getrandbits(64):016x}"
                name = rng.choice(_TOOLS)
                content.append({"type": "tool-call", "tool_call_id": call_id, "tool_name": name, "args": self.args()})
                if len(content) < parts - 1:
                    content.append(
                        {"type": "tool-result", "tool_call_id": call_id, "tool_name": name, "result": self.result()}
                    )
            elif roll < 0.9:
                content.append(
                    {
                        "type": "source",
                        "source_id": f"src-{rng.getrandbits(32):08x}",
                        "url": f"https://docs.example.com/{rng.choice(_WORDS)}/{rng.choice(_WORDS)}",
                        "title": self.sentence(3),
                    }
                )
            else:
                content.append({"type": "text", "text": self.sentence(rng.randint(1, 10))})
        content.append({"type": "text", "text": self.sentence(rng.randint(5, 40))})
        return content

    def turn(
        self, *, text_deltas: tuple[int, int] = (120, 420), small_messages: bool = False
    ) -> Iterator[dict[str, Any]]:
        """One assistant turn, start to finish, as the events the stream carries."""
        rng = self.rng
        yield self.status("running")
        if rng.random() < 0.1:
            yield self.event("queue_update", queued_messages=[self.queued() for _ in range(rng.randint(1, 3))])
        for index in range(rng.randint(15, 60)):
            part: dict[str, Any] = {"type": "reasoning", "text": self.token()}
            if index and index % 20 == 0:
                part["title"] = self.sentence(4)
            yield self.part_event(part)
        steps = rng.choice((1, 1, 2, 3))
        for step in range(steps):
            for _ in range(rng.randint(*text_deltas) // steps):
                yield self.part_event({"type": "text", "text": self.token()})
            if step < steps - 1 or rng.random() < 0.5:
                call_id = f"toolu_{rng.getrandbits(64):016x}"
                name = rng.choice(_TOOLS)
                args = dumps(self.args())
                cuts = sorted(rng.sample(range(1, len(args)), min(len(args) - 1, rng.randint(8, 30))))
                for start, end in zip([0, *cuts], [*cuts, len(args)], strict=True):
                    yield self.part_event(
                        {"type": "tool-call", "tool_call_id": call_id, "tool_name": name, "args_delta": args[start:end]}
                    )
                yield self.part_event(
                    {"type": "tool-call", "tool_call_id": call_id, "tool_name": name, "args": json.loads(args)}
                )
                result = self.result()
                yield self.part_event(
                    {"type": "tool-result", "tool_call_id": call_id, "tool_name": name, "result": result}
                )
                parts = 2 if small_messages else rng.randint(5, 20)
                yield self.event("message", message=self.message("assistant", self.assistant_content(parts)))
                tool_content = [{"type": "tool-result", "tool_call_id": call_id, "tool_name": name, "result": result}]
                yield self.event("message", message=self.message("tool", tool_content))
        if rng.random() < 0.05:
            yield self.status(rng.choice(("running", "completed")), chat_id=SUBAGENT_ID)
        parts = 2 if small_messages else rng.randint(5, 20)
        yield self.event("message", message=self.message("assistant", self.assistant_content(parts)))
        yield self.status("waiting")
        if rng.random() < 0.1:
            yield self.event("queue_update")  # a seed server omits the empty queue (Go omitempty)


# --- the realistic data set: an agent's turns -------------------------------------------------------

_IDENT = (  # noqa: SIM905 (a word list reads best as text)
    "client stream chat message event frame part token delta status queue reconnect backoff decoder filter "
    "record digest payload result args config session request response handler server socket buffer turn"
).split()
_KEYWORDS = ("def", "return", "if", "for", "while", "with", "raise", "assert", "elif", "else:", "try:", "except")
_FILES = (
    "src/coder_chat/streaming/_transport.py",
    "tests/integration/test_stream.py",
    "README.md",
    "pyproject.toml",
    "src/app/handlers.py",
    "docs/protocol.md",
    "Makefile",
    "src/app/models/chat.py",
)
_AGENT_TOOLS = ("read_file", "edit_file", "write_file", "execute", "search_files", "todo_write")
_TEST_WORDS = ("PASSED", "PASSED", "PASSED", "PASSED", "FAILED", "SKIPPED")


class _AgentGen(_Gen):
    """The ``realistic`` data set's generator (see the module docstring)."""

    deltas_wanted = True
    """False: turns give their persisted messages and statuses only (to build a big chat faster)."""

    def ident(self) -> str:
        rng = self.rng
        return "_".join(rng.choice(_IDENT) for _ in range(rng.randint(1, 3)))

    def code_line(self) -> str:
        rng = self.rng
        indent = "    " * rng.choice((0, 1, 1, 2, 2, 2, 3))
        roll = rng.random()
        if roll < 0.12:
            return ""
        if roll < 0.3:
            return (
                f"{indent}{rng.choice(_KEYWORDS)} {self.ident()}({self.ident()}, {self.ident()}={rng.randint(0, 999)}):"
            )
        if roll < 0.5:
            default = rng.choice(("None", "[]", "{}", "0"))
            return f'{indent}{self.ident()} = {self.ident()}.get("{rng.choice(_IDENT)}", {default})'
        if roll < 0.62:
            return f"{indent}# {self.sentence(rng.randint(4, 12))}"
        if roll < 0.75:
            return f'{indent}raise {self.ident().title()}Error(f"{self.sentence(4)} {{{self.ident()}!r}}")'
        return f'{indent}{self.ident()}.{self.ident()}({self.ident()}[{rng.randint(0, 64)}:], "{rng.choice(_EXOTIC)}")'

    def code(self, lines: int) -> str:
        return "\n".join(self.code_line() for _ in range(lines))

    def path(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return rng.choice(_FILES)
        return f"src/{rng.choice(_IDENT)}/{self.ident()}.py"

    def call(self) -> tuple[str, dict[str, Any]]:
        """A tool call: its name and nested JSON arguments."""
        rng = self.rng
        name = rng.choice(_AGENT_TOOLS)
        if name == "read_file":
            start = rng.randint(1, 400)
            return name, {"path": self.path(), "range": {"start": start, "end": start + rng.randint(50, 300)}}
        if name == "edit_file":
            edits = [
                {
                    "old_string": self.code(rng.randint(2, 15)),
                    "new_string": self.code(rng.randint(2, 20)),
                    "replace_all": rng.random() < 0.1,
                }
                for _ in range(rng.randint(1, 3))
            ]
            return name, {"path": self.path(), "edits": edits}
        if name == "write_file":
            return name, {"path": self.path(), "content": self.code(rng.randint(15, 60)), "create_dirs": True}
        if name == "execute":
            command = rng.choice(
                (
                    "make test",
                    "pytest -q -x tests/integration",
                    "git diff --stat",
                    "make lint typecheck",
                    "python -m pytest tests/unit/test_decoder.py -k 'frame and not slow' -q",
                    "ls -la src/",
                )
            )
            return name, {
                "command": command,
                "cwd": "/home/coder/project",
                "env": {"PYTHONPATH": "src", "CI": "1", "HYPOTHESIS_PROFILE": rng.choice(("ci", "dev"))},
                "timeout_ms": rng.choice((60_000, 120_000, 600_000)),
                "background": False,
            }
        if name == "search_files":
            return name, {
                "pattern": f"def {self.ident()}|class {self.ident().title()}",
                "path": "src/",
                "options": {
                    "case_sensitive": rng.random() < 0.5,
                    "include": ["*.py", "*.md"][: rng.randint(1, 2)],
                    "max_results": 50,
                    "context_lines": rng.randint(0, 3),
                },
            }
        todos = [
            {
                "id": index + 1,
                "content": self.sentence(rng.randint(4, 14)),
                "status": rng.choice(("pending", "in_progress", "completed")),
                "priority": rng.choice(("high", "medium", "low")),
            }
            for index in range(rng.randint(3, 9))
        ]
        return name, {"todos": todos}

    def tool_output(self, name: str, args: dict[str, Any]) -> Any:
        """What the tool gave back: long, multi-line output."""
        rng = self.rng
        if name == "read_file":
            start = args["range"]["start"]
            lines = [f"{start + index:6d}\t{self.code_line()}" for index in range(rng.randint(20, 80))]
            return {"content": "\n".join(lines), "total_lines": start + rng.randint(200, 900), "truncated": True}
        if name == "execute":
            lines = [
                f"tests/{self.ident()}.py::test_{self.ident()} {rng.choice(_TEST_WORDS)}"
                for _ in range(rng.randint(10, 60))
            ]
            if rng.random() < 0.4:
                lines += [
                    "",
                    "=" * 30 + " FAILURES " + "=" * 30,
                    self.code(rng.randint(5, 20)),
                    f"E   AssertionError: {self.sentence(8)}",
                ]
            lines.append(f"{rng.randint(20, 900)} passed, {rng.randint(0, 3)} failed in {rng.uniform(1, 90):.2f}s")
            return {
                "output": "\n".join(lines),
                "exit_code": rng.choice((0, 0, 1)),
                "duration_ms": rng.randint(400, 90_000),
            }
        if name == "search_files":
            matches = [
                {"path": self.path(), "line": rng.randint(1, 900), "text": self.code_line().strip()}
                for _ in range(rng.randint(3, 25))
            ]
            return {"matches": matches, "truncated": len(matches) >= 25}
        if name in ("edit_file", "write_file"):
            diff = [
                f"--- a/{args['path']}",
                f"+++ b/{args['path']}",
                f"@@ -{rng.randint(1, 300)},12 +{rng.randint(1, 300)},14 @@",
            ]
            diff += [rng.choice(("+", "-", " ")) + self.code_line() for _ in range(rng.randint(6, 40))]
            return {"ok": True, "diff": "\n".join(diff)}
        return {"ok": True, "todos": len(args["todos"])}

    def long_text(self) -> str:
        rng = self.rng
        paragraphs = [self.sentence(rng.randint(15, 80)) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.3:
            paragraphs.append("```python\n" + self.code(rng.randint(3, 20)) + "\n```")
        return "\n\n".join(paragraphs)

    def deltas(self, text: str) -> Iterator[str]:
        """``text`` cut as a model streams it: a few tokens (3-40 characters) at a time."""
        if not self.deltas_wanted:
            return
        rng = self.rng
        index = 0
        while index < len(text):
            step = rng.randint(3, 40)
            yield text[index : index + step]
            index += step

    def step(self, final: bool) -> Iterator[dict[str, Any]]:
        """One step of a turn: reasoning, text, tool calls and their results, then its persisted messages."""
        rng = self.rng
        reasoning = "".join(self.token() for _ in range(rng.randint(15, 90))).strip()
        for index, token in enumerate(self.deltas(reasoning)):
            part: dict[str, Any] = {"type": "reasoning", "text": token}
            if index == 0:
                part["title"] = self.sentence(rng.randint(2, 6))
            yield self.part_event(part)
        text = "".join(self.token() for _ in range(rng.randint(10, 250))).strip()
        for token in self.deltas_small(text):
            yield self.part_event({"type": "text", "text": token})
        content: list[dict[str, Any]] = [
            {"type": "reasoning", "text": reasoning, "signature": f"sig_{rng.getrandbits(256):064x}"},
            {"type": "text", "text": text},
        ]
        results: list[dict[str, Any]] = []
        for _ in range(0 if final else rng.randint(1, 4)):
            call_id = f"toolu_{rng.getrandbits(96):024x}"
            name, args = self.call()
            for fragment in self.deltas(dumps(args)):
                yield self.part_event(
                    {"type": "tool-call", "tool_call_id": call_id, "tool_name": name, "args_delta": fragment}
                )
            call = {"type": "tool-call", "tool_call_id": call_id, "tool_name": name, "args": args}
            result = {
                "type": "tool-result",
                "tool_call_id": call_id,
                "tool_name": name,
                "result": self.tool_output(name, args),
            }
            if rng.random() < 0.1:
                result["is_error"] = True
            if self.deltas_wanted:
                yield self.part_event(call)
                yield self.part_event(result)
            content += [call, result]
            results.append(result)
        target = rng.randint(5, 20)
        while len(content) < target:  # what else a step's message holds: more text, sources, notes
            roll = rng.random()
            if roll < 0.6:
                content.append({"type": "text", "text": self.long_text()})
            elif roll < 0.8:
                content.append({"type": "reasoning", "text": self.long_text()})
            else:
                content.append(
                    {
                        "type": "source",
                        "source_id": f"src-{rng.getrandbits(32):08x}",
                        "url": f"https://docs.example.com/{rng.choice(_IDENT)}/{self.ident()}",
                        "title": self.sentence(rng.randint(2, 8)),
                    }
                )
        yield self.event("message", message=self.message("assistant", content))
        if results:
            yield self.event("message", message=self.message("tool", results))

    def deltas_small(self, text: str) -> Iterator[str]:
        """Text as a model streams it: one token at a time (1-12 characters)."""
        if not self.deltas_wanted:
            return
        rng = self.rng
        index = 0
        while index < len(text):
            step = rng.randint(1, 12)
            yield text[index : index + step]
            index += step

    def turn(self, **_options: Any) -> Iterator[dict[str, Any]]:
        """Between turns, status and queue; then a user prompt, 2-6 steps, and ``waiting``."""
        rng = self.rng
        if rng.random() < 0.3:
            yield self.status("pending")
        queued = [self.queued() for _ in range(rng.randint(0, 3))]
        if queued:
            yield self.event("queue_update", queued_messages=queued)
        yield self.status("running")
        if queued:
            yield self.event("queue_update", queued_messages=queued[1:])
        prompt = [{"type": "text", "text": self.long_text()}]
        yield self.event("message", message=self.message("user", prompt))
        steps = rng.randint(2, 6)
        for step in range(steps):
            if rng.random() < 0.05:
                yield self.status(rng.choice(("running", "completed")), chat_id=SUBAGENT_ID)
            yield from self.step(final=step == steps - 1)
        yield self.status("waiting")


def _iso(epoch: int) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")


DATA_SETS = ("realistic", "light")
"""The data sets, the one the README's figures come from first."""


def _generator(data: str, seed: int, chat_id: str) -> _Gen:
    if data == "realistic":
        return _AgentGen(seed, chat_id)
    if data == "light":
        return _Gen(seed, chat_id)
    raise ValueError(f"unknown data set {data!r}; choose from {', '.join(DATA_SETS)}")


def stream_events(
    count: int, *, seed: int = 1, chat_id: str = CHAT_ID, data: str = "realistic", **turn_options: Any
) -> Iterator[dict[str, Any]]:
    """``count`` events of consecutive turns (the last turn is cut wherever ``count`` ends).

    ``turn_options`` go to the ``light`` turns (``text_deltas``, ``small_messages``); realistic turns take none.
    """
    gen = _generator(data, seed, chat_id)
    produced = 0
    while True:
        for event in gen.turn(**turn_options):
            if produced == count:
                return
            produced += 1
            yield event


def batches(events: Iterator[dict[str, Any]], *, seed: int = 2, full: bool = False) -> Iterator[list[dict[str, Any]]]:
    """Group events into frames of at most ``BATCH`` events.

    ``full``: every frame but the last holds exactly 256 (a server draining a busy queue). Otherwise
    frame sizes vary as the server's non-blocking drain leaves them: a frame ends after any event
    with probability 1/48, and always at 256 events.
    """
    rng = random.Random(seed)
    batch: list[dict[str, Any]] = []
    for event in events:
        batch.append(event)
        if len(batch) == BATCH or (not full and rng.random() < 1 / 48):
            yield batch
            batch = []
    if batch:
        yield batch


def envelope(batch: list[dict[str, Any]]) -> str:
    """One seed-format frame: ``{"type":"data","data":[...]}``."""
    return dumps({"type": "data", "data": batch})


def stream_frames(
    count: int, *, seed: int = 1, full: bool = False, data: str = "realistic", **turn_options: Any
) -> list[str]:
    """The frames of a ``count``-event stream, as text."""
    events = stream_events(count, seed=seed, data=data, **turn_options)
    return [envelope(batch) for batch in batches(events, full=full)]


def chat_with_messages(messages: int, *, seed: int = 3, queued: int = 2, data: str = "realistic") -> dict[str, Any]:
    """A ``ChatWithMessages`` body: ``messages`` persisted messages, as ``GET /chats/{chat}`` returns them.

    ``realistic``: the messages a realistic stream persists (user prompts, then per step an assistant
    message of 5-20 parts and a tool message with the step's results). ``light``: user prompts,
    assistant messages of 5-20 short parts and tool results, drawn independently.
    """
    gen = _generator(data, seed, CHAT_ID)
    rng = gen.rng
    chat = {
        "id": CHAT_ID,
        "owner_id": OWNER_ID,
        "last_model_config_id": MODEL_CONFIG_ID,
        "title": "Fix the flaky websocket reconnection test",
        "status": "waiting",
        "created_at": gen.timestamp(),
        "updated_at": gen.timestamp(),
        "workspace_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "archived": False,
        "last_error": None,
    }
    out: list[dict[str, Any]] = []
    if isinstance(gen, _AgentGen):
        gen.deltas_wanted = False  # the chat keeps only what was persisted
    while isinstance(gen, _AgentGen) and len(out) < messages:
        for event in gen.turn():
            if event["type"] == "message" and len(out) < messages:
                out.append(event["message"])
    while len(out) < messages:
        roll = rng.random()
        if roll < 0.2:
            out.append(gen.message("user", [{"type": "text", "text": gen.sentence(rng.randint(5, 60))}]))
        elif roll < 0.7:
            out.append(gen.message("assistant", gen.assistant_content(rng.randint(5, 20))))
        else:
            call_id = f"toolu_{rng.getrandbits(64):016x}"
            part = {
                "type": "tool-result",
                "tool_call_id": call_id,
                "tool_name": rng.choice(_TOOLS),
                "result": gen.result(),
            }
            out.append(gen.message("tool", [part]))
    return {"chat": chat, "messages": out, "queued_messages": [gen.queued() for _ in range(queued)]}


def count_kinds(frames: list[str]) -> dict[str, int]:
    """Events per type (``message_part`` split by part type), for the report."""
    counts: dict[str, int] = {}
    for frame in frames:
        for event in json.loads(frame)["data"]:
            kind = event["type"]
            if kind == "message_part":
                kind = "part:" + event["message_part"]["part"]["type"]
            counts[kind] = counts.get(kind, 0) + 1
    return counts
