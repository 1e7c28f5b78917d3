"""``python -m coder_chat``: the ``coder-chat`` command line."""

from coder_chat._cli import run

run()
