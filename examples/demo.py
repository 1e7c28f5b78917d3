"""`make demo`: start the fake Coder server on 127.0.0.1, as current Coder serves it (the v2 chat API only),
and run examples/turns.py against it."""

from __future__ import annotations

import os
import sys

from examples import turns
from tests.fakecoder import FakeCoder, Script


def main() -> int:
    # A few dozen deltas 40 ms apart, so the reply visibly streams.
    with FakeCoder(script=Script(text_deltas=30, delay=0.04), generation="current") as fake:
        print(f"fake Coder server at {fake.url}\n")
        os.environ["CODER_URL"] = fake.url
        os.environ["CODER_SESSION_TOKEN"] = fake.member_token
        return turns.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
