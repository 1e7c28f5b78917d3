"""Print every change to your chats (created, deleted, status, title, diff status) until Ctrl-C.

CODER_URL=https://coder.example.com CODER_SESSION_TOKEN=... python -m examples.watch
"""

from __future__ import annotations

import sys

from coder_chat.client import AuthenticatedClient, errors
from coder_chat.streaming import watch_chats


def main(max_events: int | None = None) -> int:
    try:
        with AuthenticatedClient.from_env() as client, watch_chats(client) as watch:
            for count, event in enumerate(watch, 1):
                print(f"{event.kind:<20} {event.chat.id} {event.chat.status:<9} {event.chat.title}", flush=True)
                if count == max_events:
                    break
    except KeyboardInterrupt:
        return 130
    except errors.CoderChatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
