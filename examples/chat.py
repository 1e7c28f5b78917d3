"""Create a chat with a prompt, print the agent's reply as it streams, then the persisted messages.

Runs against a real Coder deployment with the names the Coder CLI uses::

    CODER_URL=https://coder.example.com CODER_SESSION_TOKEN=... python examples/chat.py "Fix the flaky test"

`make demo` runs it against the fake server in tests/fakecoder instead.
"""

from __future__ import annotations

import os
import sys
from uuid import UUID

from coder_chat.client import AuthenticatedClient, errors
from coder_chat.client.api.chats import create_chat, get_chat
from coder_chat.client.models import (
    ChatInputPart,
    ChatInputPartType,
    ChatMessage,
    ChatStatus,
    ChatStreamEventType,
    ChatStreamMessagePart,
    CreateChatRequest,
)
from coder_chat.streaming import ChatAccumulator, StreamError, stream_chat

DEFAULT_PROMPT = "List the files in the repository and tell me what the project does."
# A turn ends when the chat, having run, waits for the user again (or fails).
_FINISHED = {ChatStatus.WAITING, ChatStatus.ERROR, ChatStatus.COMPLETED}


def follow_turn(client: AuthenticatedClient, chat_id: UUID) -> ChatAccumulator:
    """Print the assistant's text and tool calls as they stream, until the turn is over."""
    state = ChatAccumulator(chat_id)
    ran = False
    shown_tool_calls: set[str] = set()
    with stream_chat(client, chat_id) as stream:
        for event in stream:
            state.apply(event)
            if (
                event.type_ == ChatStreamEventType.MESSAGE_PART
                and isinstance(event.message_part, ChatStreamMessagePart)
                and event.chat_id == chat_id
            ):
                part = event.message_part.part
                if part.type_ == "text" and part.text:
                    print(part.text, end="", flush=True)
            for call_id, call in state.turn.tool_calls.items():
                if call.args is not None and call_id not in shown_tool_calls:
                    shown_tool_calls.add(call_id)
                    print(f"\n  [tool call] {call.name}({call.args})", flush=True)
            if event.type_ == ChatStreamEventType.STATUS and event.chat_id == chat_id:
                ran = ran or state.status == ChatStatus.RUNNING
                if ran and state.status in _FINISHED:
                    break
    print()
    return state


def describe(message: ChatMessage) -> str:
    pieces = []
    for part in message.content or []:
        if part.type_ in ("text", "reasoning"):
            pieces.append(f"{part.type_}: {part.text}")
        elif part.type_ == "tool-call":
            pieces.append(f"tool-call {part.tool_name}({part.args})")
        elif part.type_ == "tool-result":
            pieces.append(f"tool-result {part.tool_name} -> {part.result}")
        else:
            pieces.append(str(part.type_))
    return f"#{message.id} {message.role:<9} " + " | ".join(pieces)


def main(argv: list[str]) -> int:
    url, token = os.environ.get("CODER_URL"), os.environ.get("CODER_SESSION_TOKEN")
    if not url or not token:
        print("Set CODER_URL and CODER_SESSION_TOKEN (or run `make demo`).", file=sys.stderr)
        return 2
    prompt = " ".join(argv) or DEFAULT_PROMPT
    try:
        with AuthenticatedClient(base_url=url, token=token) as client:
            request = CreateChatRequest(content=[ChatInputPart(type_=ChatInputPartType.TEXT, text=prompt)])
            chat = create_chat.sync(client=client, body=request)
            print(f"chat {chat.id} '{chat.title}' ({chat.status})")
            print(f"> {prompt}")
            state = follow_turn(client, chat.id)
            if state.error:
                print(f"the agent failed: {state.error}", file=sys.stderr)
                return 1
            print("persisted messages:")
            for message in get_chat.sync(chat.id, client=client).messages:
                print("  " + describe(message))
    except (errors.CoderChatError, StreamError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
