"""`python -m tests.fakecoder`: run the fake in the foreground until Ctrl-C.

It serves current Coder (the v2 chat API on `/api/v2` only) unless `--generation` picks another,
and prints `export` lines to paste into a shell: the member's token for chats, the admin's for the
admin routes.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import threading

from . import FakeCoder, Script
from .generation import GENERATION_NAMES, generation


def export_lines(fake: FakeCoder) -> list[str]:
    """The ready-to-paste lines: the member token first (chats), the admin token commented out."""
    url = fake.url
    return [
        f"export CODER_URL={url} CODER_SESSION_TOKEN={fake.member_token}   # member (chats)",
        f"# export CODER_URL={url} CODER_SESSION_TOKEN={fake.admin_token}   # admin (admin routes)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakecoder", description=__doc__)
    parser.add_argument(
        "--generation",
        choices=GENERATION_NAMES,
        default="current",
        help="chat API generation: current (/api/v2, the default), 2.37 (both prefixes), experimental",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds between assistant deltas (default 0.05)")
    parser.add_argument("--deltas", type=int, default=20, help="text deltas per turn")
    parser.add_argument("--spec", default=None, help="validate traffic against this OpenAPI file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    fake = FakeCoder(
        script=Script(text_deltas=args.deltas, delay=args.delay),
        port=args.port,
        validate_spec_path=args.spec,
        log_level="info",
        access_log=True,
        generation=args.generation,
    )
    with fake:
        gen = generation(args.generation)
        print(f"fakecoder ({gen.name}, Coder {gen.version}) listening on {fake.url}", flush=True)
        for line in export_lines(fake):
            print(line, flush=True)
        print("Ctrl-C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    if fake.spec_violations:
        print(f"{len(fake.spec_violations)} spec violation(s):")
        for violation in fake.spec_violations:
            print(violation)


if __name__ == "__main__":
    main()
