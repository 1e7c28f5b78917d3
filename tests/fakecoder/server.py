"""`FakeCoder`: the fake server on 127.0.0.1 in a background thread, plus its knobs."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

import uvicorn

from .app import build_app
from .assistant import Runner, Script
from .context import Context
from .faults import Knobs
from .generation import GenerationName
from .generation import generation as generation_named
from .server_faults import FaultControls
from .state import Chat
from .wire import JSONDict, new_uuid

_GITHUB_REMOTE = re.compile(
    r"^(?:git@github\.com:|(?:https?|ssh)://(?:[^@/]+@)?github\.com/)"
    r"([^/]+)/([^/]+?)(?:\.git)?/?$"
)


def branch_url(remote_origin: str | None, branch: str | None) -> str | None:
    """GitHub branch page for a remote, e.g. .../tree/feature%2Fx (None if not GitHub)."""
    match = _GITHUB_REMOTE.match((remote_origin or "").strip())
    if match is None or not branch:
        return None
    # Go's url.PathEscape: a path segment keeps $&+,;=:@ but escapes "/".
    return f"https://github.com/{match.group(1)}/{match.group(2)}/tree/{quote(branch, safe='$&+,;=:@')}"


class _Server(uvicorn.Server):
    """uvicorn's server, noticing `should_exit` within 10 ms instead of 100 ms."""

    async def main_loop(self) -> None:
        # Same as uvicorn's loop with a 10x faster tick: stopping a fake per test
        # otherwise costs a tenth of a second of pure waiting.
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 8_640_000
            await asyncio.sleep(0.01)
            should_exit = await self.on_tick(counter)


