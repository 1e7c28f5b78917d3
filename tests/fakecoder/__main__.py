"""`python -m tests.fakecoder`: run the fake in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import logging
import threading

from . import FakeCoder, Script


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakecoder", description=__doc__)
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
    )
    with fake:
        print(f"fakecoder listening on {fake.url}", flush=True)
        print(f"admin token:  {fake.admin_token}", flush=True)
        print(f"member token: {fake.member_token}", flush=True)
        print("Ctrl-C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    if fake.spec_violations:
        print(f"{len(fake.spec_violations)} spec violation(s):")
        for violation in fake.spec_violations:
            print(violation)


if __name__ == "__main__":
    main()
