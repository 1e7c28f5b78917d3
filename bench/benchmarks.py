"""The benchmarks, by name (``BENCHMARKS``). Each returns one ``Result`` per case (data set × install):
per-round ratios against its baseline.

Every benchmark that reads chat data runs on the four data sets of ``bench.data`` (``realistic``, what
an agent's turns look like; ``light``, the earlier easier data; ``small-parts``, token-sized deltas and
persisted messages of 5-20 short parts; ``v2``, the light data with the parts' v2 identities, as current
Coder streams them) and with both installs: ``fast`` (msgspec, the ``fast`` extra,
as ``make install`` sets up) and ``plain`` (the msgspec paths switched off with
``coder_chat._runtime.speedups.disabled()``, as a plain ``pip install coder-chat`` runs them; ``import``
instead hides msgspec from a fresh interpreter). Targets (``TARGETS``) differ by install, never by data set.

Targets (fast / plain), by module:

``bench.parse_benchmarks``

* decode: ``decode_frame`` over a recorded stream vs ``json.loads`` of the same frames: time ≤ 2× / ≤ 3×
* big-chat: a 5,000-message ``ChatWithMessages`` parsed as ``get_chat`` parses it vs ``json.loads``: ≤ 3× / ≤ 4×

``bench.stream_benchmarks``

* stream: events/s through ``stream_chat`` vs a websocket-client ``recv()`` + ``json.loads`` loop,
  same loopback server: ≥ 0.6× / ≥ 0.4×
* stream-floor: the same ``stream_chat`` rounds vs the typed floor (the raw loop + building each part
  event's models): ≥ 0.8× / none
* astream: events/s through ``astream_chat`` vs a ``websockets`` ``recv()`` + ``json.loads`` loop: ≥ 0.6× / ≥ 0.4×

``bench.turn_benchmarks``

* turn: text deltas/s through ``start_turn(...).text_stream`` (one long turn, its REST calls included)
  vs the websocket-client raw loop counting the same stream's text deltas: ≥ 0.6× / ≥ 0.4×

``bench.rest_benchmarks``

* rest: ``get_chat.sync`` round trips on one kept-alive client vs ``httpx.Client.get`` + ``json.loads``: ≥ 0.7×

``bench.process_benchmarks``

* memory: 1,000,000 events through ``ChatStream`` + ``ChatAccumulator``: RSS growth beyond the chat
  the accumulator keeps by design (the heap bytes its persisted messages take, measured: see
  ``bench.memory``) < 20 MB
* import: fresh ``import coder_chat.client, coder_chat.streaming`` vs fresh ``import httpx``: ≤ 1.5×
"""

from __future__ import annotations

from collections.abc import Callable

from bench.cases import INSTALLS, TARGETS
from bench.harness import Result
from bench.parse_benchmarks import bench_big_chat, bench_decode
from bench.process_benchmarks import bench_import, bench_memory
from bench.rest_benchmarks import bench_rest
from bench.stream_benchmarks import bench_astream, bench_stream
from bench.turn_benchmarks import bench_turn

__all__ = ["BENCHMARKS", "INSTALLS", "TARGETS"]

BENCHMARKS: dict[str, Callable[..., list[Result]]] = {
    "decode": bench_decode,
    "stream": bench_stream,
    "astream": bench_astream,
    "turn": bench_turn,
    "rest": bench_rest,
    "big-chat": bench_big_chat,
    "memory": bench_memory,
    "import": bench_import,
}
