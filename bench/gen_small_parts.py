"""The ``small-parts`` data set's generator: token-sized deltas, and persisted messages of many small parts.

What an agent's turn looks like when its steps are short: every persisted message is an assistant
message of 5-20 short parts (reasoning, text, tool calls with small flat arguments, their short
results), and the stream brings each of those parts as the model streamed it, one token (one to four
words) per text or reasoning delta and a few characters per ``args_delta`` (``bench.data`` describes it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bench.gen_common import _TOOLS, SUBAGENT_ID, Gen, dumps

Part = dict[str, Any]


class SmallPartsGen(Gen):
    """The ``small-parts`` data set's generator."""

    def text_part(self, kind: str, tokens: int) -> tuple[Part, list[Part]]:
        """A ``text`` or ``reasoning`` part of ``tokens`` tokens, and its deltas: one token each."""
        deltas = [self.token() for _ in range(tokens)]
        part: Part = {"type": kind, "text": "".join(deltas)}
        if kind == "reasoning":
            part["signature"] = f"sig_{self.rng.getrandbits(64):016x}"
        return part, [{"type": kind, "text": delta} for delta in deltas]

    def small_result(self) -> Any:
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            return {"output": self.sentence(rng.randint(1, 12)), "exit_code": rng.choice((0, 0, 0, 1))}
        if roll < 0.8:
            return {"content": self.sentence(rng.randint(2, 10))}
        return {"ok": True}

    def call_parts(self) -> tuple[list[Part], list[Part]]:
        """A tool call with small flat arguments and its short result; the call streams its arguments
        as ``args_delta`` fragments of 3-12 characters, then comes whole, then the result."""
        rng = self.rng
        call_id = f"toolu_{rng.getrandbits(64):016x}"
        name = rng.choice(_TOOLS)
        args = self.args()
        text = dumps(args)
        deltas: list[Part] = []
        index = 0
        while index < len(text):
            step = rng.randint(3, 12)
            deltas.append(
                {
                    "type": "tool-call",
                    "tool_call_id": call_id,
                    "tool_name": name,
                    "args_delta": text[index : index + step],
                }
            )
            index += step
        call: Part = {"type": "tool-call", "tool_call_id": call_id, "tool_name": name, "args": args}
        result: Part = {
            "type": "tool-result",
            "tool_call_id": call_id,
            "tool_name": name,
            "result": self.small_result(),
        }
        return [call, result], [*deltas, call, result]

    def step(self) -> Iterator[dict[str, Any]]:
        """One step: its 5-20 parts as they stream, then the assistant message that persists them."""
        rng = self.rng
        target = rng.randint(5, 20)
        content: list[Part] = []
        if rng.random() < 0.7:
            part, deltas = self.text_part("reasoning", rng.randint(3, 20))
            content.append(part)
            yield from map(self.part_event, deltas)
        while len(content) < target - 1:
            roll = rng.random()
            if roll < 0.45 and len(content) <= target - 3:  # a call and its result, and room for the last text
                parts, deltas = self.call_parts()
                content += parts
            elif roll < 0.6:
                part, deltas = self.text_part("reasoning", rng.randint(3, 20))
                content.append(part)
            else:
                part, deltas = self.text_part("text", rng.randint(2, 20))
                content.append(part)
            yield from map(self.part_event, deltas)
        part, deltas = self.text_part("text", rng.randint(2, 20))
        content.append(part)
        yield from map(self.part_event, deltas)
        yield self.event("message", message=self.message("assistant", content))

    def turn(self, **_options: Any) -> Iterator[dict[str, Any]]:
        """Sometimes ``pending`` and a queue first; ``running``, 1-4 steps, ``waiting``. The prompts are
        not in the stream (as in ``light``): every persisted message has 5-20 parts."""
        rng = self.rng
        if rng.random() < 0.2:
            yield self.status("pending")
        queued = [self.queued() for _ in range(rng.randint(1, 2))] if rng.random() < 0.1 else []
        if queued:
            yield self.event("queue_update", queued_messages=queued)
        yield self.status("running")
        if queued:
            yield self.event("queue_update", queued_messages=queued[1:])
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.05:
                yield self.status(rng.choice(("running", "completed")), chat_id=SUBAGENT_ID)
            yield from self.step()
        yield self.status("waiting")