class FakeCoder(FaultControls):
    """An in-memory Coder chat API on real HTTP and websockets at `url`.

    Use as a context manager, or call `start()` / `stop()`. Attributes:
    url, admin_token, member_token, admin_id, member_id, organization_id, generation (what
    generation.py serves), api_prefix, state (the `State`, a `StateV2` on v2 generations),
    script (the `Script` used for the next assistant turn; assign a new one freely),
    knobs (raw `Knobs`), spec_violations (list, filled when validating the spec).
    """

    def __init__(
        self,
        *,
        script: Script | None = None,
        ping_interval: float | None = 15.0,
        ping_timeout: float | None = 20.0,
        validate_spec_path: str | Path | None = None,
        port: int = 0,
        log_level: str = "warning",
        access_log: bool = False,
        generation: GenerationName = "experimental",
    ) -> None:
        """script: how assistant turns behave (default `Script()`).
        ping_interval / ping_timeout: protocol ping period and pong deadline in seconds,
        server-wide (None: never ping; needed to make a stream truly silent).
        validate_spec_path: check every HTTP exchange against this OpenAPI file.
        port: 0 picks a free port. log_level / access_log: uvicorn's loggers; the global
        logging configuration is left alone (records propagate to the root logger).
        generation: the API generation served (generation.py): "experimental" (the seed-era
        `/api/experimental/chats`, the default here), "2.37" (v2 on `/api/v2/chats` and on the
        experimental compatibility mount) or "current" (v2 on `/api/v2/chats` only)."""
        self.generation = generation_named(generation)
        self.state = self.generation.state_class()
        self.runner = Runner(self.state, script or Script())
        self.knobs = Knobs(
            frame_format=self.generation.frame_format,
            watch_frame_format=self.generation.watch_frame_format,
            default_frame_format=self.generation.frame_format,
            default_watch_frame_format=self.generation.watch_frame_format,
        )
        self.ctx = Context(self.state, self.runner, self.knobs, self.generation)
        self._validator: Any = None
        if validate_spec_path is not None:
            from .spec import SpecValidator  # openapi-core is only needed for this

            self._validator = SpecValidator(validate_spec_path, self.generation.spec_path)
        wrap = self._validator.wrap if self._validator is not None else None
        self._config = uvicorn.Config(
            build_app(self.ctx, wrap),
            ws="websockets-sansio",
            http="h11",
            lifespan="on",
            ws_ping_interval=ping_interval,
            ws_ping_timeout=ping_timeout,
            log_config=None,
            log_level=log_level,
            access_log=access_log,
            timeout_graceful_shutdown=2,
        )
        self._server = _Server(self._config)
        self._port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------

    def start(self, timeout: float = 10.0) -> FakeCoder:
        """Bind 127.0.0.1, serve in a daemon thread, return once accepting connections.
        An instance serves once: after `stop()`, make a new one."""
        if self._sock is not None or self._server.started:
            raise RuntimeError("fakecoder: already started (an instance serves once)")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self._port))
        self._sock = sock
        self._port = int(sock.getsockname()[1])
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="fakecoder-uvicorn", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("fakecoder: server did not start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Close streams (1012), cancel turns, stop the loop, join the thread. Idempotent."""
        if self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(timeout)
            self._thread = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> FakeCoder:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (still readable after `stop()`)."""
        if self._port == 0:
            raise RuntimeError("fakecoder: not started")
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:54321 (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def admin_token(self) -> str:
        """Session token of the owner (admin) user."""
        return self.state.admin.token

    @property
    def member_token(self) -> str:
        """Session token of a plain member (403 on providers and model configs)."""
        return self.state.member.token

    @property
    def organization_id(self) -> str:
        """The id of the one (default) organization both users belong to."""
        return str(self.state.organization["id"])

    @property
    def api_prefix(self) -> str:
        """Where this generation's chat API lives: `/api/v2` (v2) or `/api/experimental`."""
        return self.generation.mounts[0].prefix

    @property
    def admin_id(self) -> str:
        return self.state.admin.id

    @property
    def member_id(self) -> str:
        return self.state.member.id

    @property
    def script(self) -> Script:
        return self.runner.script

    @script.setter
    def script(self, value: Script) -> None:
        self.runner.script = value

    @property
    def spec_violations(self) -> list[str]:
        """Spec problems seen so far (always empty without validate_spec_path)."""
        return self._validator.violations if self._validator is not None else []

    @property
    def spec_checked(self) -> int:
        """How many HTTP exchanges were validated against the spec."""
        return int(self._validator.checked) if self._validator is not None else 0

    # --- state helpers -------------------------------------------------------

    def _chat(self, chat_id: str) -> Chat:
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise KeyError(f"fakecoder: no chat {chat_id}")
        return chat

    def create_chat(self, text: str = "hello", *, owner: str = "admin") -> str:
        """Create a chat directly (no HTTP) for `owner` ("admin" or "member")."""
        user = self.state.admin if owner == "admin" else self.state.member
        with self.state.lock:
            default = self.state.default_model_config()
            config_id = str(default["id"]) if default else new_uuid()
            return self.state.create_chat(user, [{"type": "text", "text": text}], config_id).id

    def create_child_chat(self, parent_id: str, *, title: str = "Sub-agent", status: str = "running") -> str:
        """A sub-agent chat under `parent_id` (no messages, no assistant turn)."""
        with self.state.lock:
            parent = self._chat(parent_id)
            owner = self.state.users[parent.owner_id]
            chat = self.state.create_chat(owner, [], parent.last_model_config_id, parent=parent, title=title)
            self.runner.cancel_turn(chat.id)
            self.state.set_status(chat, status)
            return chat.id

    def set_chat_status(self, chat_id: str, status: str) -> None:
        """Set and publish a status (reaches ancestors' streams too: sub-agent statuses)."""
        with self.state.lock:
            self.state.set_status(self._chat(chat_id), status)

    def start_turn(self, chat_id: str) -> None:
        """Run an assistant turn now (for `Script(auto_run=False)`)."""
        with self.state.lock:
            self._chat(chat_id)
            self.runner.start_turn(chat_id, force=True)

    def wait_idle(self, chat_id: str, timeout: float = 5.0) -> str:
        """Block until the chat rests (experimental: not pending or running; v2: not running or
        interrupting, so `requires_action` is a rest); returns its status."""
        deadline = time.monotonic() + timeout
        while True:
            with self.state.lock:
                status = self._chat(chat_id).status
            if status not in self.state.busy:
                return status
            if time.monotonic() > deadline:
                raise TimeoutError(f"fakecoder: chat {chat_id} still {status}")
            time.sleep(0.005)

    def publish_event(self, chat_id: str, event: JSONDict) -> None:
        """Send an arbitrary event to the chat's open streams (`chat_id` added if missing)."""
        with self.state.lock:
            self.state.publish(self._chat(chat_id), {"chat_id": chat_id, **event})

    def add_workspace(self, owner: str = "admin") -> str:
        """A workspace (with one agent) that create-chat can bind to; returns its id."""
        user = self.state.admin if owner == "admin" else self.state.member
        ws = {"id": new_uuid(), "owner_id": user.id, "agent_id": new_uuid()}
        with self.state.lock:
            self.state.workspaces[ws["id"]] = ws
        return str(ws["id"])

    def set_diff_status(
        self,
        chat_id: str,
        *,
        remote_origin: str | None = None,
        branch: str | None = None,
        pull_request_url: str | None = None,
        pull_request_state: str | None = None,
        changes_requested: bool = False,
        additions: int = 0,
        deletions: int = 0,
        changed_files: int = 0,
        refreshed_at: str | None = None,
        stale_at: str | None = None,
    ) -> None:
        """Cache a diff status and publish `diff_status_change` (carrying it, as newer servers do) to
        the owner's watch sockets. Without a PR URL a GitHub remote gives the branch URL; the PR
        state is trimmed and lowercased, as upstream does."""
        url = pull_request_url or branch_url(remote_origin, branch)
        state = pull_request_state.strip().lower() if pull_request_state is not None else None
        with self.state.lock:
            self.state.set_diff_status(
                self._chat(chat_id),
                {
                    "url": url,
                    "pull_request_state": state,
                    "changes_requested": changes_requested,
                    "additions": additions,
                    "deletions": deletions,
                    "changed_files": changed_files,
                    "refreshed_at": refreshed_at,
                    "stale_at": stale_at,
                },
            )

    def set_title(self, chat_id: str, title: str) -> None:
        """Retitle a chat and publish `title_change` to its owner's watch sockets (newer servers
        generate titles asynchronously after the first turn; the seed never changes one)."""
        with self.state.lock:
            self.state.set_title(self._chat(chat_id), title)

    def delete_chat(self, chat_id: str) -> None:
        """Delete a chat and its descendants directly (no HTTP); publishes `deleted` for the chat."""
        with self.state.lock:
            self.state.delete_chat(self._chat(chat_id))

    def set_diff_reference(
        self,
        chat_id: str,
        *,
        provider: str | None = None,
        remote_origin: str | None = None,
        branch: str | None = None,
        pull_request_url: str | None = None,
        diff: str = "",
    ) -> None:
        """Cache the repository reference `GET /diff` answers from."""
        with self.state.lock:
            self._chat(chat_id).diff_ref = {
                "provider": provider,
                "remote_origin": remote_origin,
                "branch": branch,
                "pull_request_url": pull_request_url,
                "diff": diff,
            }

    def set_extra_chat_fields(self, **fields: Any) -> None:
        """Add fields to every Chat JSON (newer-server fields such as archived=False)."""
        self.state.extra_chat_fields = dict(fields)


__all__ = ["FakeCoder", "branch_url"]
