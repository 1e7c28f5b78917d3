"""``detect_api`` / ``adetect_api`` and ``ApiGeneration``: which chat API generation a client's deployment
serves. Defined in ``coder_chat._runtime.generation``, next to the clients that cache the answer."""

from coder_chat._runtime.generation import ApiGeneration, adetect_api, detect_api

__all__ = ["ApiGeneration", "adetect_api", "detect_api"]
