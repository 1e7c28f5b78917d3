"""Benchmarks of coder-chat, each a ratio against a baseline measured in the same run: ``python -m bench``."""
