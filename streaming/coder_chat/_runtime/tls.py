"""The TLS context for a ``verify_ssl`` setting: one rule for the REST client and the chat stream."""

from __future__ import annotations

import os
import ssl

import httpx

__all__ = ["VerifySSL", "ssl_context"]

VerifySSL = str | bool | ssl.SSLContext
"""What ``verify_ssl`` accepts: True (certifi's CAs, or ``SSL_CERT_FILE``/``SSL_CERT_DIR``), False (no
verification), a CA bundle file, a CA directory (hashed, as ``openssl rehash`` makes it) or an ``ssl.SSLContext``."""


def ssl_context(verify: VerifySSL, *, trust_env: bool = True) -> ssl.SSLContext:
    """The ``ssl.SSLContext`` for ``verify`` (returned as is when it is one already).

    ``True`` and ``False`` give the context httpx builds for them (``trust_env`` as in httpx). A path is
    read here: httpx deprecates a path for its own ``verify``. CA certificates that cannot be loaded (a
    missing or malformed file, also one named by ``SSL_CERT_FILE``) raise ``ValueError`` saying which.
    """
    try:
        if isinstance(verify, str):
            if os.path.isdir(verify):
                return ssl.create_default_context(capath=verify)
            return ssl.create_default_context(cafile=verify)
        return httpx.create_ssl_context(verify=verify, trust_env=trust_env)
    except OSError as exc:  # ssl.SSLError too
        where = f"verify_ssl={verify!r}" if isinstance(verify, str) else "SSL_CERT_FILE or SSL_CERT_DIR"
        raise ValueError(f"cannot load the CA certificates of {where}: {exc.strerror or exc}") from None
