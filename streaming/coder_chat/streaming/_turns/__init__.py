"""Turns (a prompt and the agent's work on it) and client-side tools: opening a turn, following it,
its result, and answering the agent's tool calls."""
