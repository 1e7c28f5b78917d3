"""The retry settings that the client and the endpoints read, apart from the policy itself.

``retries`` (the policy) is built on httpx-retries, which imports ``asyncio``; these constants live here so
that ``import coder_chat.client`` loads neither: the policy comes with the first connection pool.
"""

from __future__ import annotations

__all__ = ["DEFAULT_MAX_RETRIES", "MAX_RETRIES_EXTENSION"]

DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt (see ``RetryPolicy`` for which failures are retried)."""

MAX_RETRIES_EXTENSION = "coder_chat.max_retries"
"""Request extension carrying a per-call ``max_retries`` (the endpoints' ``max_retries=`` argument)."""
