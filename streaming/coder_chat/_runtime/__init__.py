"""The handwritten runtime of the generated REST client (private: import the public names from ``coder_chat.client``).

``coder_chat.client`` is generated from ``openapi.yaml``; its ``client``, ``errors`` and ``types`` modules only
re-export what is defined here, so this code is linted, strictly typed and tested like the rest of the
handwritten half:

- ``endpoints``: what every generated endpoint does alike (``sync()`` raising ``APIError``, ``max_retries=``);
- ``exceptions``: every exception class of the distribution, and the helpers that build them;
- ``fields``: the generated models' field converters and checks (``FieldTypeError``), and their ``repr()``;
- ``files``: ``File``, the bytes of a v2 file upload or download, and the headers an upload sends;
- ``generation``: ``ApiGeneration``, the clients' ``api_generation=`` and the probe that detects it;
- ``http``: ``Client`` and ``AuthenticatedClient``, the credential gate and the transport chain;
- ``lazy``: package attributes imported on first access (``coder_chat.streaming``, the models package);
- ``once``: ``OnceCache``, a value a client computes once for all its threads and tasks (generation, organization);
- ``retries``: the retry policy (which failures are retried, and ``Retry-After``);
- ``retry_settings``: ``DEFAULT_MAX_RETRIES`` and ``MAX_RETRIES_EXTENSION``, without the policy's httpx-retries;
- ``speedups``: whether the msgspec paths (the ``fast`` extra) are used;
- ``tls``: the ``ssl.SSLContext`` for a ``verify_ssl`` setting, for REST and the stream alike;
- ``types``: ``Unset``/``UNSET``, ``Response`` and the helpers the generated models and endpoints call;
- ``version``: the distribution's version.

Nothing here imports ``coder_chat.client`` or ``coder_chat.streaming``: both import this package.
"""
