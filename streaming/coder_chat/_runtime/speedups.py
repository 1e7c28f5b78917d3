"""Whether the optional msgspec speedups (``pip install coder-chat[fast]``) are used: the one switch.

With msgspec installed, REST bodies (``types.json_body``) and stream frames (the decoder's fast path)
are parsed by msgspec; results never depend on it (differential tests hold every fast path to its
standard-library reference). ``enabled`` is read at each call, so
``disabled()`` switches every path to the standard library at once: the tests run each suite both
ways with it, and the benchmarks measure a plain install with it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

try:
    import msgspec
except ImportError:  # the `fast` extra is not installed
    msgspec = None  # type: ignore[assignment]

__all__ = ["available", "disabled", "enabled", "msgspec"]

available: bool = msgspec is not None
"""Whether msgspec is installed."""

enabled: bool = available
"""Whether the msgspec paths are used now (never when msgspec is not installed)."""


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Use the standard-library paths only, within the ``with`` block (not thread-safe: for tests and benchmarks)."""
    global enabled
    previous, enabled = enabled, False
    try:
        yield
    finally:
        enabled = previous
