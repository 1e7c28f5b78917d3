"""Let the agent call functions of this program: read a local file, and ask the person at the terminal.

Client-side tools need Coder's v2 chat API. The chat declares both tools; when the agent calls one, the
turn runs it here (in this thread, so ``input()`` works) and sends the result back, then goes on
streaming the reply. Runs against a real Coder deployment with the names the Coder CLI uses::

    CODER_URL=https://coder.example.com CODER_SESSION_TOKEN=... python -m examples.tools "Check pyproject.toml"

``make demo`` shows a tool call against the fake server in tests/fakecoder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from coder_chat.client import AuthenticatedClient, errors
from coder_chat.streaming import start_turn, tool

DEFAULT_PROMPT = "Read pyproject.toml and, with my approval, tell me which dependency to upgrade first."


@tool
def read_file(path: str, max_bytes: int = 20_000) -> str:
    """Read a text file under the current directory: its first ``max_bytes`` bytes."""
    base = Path.cwd().resolve()
    target = (base / path).resolve()
    if not target.is_relative_to(base):
        raise PermissionError(f"{path} is outside {base}")
    with target.open("rb") as f:
        return f.read(max(0, max_bytes)).decode(errors="replace")


@tool
def ask_approval(action: str) -> dict[str, object]:
    """Ask the person at the terminal whether the agent may do ``action``; says whether they approved."""
    answer = input(f"\n  The agent wants to: {action}\n  Approve? [y/N] ")
    return {"approved": answer.strip().lower() in {"y", "yes"}, "answer": answer.strip()}


def main(argv: list[str]) -> int:
    prompt = " ".join(argv) or DEFAULT_PROMPT
    try:
        with (
            AuthenticatedClient.from_env() as client,
            start_turn(client, prompt, tools=[read_file, ask_approval]) as turn,
        ):
            print(f"chat {turn.chat_id}\n> {prompt}")
            for delta in turn.text_stream:  # the tools run here, between deltas, when the agent calls them
                print(delta, end="", flush=True)
            result = turn.wait(timeout=600)
    except errors.TurnError as exc:
        print(f"\nthe agent failed: {exc.message}", file=sys.stderr)
        return 1
    except (errors.CoderChatError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for call in result.tool_calls:
        shown = repr(call.result)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        print(f"\n  [tool call] {call.name}({call.args}) -> {'error: ' if call.is_error else ''}{shown}")
    print(f"[{result.status}: {len(result.messages)} messages]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
