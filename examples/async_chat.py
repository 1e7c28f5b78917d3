"""The same from asyncio code: ``aask`` for a whole turn, then ``astream_chat`` to follow the chat.

CODER_URL=https://coder.example.com CODER_SESSION_TOKEN=... python -m examples.async_chat "Fix the flaky test"
"""

from __future__ import annotations

import asyncio
import sys

from coder_chat.client import AuthenticatedClient, errors
from coder_chat.streaming import aask, astart_turn


async def main(argv: list[str]) -> int:
    prompt = " ".join(argv) or "What does this project do?"
    try:
        async with AuthenticatedClient.from_env() as client:
            result = await aask(client, prompt, timeout=300)
            print(f"chat {result.chat_id} ({result.status}):\n{result.text}")
            async with astart_turn(client, "And how is it tested?", chat_id=result.chat_id) as turn:
                async for delta in turn.text_stream:
                    print(delta, end="", flush=True)
                print(f"\n[{(await turn.wait()).status}]")
    except errors.CoderChatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
