"""Exactly-once delivery of the v2 stream's own identities: episodes, part ``seq``, resets, history.

Pure; ``ReplayFilter`` (``replay.py``) hands the watched chat's v2 events here. The rules are in
docs/protocol.md ("v2: episodes, seq and resets"): a part that carries ``history_version``,
``generation_attempt`` and ``seq`` is kept or dropped by its episode and ``seq``, with no fingerprint;
the ``preview_reset`` of a reconnect's sync is held until the next event says whether it replays what
was delivered; a ``history_reset`` and its messages are held until the next event of another type,
then delivered whole (live, a rewrite, or a consumer with no message yet) or only as the messages that
are new or changed.
"""

from __future__ import annotations

from coder_chat.client.models import ChatMessage, ChatStreamEvent, ChatStreamMessagePart

from .fingerprint import fingerprint

__all__ = ["Episodes", "episode_of", "history_digests", "rewritten"]

Episode = tuple[int, int]
"""``(history_version, generation_attempt)``."""


def episode_of(part: object) -> tuple[Episode, int] | None:
    """``((history_version, generation_attempt), seq)`` of a v2 stream part, or ``None`` when it lacks
    one of them (a seed server's part: the fingerprint rules apply)."""
    if part.__class__ is not ChatStreamMessagePart:
        return None
    version = part.history_version
    attempt = part.generation_attempt
    seq = part.seq
    if version.__class__ is int and attempt.__class__ is int and seq.__class__ is int:
        return (version, attempt), seq
    return None


class Episodes:
    """The v2 part and ``preview_reset`` state of one chat stream (see the module docstring)."""

    __slots__ = ("_delivered_seq", "_episode", "_held_reset", "_sync_reset_due")

    def __init__(self) -> None:
        self._episode: Episode | None = None  # the episode whose parts the consumer follows
        self._delivered_seq = 0  # the last seq delivered in it
        self._sync_reset_due = False  # this connection's sync reset has not arrived yet
        self._held_reset: ChatStreamEvent | None = None

    def connection_opened(self, *, first: bool) -> None:
        """A connection is up: a held reset was the last connection's and its sync is resent."""
        self._sync_reset_due = not first
        self._held_reset = None

    def preview_reset(self, event: ChatStreamEvent) -> list[ChatStreamEvent]:
        """What to deliver for a ``preview_reset`` of the watched chat."""
        if self._sync_reset_due:
            self._sync_reset_due = False
            self._held_reset = event
            return []
        self._held_reset = None  # a live reset supersedes the sync's
        return [event]

    def part(self, event: ChatStreamEvent, episode: Episode, seq: int) -> list[ChatStreamEvent]:
        """What to deliver for a part of the watched chat of ``episode`` numbered ``seq``."""
        current = self._episode
        held, self._held_reset = self._held_reset, None
        if current is None or episode > current:
            self._episode, self._delivered_seq = episode, 0
        elif episode < current:
            return []  # an old episode's part: the server replaced it
        elif held is not None:
            held = None  # the sync's reset of the episode the consumer follows: a replay
        if seq <= self._delivered_seq:
            return []
        self._delivered_seq = seq
        return [event] if held is None else [held, event]

    def continues(self, stream_part: object) -> bool:
        """Whether a part of the watched chat is the next of the episode the consumer follows, no reset
        held: then it is delivered as is (its ``seq`` recorded) and ``part`` need not be asked."""
        episode = self._episode
        if episode is None or self._held_reset is not None or stream_part.__class__ is not ChatStreamMessagePart:
            return False
        # episode_of's checks, inlined: this runs for nearly every v2 part, where its call counts.
        seq, version, attempt = stream_part.seq, stream_part.history_version, stream_part.generation_attempt
        if seq.__class__ is not int or seq <= self._delivered_seq:
            return False
        if version.__class__ is not int or attempt.__class__ is not int or (version, attempt) != episode:
            return False  # (not a bool: True == 1)
        self._delivered_seq = seq
        return True

    def other_event(self) -> None:
        """Another event of the watched chat: a reset still held was the sync's, with nothing to redo
        (the persisted message or status the sync brought reset the consumer's preview)."""
        self._held_reset = None


def history_digests(messages: list[ChatStreamEvent]) -> dict[int, int]:
    """id -> ``fingerprint`` of the ``message`` events of a replayed history (those with a message)."""
    digests: dict[int, int] = {}
    for event in messages:
        message = event.message
        if isinstance(message, ChatMessage):
            digests[message.id] = fingerprint(message)
    return digests


def rewritten(history: dict[int, int], known: dict[int, int]) -> bool:
    """Whether a replayed ``history`` (id -> digest) rewrote the messages the consumer was given
    (``known``): one of them is gone. Changed or new ones are revisions and additions, which plain
    ``message`` events carry."""
    return any(message_id not in history for message_id in known)
