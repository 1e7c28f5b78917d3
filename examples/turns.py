"""Ask the agent something, print its reply as it streams, and queue a follow-up while it works.

The follow-up is sent while the first turn is still running, so the server queues it; its ``Turn``
still answers with the follow-up's own reply, not the turn in progress when it was sent. Runs
against a real Coder deployment with the names the Coder CLI uses::

    CODER_URL=https://coder.example.com CODER_SESSION_TOKEN=... python -m examples.turns "Fix the flaky test"

``make demo`` runs it against the fake server in tests/fakecoder instead.
"""

from __future__ import annotations

import sys

from coder_chat.client import AuthenticatedClient, errors
from coder_chat.streaming import start_turn

DEFAULT_PROMPT = "List the files in the repository and tell me what the project does."
FOLLOW_UP = "Now summarise that in one sentence."


def main(argv: list[str]) -> int:
    prompt = " ".join(argv) or DEFAULT_PROMPT
    try:
        with AuthenticatedClient.from_env() as client, start_turn(client, prompt) as turn:
            print(f"chat {turn.chat_id}\n> {prompt}")
            deltas = iter(turn.text_stream)
            print(next(deltas, ""), end="", flush=True)  # the reply has begun: the chat is busy
            with start_turn(client, FOLLOW_UP, chat_id=turn.chat_id) as follow_up:  # queued
                for delta in deltas:
                    print(delta, end="", flush=True)
                first = turn.wait()
                for call in first.tool_calls:
                    print(f"\n  [tool call] {call.name}({call.args}) -> {call.result}")
                print(f"\n[{first.status}: {len(first.messages)} messages]\n> {FOLLOW_UP}")
                for delta in follow_up.text_stream:
                    print(delta, end="", flush=True)
                second = follow_up.wait()
                print(f"\n[{second.status}: {len(second.messages)} messages, the follow-up's own answer]")
    except errors.TurnError as exc:
        print(f"\nthe agent failed: {exc.message}", file=sys.stderr)
        return 1
    except (errors.CoderChatError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
