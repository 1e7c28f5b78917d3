"""The connection loops: the chat stream's sans-I/O core, the sync and async loops around it, their
websocket connections, the reconnection policy and its backoff, and what they log."""
