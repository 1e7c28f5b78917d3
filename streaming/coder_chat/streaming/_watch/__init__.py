"""The watch of all the caller's chats: its sans-I/O core and the sync and async loops."""
