"""The ``coder-chat`` command line (also ``python -m coder_chat``): smoke-test a deployment, script a chat.

::

    coder-chat ask "prompt" [--chat ID] [--json] [--timeout SECONDS]
                                send a prompt, stream the reply's text to stdout
    coder-chat chats            the caller's chats: id, status, title (tab-separated)
    coder-chat tail CHAT_ID     follow a chat: text deltas, status changes, messages
    coder-chat watch            follow every change to the caller's chats
    coder-chat info             the deployment: URL, Coder version, chat API generation, user, organization

Every command works on both chat API generations (the experimental one, Coder 2.37 and older; v2, Coder
2.37 and later), through the same task API, which picks the routes (``streaming/_routes.py``).

The deployment and the token come from ``--url`` / ``--token-file``, else from ``CODER_URL`` /
``CODER_SESSION_TOKEN`` (the Coder CLI's names). Exit status: 0 success (also when the reader of stdout
went away, as in ``coder-chat chats | head -1``); 1 the turn failed or did not end within ``--timeout``;
2 bad usage or configuration; 3 the server refused (bad token, unknown chat, ...) or sent what the
client cannot use; 4 the server could not be reached, did not answer in time or dropped the stream for
good; 130 interrupted (Ctrl-C), without a traceback.

Only the standard library is imported at module level: the package (httpx, websockets, the models;
a few hundred milliseconds) loads inside ``main()``, where Ctrl-C is handled, so an interrupt ends
quietly from the moment ``run()`` starts (before that, the interpreter's own start-up and the standard
library's imports take a few milliseconds).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from coder_chat.client import AuthenticatedClient
    from coder_chat.streaming import TurnResult

__all__ = ["main"]

EXIT_OK, EXIT_TURN_FAILED, EXIT_USAGE, EXIT_REFUSED, EXIT_UNREACHABLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


class _UsageError(Exception):
    """Bad usage or configuration (exit 2)."""


class _TimedOut(Exception):
    """The command did not end within ``--timeout`` seconds (exit 1)."""


_WORKER = "coder-chat-ask"  # the thread of a command with a --timeout


def _chat_id(value: str) -> str:
    """argparse type of a chat id: a bad one is a usage error that names the argument."""
    try:
        uuid.UUID(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a chat id (a UUID): {value!r}") from None
    return value


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {value!r}")
    return seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coder-chat", description="Talk to Coder's chat API.")
    parser.add_argument("--url", help="the Coder deployment (default: $CODER_URL)")
    parser.add_argument(
        "--token-file", type=Path, help="a file holding the session token (default: $CODER_SESSION_TOKEN)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="send a prompt and stream the reply")
    ask.add_argument("prompt")
    ask.add_argument("--chat", type=_chat_id, metavar="CHAT_ID", help="an existing chat's id (default: a new chat)")
    ask.add_argument("--json", action="store_true", help="print the whole result as JSON instead of streaming text")
    ask.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="give up (exit 1) when the turn has not ended after this long; it goes on server-side",
    )
    commands.add_parser("chats", help="list your chats")
    tail = commands.add_parser("tail", help="follow a chat until interrupted")
    tail.add_argument("chat_id", type=_chat_id, metavar="CHAT_ID")
    commands.add_parser("watch", help="follow changes to your chats until interrupted")
    commands.add_parser("info", help="the deployment's URL, Coder version, chat API generation, user and organization")
    return parser


def _client(args: argparse.Namespace) -> AuthenticatedClient:
    from coder_chat.client import AuthenticatedClient

    url = args.url or os.environ.get("CODER_URL", "")
    if not url:
        raise _UsageError("no deployment: pass --url or set CODER_URL")
    if args.token_file is not None:
        try:
            token = args.token_file.read_text().strip()
        except OSError as exc:
            raise _UsageError(f"cannot read --token-file: {exc.strerror}") from None
        except UnicodeDecodeError:  # (its message would show the bytes)
            raise _UsageError("cannot read --token-file: it is not UTF-8 text") from None
    else:
        token = os.environ.get("CODER_SESSION_TOKEN", "").strip()
    if not token:
        raise _UsageError("no session token: pass --token-file or set CODER_SESSION_TOKEN")
    try:
        client = AuthenticatedClient(base_url=url, token=token)
        client.ssl_context()  # CA certificates that cannot be loaded: a setup mistake, said before any request
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    return client


def _within(seconds: float | None, command: Callable[[], int]) -> int:
    """``command()``; with ``seconds``, run in a thread that is given up on after that long (``_TimedOut``).

    A thread, because the deadline covers everything the command blocks on (sending the prompt,
    connecting, the agent's work) and none of it can be interrupted from outside; the process exits
    right after, leaving the daemon thread behind (see ``run()``).
    """
    if seconds is None:
        return command()
    outcome: list[int | BaseException] = []

    def work() -> None:
        try:
            outcome.append(command())
        except BaseException as exc:  # raised again by the main thread
            outcome.append(exc)

    worker = threading.Thread(target=work, name=_WORKER, daemon=True)
    worker.start()
    worker.join(min(seconds, threading.TIMEOUT_MAX))  # (a longer wait overflows)
    if not outcome:
        raise _TimedOut(f"the turn did not end within {seconds:g} s (it goes on server-side)")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _ask(client: AuthenticatedClient, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from coder_chat.client.errors import TurnError
    from coder_chat.streaming import TurnResult, start_turn

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
            if any(call.id == pending.id for pending in result.pending_tool_calls):
                continue
            status = " (error)" if call.is_error else ""
            print(f"[tool call] {call.name}({json.dumps(call.args)}) -> {json.dumps(call.result)}{status}", file=err)
        for call in result.pending_tool_calls:  # the chat waits for client-side tool results (v2)
            print(f"[requires action] {call.name}({json.dumps(call.args)}) id {call.id}", file=err)
    return EXIT_OK


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
        "pending_tool_calls": [{"id": c.id, "name": c.name, "args": c.args} for c in result.pending_tool_calls],
        "message_ids": [m.id for m in result.messages],
        "error": error,
        "error_kind": result.error.kind if result.error is not None and isinstance(result.error.kind, str) else None,
    }


def _chats(client: AuthenticatedClient, out: TextIO) -> int:
    from coder_chat.streaming._routes import routes_for

    for chat in routes_for(client).list_chats(client=client):
        print(f"{chat.id}\t{chat.status}\t{chat.title}", file=out)
    return EXIT_OK


def _tail(client: AuthenticatedClient, chat_id: str, out: TextIO) -> int:
    from coder_chat.client.models import ChatStreamEventType
    from coder_chat.streaming import stream_chat

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
    return EXIT_OK


def _watch(client: AuthenticatedClient, out: TextIO) -> int:
    from coder_chat.streaming import watch_chats

    with watch_chats(client) as watch:
        for event in watch:
            print(f"{event.kind}\t{event.chat.id}\t{event.chat.status}\t{event.chat.title}", file=out, flush=True)
    return EXIT_OK


def _info(client: AuthenticatedClient, out: TextIO) -> int:
    """What a person smoke-testing a deployment wants first: where, which Coder, which chat API, who."""
    import httpx

    from coder_chat.client.api.v2 import get_build_info, get_user, list_user_organizations
    from coder_chat.client.errors import NotFoundError
    from coder_chat.streaming import detect_api
    from coder_chat.streaming._organizations import resolve_organization

    print(f"url: {httpx.URL(client.base_url).copy_with(userinfo=b'')}", file=out)  # never a password in the URL
    print(f"coder version: {get_build_info.sync(client=client).version}", file=out)
    print(f"chat api: {detect_api(client)}", file=out)
    print(f"user: {get_user.sync('me', client=client).username}", file=out)
    try:
        chosen = resolve_organization(client)
    except ValueError as exc:  # several organizations and no default, an unknown CODER_ORGANIZATION ...
        print(f"organization: none chosen ({exc})", file=out)
        return EXIT_OK
    if chosen is None:
        print("organization: none (this server does not list organizations; none is sent)", file=out)
        return EXIT_OK
    try:
        names = {o.id: o.name for o in list_user_organizations.sync("me", client=client)}
    except NotFoundError:
        names = {}
    name = names.get(chosen)
    print(f"organization: {chosen}" if name is None else f"organization: {name} ({chosen})", file=out)
    return EXIT_OK


def _command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _client(args) as client:
        if args.command == "ask":
            return _within(args.timeout, lambda: _ask(client, args, out, err))
        if args.command == "chats":
            return _chats(client, out)
        if args.command == "tail":
            return _tail(client, args.chat_id, out)
        if args.command == "info":
            return _info(client, out)
        return _watch(client, out)


def _failure(exc: Exception) -> int | None:
    """The exit status for an error the command line explains in one line (None: a bug, let it show)."""
    if isinstance(exc, _UsageError):
        return EXIT_USAGE
    if isinstance(exc, _TimedOut):
        return EXIT_TURN_FAILED
    from coder_chat.client.errors import APIConnectionError, CoderChatError, StreamDisconnectedError, TurnError

    if isinstance(exc, TurnError):  # TurnTimeoutError too, before APIConnectionError (it is also an APITimeoutError)
        return EXIT_TURN_FAILED
    if isinstance(exc, APIConnectionError | StreamDisconnectedError):
        return EXIT_UNREACHABLE
    if isinstance(exc, CoderChatError):  # APIError, an answer that does not match the API, a stream error
        return EXIT_REFUSED
    return None


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (``coder-chat`` exits with it).

    A usage error exits (``SystemExit(2)``, argparse's). A closed ``out`` raises ``BrokenPipeError``
    (``run()`` ends quietly on it), and so does an error that is a bug rather than a failure to explain.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    args = _parser().parse_args(argv)
    try:
        return _command(args, out, err)
    except KeyboardInterrupt:
        print(file=err)
        return EXIT_INTERRUPTED
    except Exception as exc:
        status = _failure(exc)
        if status is None:
            raise
        print(f"coder-chat: {exc}", file=err)
        return status


def _quiet_stdout() -> None:
    """The reader of stdout went away: point stdout at /dev/null, so that the interpreter's last flush
    of what is still buffered does not fail too (the recipe in the ``signal`` module's docs)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def run() -> None:
    """The console script: ``sys.exit(main())``, quiet on Ctrl-C (130) and on a closed stdout (0)."""
    try:
        status = main()
        sys.stdout.flush()  # a reader that went away shows here at the latest, while it can be handled
    except KeyboardInterrupt:  # before main's own handler: while the package loads, or during argparse
        print(file=sys.stderr)
        status = EXIT_INTERRUPTED
    except BrokenPipeError:  # `coder-chat chats | head -1`: the reader has what it wanted
        _quiet_stdout()
        status = EXIT_OK
    # From here on Ctrl-C ends the process at once (no KeyboardInterrupt in the interpreter's shutdown).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if any(thread.name == _WORKER for thread in threading.enumerate()):
        # A --timeout command given up on (or interrupted) still runs: skip the interpreter's shutdown,
        # whose last flush of stdout aborts the process if that thread holds stdout's lock just then.
        with contextlib.suppress(OSError):
            sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
