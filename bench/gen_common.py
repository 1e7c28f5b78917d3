"""What the data sets' generators share (the pieces: words, tokens, timestamps, events, persisted
messages), and the ``light`` data set's turns, the first shape (``bench.data`` describes the data sets).

One ``Gen`` per stream or chat, seeded: every draw comes from its ``random.Random``, in a fixed order.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

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


class Gen:
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


def _iso(epoch: int) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")
