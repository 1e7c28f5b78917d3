"""The ``coder-chat`` command line (also ``python -m coder_chat``): smoke-test a deployment, script a chat.

::

    coder-chat ask "prompt" [--chat ID] [--json]   send a prompt, stream the reply's text to stdout
    coder-chat chats                               the caller's chats: id, status, title (tab-separated)
    coder-chat tail CHAT_ID                        follow a chat: text deltas, status changes, messages
    coder-chat watch                               follow every change to the caller's chats

The deployment and the token come from ``--url`` / ``--token-file``, else from ``CODER_URL`` /
``CODER_SESSION_TOKEN`` (the Coder CLI's names). Exit status: 0 success; 1 the turn failed (or did not
end in time); 2 bad usage or configuration; 3 the server refused (bad token, unknown chat, ...) or sent
what the client cannot use; 4 the server could not be reached, did not answer in time or dropped the
stream for good; 130 interrupted (Ctrl-C), without a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from coder_chat._runtime.exceptions import (
    APIConnectionError,
    CoderChatError,
    StreamDisconnectedError,
    TurnError,
)
from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.chats import list_chats
from coder_chat.client.models import ChatStreamEventType
from coder_chat.streaming import TurnResult, start_turn, stream_chat, watch_chats

__all__ = ["main"]

EXIT_TURN_FAILED, EXIT_USAGE, EXIT_REFUSED, EXIT_UNREACHABLE, EXIT_INTERRUPTED = 1, 2, 3, 4, 130


class _UsageError(Exception):
    """Bad usage or configuration (exit 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coder-chat", description="Talk to Coder's chat API.")
    parser.add_argument("--url", help="the Coder deployment (default: $CODER_URL)")
    parser.add_argument(
        "--token-file", type=Path, help="a file holding the session token (default: $CODER_SESSION_TOKEN)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="send a prompt and stream the reply")
    ask.add_argument("prompt")
    ask.add_argument("--chat", help="an existing chat's id (default: a new chat)")
    ask.add_argument("--json", action="store_true", help="print the whole result as JSON instead of streaming text")
    commands.add_parser("chats", help="list your chats")
    tail = commands.add_parser("tail", help="follow a chat until interrupted")
    tail.add_argument("chat_id")
    commands.add_parser("watch", help="follow changes to your chats until interrupted")
    return parser


def _client(args: argparse.Namespace) -> AuthenticatedClient:
    url = args.url or os.environ.get("CODER_URL", "")
    if not url:
        raise _UsageError("no deployment: pass --url or set CODER_URL")
    if args.token_file is not None:
        try:
            token = args.token_file.read_text().strip()
        except OSError as exc:
            raise _UsageError(f"cannot read --token-file: {exc.strerror}") from None
    else:
        token = os.environ.get("CODER_SESSION_TOKEN", "").strip()
    if not token:
        raise _UsageError("no session token: pass --token-file or set CODER_SESSION_TOKEN")
    try:
        return AuthenticatedClient(base_url=url, token=token)
    except ValueError as exc:
        raise _UsageError(str(exc)) from None


def _ask(client: AuthenticatedClient, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with start_turn(client, args.prompt, chat_id=args.chat) as turn:
        print(f"chat {turn.chat_id}", file=err, flush=True)
        if not args.json:
            for delta in turn.text_stream:
                out.write(delta)
                out.flush()
            out.write("\n")
        try:
            result = turn.wait()
        except TurnError as exc:
            if args.json and isinstance(exc.result, TurnResult):
                print(json.dumps(_result_json(exc.result, error=exc.message)), file=out)
            print(f"coder-chat: the turn failed: {exc.message}", file=err)
            return EXIT_TURN_FAILED
    if args.json:
        print(json.dumps(_result_json(result)), file=out)
    else:
        for call in result.tool_calls:
            status = " (error)" if call.is_error else ""
            print(f"[tool call] {call.name}({json.dumps(call.args)}) -> {json.dumps(call.result)}{status}", file=err)
    return 0


def _result_json(result: TurnResult, error: str | None = None) -> dict[str, Any]:
    return {
        "chat_id": str(result.chat_id),
        "status": None if result.status is None else str(result.status),
        "text": result.text,
        "reasoning": result.reasoning,
        "tool_calls": [
            {"id": c.id, "name": c.name, "args": c.args, "result": c.result, "is_error": c.is_error}
            for c in result.tool_calls
        ],
        "message_ids": [m.id for m in result.messages],
        "error": error,
    }


def _chats(client: AuthenticatedClient, out: TextIO) -> int:
    for chat in list_chats.sync(client=client):
        print(f"{chat.id}\t{chat.status}\t{chat.title}", file=out)
    return 0


def _tail(client: AuthenticatedClient, chat_id: str, out: TextIO) -> int:
    fresh_line = True
    with stream_chat(client, chat_id) as stream:
        for event in stream:
            if event.type_ == ChatStreamEventType.MESSAGE_PART and event.message_part:
                part = event.message_part.part
                if part.type_ == "text" and isinstance(part.text, str):
                    out.write(part.text)
                    out.flush()
                    fresh_line = part.text.endswith("\n")
                continue
            line = None
            if event.type_ == ChatStreamEventType.STATUS and event.status:
                line = f"[status {event.status.status}]"
            elif event.type_ == ChatStreamEventType.MESSAGE and event.message:
                line = f"[message #{event.message.id} {event.message.role}]"
            elif event.type_ == ChatStreamEventType.ERROR and event.error:
                line = f"[error {event.error.message}]"
            if line is not None:
                print(("" if fresh_line else "\n") + line, file=out, flush=True)
                fresh_line = True
    return 0


def _watch(client: AuthenticatedClient, out: TextIO) -> int:
    with watch_chats(client) as watch:
        for event in watch:
            print(f"{event.kind}\t{event.chat.id}\t{event.chat.status}\t{event.chat.title}", file=out, flush=True)
    return 0


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (``coder-chat`` exits with it)."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    args = _parser().parse_args(argv)
    try:
        with _client(args) as client:
            if args.command == "ask":
                return _ask(client, args, out, err)
            if args.command == "chats":
                return _chats(client, out)
            if args.command == "tail":
                return _tail(client, args.chat_id, out)
            return _watch(client, out)
    except KeyboardInterrupt:
        print(file=err)
        return EXIT_INTERRUPTED
    except _UsageError as exc:
        print(f"coder-chat: {exc}", file=err)
        return EXIT_USAGE
    except TurnError as exc:  # TurnTimeoutError too, before APIConnectionError (it is also an APITimeoutError)
        print(f"coder-chat: {exc}", file=err)
        return EXIT_TURN_FAILED
    except (APIConnectionError, StreamDisconnectedError) as exc:
        print(f"coder-chat: {exc}", file=err)
        return EXIT_UNREACHABLE
    except CoderChatError as exc:  # APIError, an answer that does not match the API, a stream error
        print(f"coder-chat: {exc}", file=err)
        return EXIT_REFUSED
    except ValueError as exc:  # a chat id that is no UUID, say
        print(f"coder-chat: {exc}", file=err)
        return EXIT_USAGE


def run() -> None:
    """The console script: ``sys.exit(main())``."""
    sys.exit(main())
