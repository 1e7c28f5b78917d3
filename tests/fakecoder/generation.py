"""The one place where the fake's API generation is decided: which routes it serves and in which
shapes (API-v2.md §0.2).

- `experimental`: the seed-era API on `/api/experimental/chats` (the experimental store, envelopes,
  the watch's initial ping). `/api/v2/chats` answers 404, as on Coder 2.36 and older.
- `2.37`: Coder 2.37's compatibility window: the v2 API on `/api/v2/chats` and the same handlers,
  in the same v2 shapes, on `/api/experimental/chats`, where the legacy provider routes answer 410
  and `/models`, `/model-configs` are reserved (404).
- `current`: after coder/coder#29548: `/api/v2/chats` only; `/api/experimental/chats` keeps no route
  the fake serves (404 once authenticated, 400 for a segment that falls into `{chat}`).
Every generation serves `/api/v2/buildinfo`, `/api/v2/users/{user}[/organizations]` and
`/api/v2/organizations/{organization}`, as every Coder does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from starlette.responses import Response

from . import routes_admin as admin
from . import routes_chats as chats
from . import routes_models_v2 as models
from . import routes_users as users
from . import routes_v2 as v2
from .faults import FrameFormat, WatchFrameFormat
from .routes_chats import Call
from .state import State
from .state_v2 import StateV2

GenerationName = Literal["experimental", "2.37", "current"]
GENERATION_NAMES: tuple[GenerationName, ...] = ("experimental", "2.37", "current")
Handler = Callable[[Call], Awaitable[Response]]
# "*" matches one path segment, passed to the handler in `Call.params`.
RouteTable = dict[tuple[str, ...], dict[str, Handler]]
ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Mount:
    """The chat API under `prefix + "/chats"`: static routes, then the `{chat}` sub-routes."""

    prefix: str
    top: RouteTable
    chat: RouteTable
    reserved: frozenset[str] = frozenset()  # first segments that answer 404 Route not found
    sockets: bool = True  # serves the stream and watch websockets

    @property
    def static_first(self) -> frozenset[str]:
        """First segments that are static routes (everything else is a `{chat}`)."""
        return frozenset(p[0] for p in self.top if p) | self.reserved


@dataclass(frozen=True)
class Generation:
    """What one generation serves: its store, its mounts, its socket frames, its version."""

    name: GenerationName
    version: str
    state_class: type[State]
    mounts: tuple[Mount, ...]
    api_routes: RouteTable  # other authenticated /api/v2 routes
    frame_format: FrameFormat
    watch_frame_format: WatchFrameFormat
    spec_aliases: dict[str, str] = field(default_factory=dict)  # prefix -> prefix the spec describes
    off_spec: tuple[str, ...] = ()  # path prefixes whose answers the spec does not describe here

    @property
    def v2(self) -> bool:
        return self.state_class is StateV2

    def spec_path(self, path: str) -> str | None:
        """The path whose operation in openapi.yaml describes `path` here: 2.37's experimental mount
        is the v2 API under another prefix; None for the routes this generation lacks or keeps only
        as tombstones (the spec describes them as the other generation serves them)."""
        if path.startswith(self.off_spec):
            return None
        for alias, described in self.spec_aliases.items():
            if path.startswith(alias + "/chats"):
                return described + path[len(alias) :]
        return path


EXPERIMENTAL_TOP: RouteTable = {
    (): {"GET": chats.list_chats, "POST": chats.create_chat},
    ("watch",): {"GET": chats.stream_without_upgrade},
    ("models",): {"GET": admin.list_models},
    ("providers",): {"GET": admin.list_providers, "POST": admin.create_provider},
    ("providers", "*"): {"PATCH": admin.update_provider, "DELETE": admin.delete_provider},
    ("model-configs",): {"GET": admin.list_model_configs, "POST": admin.create_model_config},
    ("model-configs", "*"): {"PATCH": admin.update_model_config, "DELETE": admin.delete_model_config},
}
# There is deliberately no `git-changes`: no seed-era coderd registers it, so it is a 404
# "Route not found." after the chat checks.
EXPERIMENTAL_CHAT: RouteTable = {
    (): {"GET": chats.get_chat, "DELETE": chats.delete_chat},
    ("messages",): {"POST": chats.post_message},
    ("messages", "*"): {"PATCH": chats.edit_message},
    ("stream",): {"GET": chats.stream_without_upgrade},
    ("interrupt",): {"POST": chats.interrupt},
    ("diff-status",): {"GET": chats.diff_status},
    ("diff",): {"GET": chats.diff_contents},
    ("queue", "*"): {"DELETE": chats.delete_queued},
    ("queue", "*", "promote"): {"POST": chats.promote_queued},
}
V2_TOP: RouteTable = {
    (): {"GET": v2.list_chats, "POST": v2.create_chat},
    ("watch",): {"GET": chats.stream_without_upgrade},
    ("files",): {"POST": users.upload_file},
    ("files", "*"): {"GET": users.get_file},
}
V2_CHAT: RouteTable = {
    (): {"GET": v2.get_chat, "PATCH": v2.update_chat},
    ("cost",): {"GET": v2.chat_cost},
    ("messages",): {"GET": v2.list_messages, "POST": v2.post_message},
    ("messages", "*"): {"PATCH": v2.edit_message},
    ("interrupt",): {"POST": v2.interrupt},
    ("tool-results",): {"POST": v2.submit_tool_results},
    ("diff",): {"GET": chats.diff_contents},
    ("queue", "*"): {"DELETE": v2.delete_queued},
    ("queue", "*", "promote"): {"POST": v2.promote_queued},
    ("stream",): {"GET": chats.stream_without_upgrade},
}
_GONE: dict[str, Handler] = dict.fromkeys(ALL_METHODS, v2.legacy_gone)
# 2.37's experimental mount: the v2 handlers, legacy provider tombstones, reserved model routes.
V2_COMPAT_TOP: RouteTable = {
    **V2_TOP,
    ("providers",): _GONE,
    ("providers", "*"): _GONE,
    ("user-provider-configs",): _GONE,
    ("user-provider-configs", "*"): _GONE,
}
USER_ROUTES: RouteTable = {
    ("users", "*"): {"GET": users.get_user},
    ("users", "*", "organizations"): {"GET": users.user_organizations},
    ("organizations", "*"): {"GET": users.get_organization},
}
V2_USER_ROUTES: RouteTable = {
    **USER_ROUTES,
    ("organizations", "*", "chats", "models"): {"GET": models.list_models, "POST": models.create_model},
    ("organizations", "*", "chats", "models", "*"): {
        "GET": models.get_model,
        "PATCH": models.update_model,
        "DELETE": models.delete_model,
    },
}

V2_MOUNT = Mount("/api/v2", V2_TOP, V2_CHAT, frozenset({"model-configs"}))
GENERATIONS: dict[GenerationName, Generation] = {
    "experimental": Generation(
        "experimental",
        "v2.36.4",
        State,
        (Mount("/api/experimental", EXPERIMENTAL_TOP, EXPERIMENTAL_CHAT),),
        USER_ROUTES,
        "envelope",
        "envelope",
        off_spec=("/api/v2/chats",),
    ),
    "2.37": Generation(
        "2.37",
        "v2.37.0",
        StateV2,
        (
            Mount("/api/v2", V2_TOP, V2_CHAT, frozenset({"model-configs", "providers", "user-provider-configs"})),
            Mount("/api/experimental", V2_COMPAT_TOP, V2_CHAT, frozenset({"models", "model-configs"})),
        ),
        V2_USER_ROUTES,
        "bare",
        "bare",
        {"/api/experimental": "/api/v2"},
        tuple(
            f"/api/experimental/chats/{s}" for s in ("providers", "user-provider-configs", "models", "model-configs")
        ),
    ),
    "current": Generation(
        "current",
        "v2.39.0",
        StateV2,
        (V2_MOUNT, Mount("/api/experimental", {}, {}, sockets=False)),
        V2_USER_ROUTES,
        "bare",
        "bare",
        off_spec=("/api/experimental/chats",),
    ),
}


def generation(name: str) -> Generation:
    """The generation called `name`, or a ValueError naming the known ones."""
    if name not in GENERATIONS:  # a str from the command line, or a typo
        raise ValueError(f"unknown generation {name!r}: expected one of {', '.join(GENERATION_NAMES)}")
    return GENERATIONS[name]
