"""The ``realistic`` data set's generator: an agent's turns (``bench.data`` describes it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bench.gen_common import _EXOTIC, SUBAGENT_ID, Gen, dumps

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


class AgentGen(Gen):
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
