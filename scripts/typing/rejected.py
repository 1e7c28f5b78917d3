"""A user's script with type errors, which ``make wheel-check`` requires ``mypy --strict`` to REJECT when it
reads the installed wheel: each line marked ``# expect: <code>`` must be reported with that error code,
and nothing else may be. (Were the wheel's types ``Any``, every call below would pass.) Never run.
"""

from __future__ import annotations

from coder_chat.client import AuthenticatedClient
from coder_chat.streaming import ask


def misuse(client: AuthenticatedClient) -> None:
    client.no_such_method()  # expect: attr-defined
    ask("not a client", "hi")  # expect: arg-type
    ask(client, 42)  # expect: arg-type
    ask(client, "hi", idle_timout=5)  # expect: call-arg
