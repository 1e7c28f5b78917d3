"""Suite-wide settings: Hypothesis profiles (`make test` runs the bounded one, `make fuzz` the long one),
stable test ids for pytest-xdist, and SIGINT for the subprocesses that tests interrupt."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile(
    "fuzz", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config: pytest.Config) -> None:
    """Tests send SIGINT to subprocesses (the command line's Ctrl-C, the fake's foreground mode), which
    must not ignore it. A shell without job control starts background jobs (``make test &`` in a
    script) with SIGINT ignored, and an ignored signal stays ignored across exec; a handler does not.
    So the suite restores Python's own handler when it finds SIGINT ignored."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """A parameter holding a UUID gets ``<uuid>`` in its test id: pytest-xdist's workers must collect the
    same ids, and a fresh ``uuid4()`` per collection (an unknown resource's path) would differ."""
    if isinstance(val, str) and _UUID.search(val):
        return _UUID.sub("<uuid>", val)
    return None


@pytest.fixture(scope="module", params=["msgspec", "stdlib"])
def json_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a module once with msgspec (the ``fast`` extra) and once with the standard library alone.

    The REST endpoints parse bodies, the stream decoder frames, and the replay filter encodes digests
    with msgspec when it is installed; results must not depend on it. ``stdlib`` is what a plain
    ``pip install coder-chat`` runs.
    """
    from coder_chat._runtime import speedups

    assert speedups.available and speedups.enabled, "the dev install has msgspec"
    if request.param == "stdlib":
        with speedups.disabled():
            yield request.param
    else:
        yield request.param
