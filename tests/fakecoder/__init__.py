"""A fake Coder chat API server (HTTP + websockets on 127.0.0.1) for tests, in either generation:
the experimental API (`/api/experimental/chats`) or v2 (`/api/v2/chats`, as Coder 2.37 or current)."""

from .assistant import DynamicCall, Script
from .server import FakeCoder

__all__ = ["DynamicCall", "FakeCoder", "Script"]
