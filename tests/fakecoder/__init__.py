"""A fake Coder experimental chat API server (HTTP + websockets on 127.0.0.1) for tests."""

from .assistant import Script
from .server import FakeCoder

__all__ = ["FakeCoder", "Script"]
