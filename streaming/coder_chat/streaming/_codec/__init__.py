"""The chat stream's codec: frames in, models out, each event once (docs/design.md, "The stream codec").

``schema`` derives what to build from the generated models; ``frames`` parses a frame as the reference;
``fast`` parses it with msgspec; ``build`` builds the models; ``decode`` is the entry point;
``fingerprint``, ``frame_refs``, ``replay`` and ``episodes`` are exactly-once delivery.
"""
