"""The ``v2`` data set: the ``light`` turns as current Coder (the v2 generation) streams them.

Every part carries its episode and place in it, as API 2.37 sends them: ``history_version`` (bumped
by every persisted change: here, every persisted message), ``generation_attempt`` (one attempt per
turn here: no retries) and ``seq`` (from 1 in each episode). The client's exactly-once delivery keys
such parts by episode and ``seq`` instead of fingerprints (docs/protocol.md, "v2: episodes, seq and
resets"): this data set measures that path. Frames keep the ``light`` data's envelope, so the
baselines read them unchanged (a bare array, as v2 writes it, decodes the same way).
"""

from __future__ import annotations

from typing import Any

from bench.gen_common import Gen

__all__ = ["V2Gen"]


class V2Gen(Gen):
    """``Gen``'s turns, each part with ``history_version``, ``generation_attempt`` and ``seq``."""

    def __init__(self, seed: int, chat_id: str) -> None:
        super().__init__(seed, chat_id)
        self._history_version = 1
        self._seq = 0

    def part_event(self, part: dict[str, Any]) -> dict[str, Any]:
        event = super().part_event(part)
        self._seq += 1
        identity = {"history_version": self._history_version, "generation_attempt": 1, "seq": self._seq}
        event["message_part"].update(identity)
        return event

    def message(self, role: str, content: list[dict[str, Any]]) -> dict[str, Any]:
        self._history_version += 1  # a persisted message starts the next episode, from seq 1
        self._seq = 0
        return super().message(role, content)
