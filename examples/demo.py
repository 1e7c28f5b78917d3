"""`make demo`: start the fake Coder server on 127.0.0.1, as current Coder serves it (the v2 chat API only),
run examples/turns.py against it, then a short turn of examples/tools.py in which the agent calls a
client-side tool (it reads this project's pyproject.toml)."""

from __future__ import annotations

import os
import sys

from examples import tools, turns
from tests.fakecoder import DynamicCall, FakeCoder, Script


def main() -> int:
    # A few dozen deltas 40 ms apart, so the reply visibly streams.
    with FakeCoder(script=Script(text_deltas=30, delay=0.04), generation="current") as fake:
        print(f"fake Coder server at {fake.url}\n")
        os.environ["CODER_URL"] = fake.url
        os.environ["CODER_SESSION_TOKEN"] = fake.member_token
        status = turns.main(sys.argv[1:])
        if status:
            return status
        print("\n--- a client-side tool: the agent reads a file of this machine ---\n")
        calls = (DynamicCall("read_file", {"path": "pyproject.toml", "max_bytes": 120}),)
        fake.script = Script(text_deltas=10, delay=0.04, reasoning=False, tool_call=False, dynamic_calls=calls)
        return tools.main(["What is this project's name? Read pyproject.toml."])


if __name__ == "__main__":
    sys.exit(main())
