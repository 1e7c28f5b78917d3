"""HTTP clients for the Coder chat API: ``AuthenticatedClient`` (with a session token) and ``Client``.

Every request goes through one transport chain (``Client._wrap``): the credential gate and the retry
policy on the way out, httpx-retries, a look at each answer, then the network transport.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import ssl
from typing import TYPE_CHECKING, Any, Self
from uuid import UUID

import httpx
from attrs import define, evolve, field

from .exceptions import MissingEnvironmentVariableError
from .generation import AUTO, ApiGeneration, api_generation_setting
from .once import OnceCache
from .retry_settings import DEFAULT_MAX_RETRIES, MAX_RETRIES_EXTENSION
from .tls import VerifySSL
from .tls import ssl_context as build_ssl_context

if TYPE_CHECKING:
    import asyncio

    from .retries import RetryPolicy

__all__ = ["DEFAULT_TIMEOUT", "AuthenticatedClient", "Client"]

URL_VARIABLE = "CODER_URL"
TOKEN_VARIABLE = "CODER_SESSION_TOKEN"

logger = logging.getLogger("coder_chat")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
"""Read, write and pool timeouts of 60 s and a connect timeout of 5 s: no call waits forever."""

# httpx.Client ignores these when it is given a transport, so they are handed to our transport instead.
_TRANSPORT_ARGS = ("cert", "trust_env", "http1", "http2", "limits", "proxy", "retries", "uds", "local_address")


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    port = url.port
    if port is None:
        port = {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(url.scheme)
    return url.scheme, url.host, port


def _without_userinfo(url: httpx.URL) -> str:
    """The URL for messages and repr(): scheme, host, port and path, never a user:password part."""
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.host}{port}{url.path}"


def _url_repr(url: str) -> str:
    return repr(_without_userinfo(httpx.URL(url)))


def _check_base_url(_instance: object, _attribute: object, value: Any) -> None:
    """Refuse, when the client is built, a ``base_url`` that is not an absolute http(s) URL."""
    if not isinstance(value, str):
        raise TypeError(f"base_url must be a str such as 'https://coder.example.com', not {type(value).__name__}")
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL as exc:
        raise ValueError(f"base_url is not a valid URL: {exc}") from None
    if url.scheme not in ("http", "https"):
        shown = f"scheme {url.scheme!r}" if url.scheme else "no scheme"
        raise ValueError(
            f"base_url must be an absolute http:// or https:// URL such as 'https://coder.example.com'; it has {shown}"
        )
    if not url.host:
        raise ValueError(f"base_url must name a host, e.g. '{url.scheme}://coder.example.com'")


def _check_token(_instance: object, _attribute: object, value: Any) -> None:
    """Refuse an empty or non-str token, or one no header can carry, when the client is built (the message
    never shows the token)."""
    if not isinstance(value, str):
        raise TypeError(f"token must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError("token is empty: pass the Coder session token (e.g. from `coder tokens create`)")
    if not (value.isascii() and value.isprintable()):
        # It goes in a header: httpx would refuse it with an error that quotes it whole.
        raise ValueError("token has a line break, a control or a non-ASCII character: a Coder session token has none")


def _from_env(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise MissingEnvironmentVariableError(name)
    return value


def _as_timeout(value: Any) -> httpx.Timeout:
    """``timeout=`` accepts whatever ``httpx.Timeout`` does (a number, None, a tuple, a ``Timeout``)."""
    return httpx.Timeout(value)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _CredentialGate:
    """Adds the credential headers to requests for one origin and strips them and the cookies from
    every other request.

    It sits in the transport, which sees every hop of a redirect chain; so the token and the cookies
    (a plain ``Client``'s session may be its cookie) reach only the origin (scheme, host and port) of
    ``base_url``, whatever redirects the user lets httpx follow.
    """

    def __init__(self, origin: tuple[str, str, int | None], credentials: dict[str, str]) -> None:
        self._origin = origin
        self._credentials = credentials

    def apply(self, request: httpx.Request) -> None:
        if _origin(request.url) == self._origin:
            request.headers.update(self._credentials)
        else:
            for name in self._credentials:
                request.headers.pop(name, None)
            request.headers.pop("cookie", None)


class _Hooks:
    """What the client adds around the network: credentials on the way out, retries, and a look at answers."""

    def __init__(
        self,
        gate: _CredentialGate | None,
        policy: type[RetryPolicy],
        max_retries: int,
        backoff: float,
        max_retry_after: float,
    ) -> None:
        self._gate = gate
        self._policy = policy
        self._max_retries = max_retries
        self._backoff = backoff
        self._max_retry_after = max_retry_after

    def outgoing(self, request: httpx.Request) -> None:
        """Outermost: runs once per request and per redirect hop."""
        if self._gate is not None:
            self._gate.apply(request)
        max_retries = request.extensions.get(MAX_RETRIES_EXTENSION)
        request.extensions["retry"] = self._policy.for_request(
            request.method,
            max_retries=self._max_retries if max_retries is None else max_retries,
            backoff=self._backoff,
            max_retry_after=self._max_retry_after,
        )

    def incoming(self, request: httpx.Request, response: httpx.Response) -> None:
        """Innermost: runs for every attempt's answer, before the retry decision."""
        policy = request.extensions.get("retry")
        if isinstance(policy, self._policy):
            policy.observe(response)


class _OuterTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Calls ``hooks.outgoing`` then the retrying transport below it (sync or async, like RetryTransport)."""

    def __init__(self, inner: Any, hooks: _Hooks) -> None:
        self._inner = inner
        self._hooks = hooks

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._hooks.outgoing(request)
        response: httpx.Response = self._inner.handle_request(request)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._hooks.outgoing(request)
        response: httpx.Response = await self._inner.handle_async_request(request)
        return response

    def close(self) -> None:
        self._inner.close()

    async def aclose(self) -> None:
        await self._inner.aclose()


class _InnerTransport(_OuterTransport):
    """Calls the network transport, then ``hooks.incoming`` on its answer."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = self._inner.handle_request(request)
        self._hooks.incoming(request, response)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = await self._inner.handle_async_request(request)
        self._hooks.incoming(request, response)
        return response


@define
class Client:
    """A client for the Coder chat API without a session token (see ``AuthenticatedClient``).

    Keyword arguments: ``base_url`` (the deployment, e.g. ``https://coder.example.com``), ``cookies`` and
    ``headers`` sent with every request, ``timeout`` (default ``DEFAULT_TIMEOUT``), ``verify_ssl`` (True, False,
    a CA bundle file or directory, or an ``ssl.SSLContext``), ``follow_redirects`` (default False) and
    ``httpx_args`` for the ``httpx.Client``/``httpx.AsyncClient`` constructors, and ``api_generation``
    (``"auto"``, ``"v2"`` or ``"experimental"``). One connection pool is built on first use and reused; use the
    client as a context manager (``with`` or ``async with``) to close it.
    """

    _base_url: str = field(alias="base_url", repr=_url_repr, validator=_check_base_url)
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies", repr=False)
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers", repr=False)
    _timeout: httpx.Timeout = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout", converter=_as_timeout)
    _verify_ssl: VerifySSL = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args", repr=False)
    max_retries: int = field(default=DEFAULT_MAX_RETRIES, kw_only=True)
    """Retries after the first attempt; 0 turns retries off. Per call: the endpoints' ``max_retries=``."""
    retry_backoff: float = field(default=0.5, kw_only=True)
    """Backoff factor in seconds: waits grow 0.5 s, 1 s, 2 s ... with full jitter."""
    max_retry_after: float = field(default=60.0, kw_only=True)
    """Longest ``Retry-After`` honoured; a longer one fails at once with ``RateLimitError.retry_after``."""
    api_generation: ApiGeneration | str = field(default=AUTO, kw_only=True, converter=api_generation_setting)
    """The chat API generation: ``"auto"`` (probe the server once, see ``coder_chat.streaming.detect_api``),
    ``"v2"`` or ``"experimental"`` (an ``ApiGeneration``; no probe). Anything else raises when the client is built."""
    # What this client object found out once (derived clients keep the setting and find out for themselves):
    # the probe's answer (coder_chat._runtime.generation) and the organization of new chats
    # (coder_chat.streaming._organizations).
    _generation_cache: OnceCache[ApiGeneration] = field(factory=OnceCache, init=False, repr=False, eq=False)
    _organization_cache: OnceCache[UUID | None] = field(factory=OnceCache, init=False, repr=False, eq=False)
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    # The event loop the async pool was built in: a pool's connections belong to it (None: a pool the
    # caller set, which stays whatever loop runs).
    _async_loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False, eq=False)

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """A client for the deployment in ``CODER_URL`` (the Coder CLI's variable).

        Keyword arguments go to the constructor. Raises ``MissingEnvironmentVariableError`` (a ``ValueError``
        and a ``CoderChatError``) when the variable is missing or empty.
        """
        return cls(base_url=_from_env(URL_VARIABLE), **kwargs)

    # Read-only accessors: the streaming layer and users read settings through these, never the fields.
    @property
    def base_url(self) -> str:
        """The deployment's URL, as given."""
        return self._base_url

    @property
    def headers(self) -> dict[str, str]:
        """A copy of the extra headers sent with every request (the session token is not among them)."""
        return dict(self._headers)

    @property
    def cookies(self) -> dict[str, str]:
        """A copy of the cookies sent with every request."""
        return dict(self._cookies)

    @property
    def timeout(self) -> httpx.Timeout:
        """The timeouts of every request."""
        return self._timeout

    @property
    def verify_ssl(self) -> VerifySSL:
        """TLS verification: True, False, a CA bundle file or directory, or an ``ssl.SSLContext``."""
        return self._verify_ssl

    def ssl_context(self) -> ssl.SSLContext:
        """The TLS context of this client's connections, REST and stream alike: ``verify_ssl``, and, as in
        httpx, the ``SSL_CERT_FILE``/``SSL_CERT_DIR`` environment unless ``httpx_args`` sets ``trust_env=False``.

        A client certificate given as ``httpx_args={"cert": ...}`` (deprecated by httpx) reaches REST only:
        for both, pass ``verify_ssl`` an ``ssl.SSLContext`` that has ``load_cert_chain()`` called on it."""
        # Built here, not by httpx: httpx opens a CA path as a file, and a CA directory is a valid setting.
        return build_ssl_context(self._verify_ssl, trust_env=bool(self._httpx_args.get("trust_env", True)))

    @property
    def follow_redirects(self) -> bool:
        """Whether HTTP redirects are followed (never with the token to another origin)."""
        return self._follow_redirects

    def credential_headers(self) -> dict[str, str]:
        """The headers that authenticate a request to ``base_url``'s origin; none for ``Client``."""
        return {}

    def with_headers(self, headers: dict[str, str]) -> Self:
        """A new client like this one with additional headers."""
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """A new client like this one with additional cookies."""
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> Self:
        """A new client like this one with other timeouts."""
        return evolve(self, timeout=timeout)

    def _wrap(self, network: Any) -> _OuterTransport:
        """credentials + retry policy -> httpx-retries -> answer inspection -> the network transport."""
        # Imported with the first connection pool, not with coder_chat.client: httpx-retries imports asyncio,
        # the largest part of what `import coder_chat.client` would otherwise add to `import httpx` (bench: import).
        from httpx_retries import RetryTransport

        from .retries import RetryPolicy

        credentials = self.credential_headers()
        gate = (
            _CredentialGate(_origin(httpx.URL(self._base_url)), credentials) if credentials or self._cookies else None
        )
        hooks = _Hooks(gate, RetryPolicy, self.max_retries, self.retry_backoff, self.max_retry_after)
        return _OuterTransport(RetryTransport(transport=_InnerTransport(network, hooks)), hooks)

    def _split_httpx_args(self) -> tuple[dict[str, Any], dict[str, Any]]:
        client_args = dict(self._httpx_args)
        transport_args = {key: client_args.pop(key) for key in _TRANSPORT_ARGS if key in client_args}
        return client_args, transport_args

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Use this ``httpx.Client`` (its settings replace this client's; the token is not added to it)."""
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """The ``httpx.Client`` all sync calls share, built on first use."""
        if self._client is None:
            client_args, transport_args = self._split_httpx_args()
            network = client_args.pop("transport", None) or httpx.HTTPTransport(
                verify=self.ssl_context(), **transport_args
            )
            transport = self._wrap(network)
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                follow_redirects=self._follow_redirects,
                transport=transport,
                **client_args,
            )
        return self._client

    def __enter__(self) -> Self:
        # Not httpx.Client.__enter__: that refuses a client that has been used (or entered) before, so
        # `with client:` after a first call would raise. The pool is built on first use either way;
        # leaving the block closes it, and a later call (or `with`) builds a new one.
        self.get_httpx_client()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the sync connection pool; a later call builds a new one."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Use this ``httpx.AsyncClient`` (its settings replace this client's; the token is not added to it)."""
        self._async_client = async_client
        self._async_loop = None
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` all async calls share, built on first use, and again in a new event loop
        once the one it was built in is closed (a program that calls ``asyncio.run`` more than once)."""
        if self._async_loop_closed():
            # Its connections died with their loop: nothing to close them with, nothing to reuse.
            self._async_client = self._async_loop = None
        if self._async_client is None:
            import asyncio  # here: a program that makes only sync calls need not import it

            try:
                self._async_loop = asyncio.get_running_loop()
            except RuntimeError:  # built outside a loop (``__aenter__`` is always in one)
                self._async_loop = None
            client_args, transport_args = self._split_httpx_args()
            network = client_args.pop("transport", None) or httpx.AsyncHTTPTransport(
                verify=self.ssl_context(), **transport_args
            )
            transport = self._wrap(network)
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                follow_redirects=self._follow_redirects,
                transport=transport,
                **client_args,
            )
        return self._async_client

    def _async_loop_closed(self) -> bool:
        """Whether the event loop the async pool was built in is closed (the pool then belongs to no loop)."""
        return self._async_loop is not None and self._async_loop.is_closed()

    async def __aenter__(self) -> Self:
        # As __enter__: httpx.AsyncClient.__aenter__ would refuse a client already used for a call.
        self.get_async_httpx_client()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the async connection pool; a later call builds a new one."""
        if self._async_client is not None and not self._async_loop_closed():
            await self._async_client.aclose()
        self._async_client = self._async_loop = None  # (a pool whose loop is closed has nothing left to close)


@define
class AuthenticatedClient(Client):
    """A client that authenticates with a Coder session token.

    ``AuthenticatedClient(base_url="https://coder.example.com", token="...")`` sends the token as the
    ``Coder-Session-Token`` header (``auth_header_name``; ``prefix`` is prepended with a space when set, e.g.
    ``auth_header_name="Authorization", prefix="Bearer"``). The token goes only to the origin of ``base_url``:
    redirects to another origin (followed only when ``follow_redirects=True``) and https→http downgrades
    never carry it. It never appears in ``repr()``. A plain ``http://`` URL to a host other than loopback
    logs one warning, since the token would travel in clear.
    """

    token: str = field(kw_only=True, repr=False, validator=_check_token)
    prefix: str = field(default="", kw_only=True)
    auth_header_name: str = field(default="Coder-Session-Token", kw_only=True)
    # Set once the plain-http warning is logged; `evolve` (with_headers, with_timeout, ...) copies it, so a
    # derived client does not log it again.
    _warned_plain_http: bool = field(default=False, kw_only=True, alias="_warned_plain_http", repr=False, eq=False)

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """A client for ``CODER_URL`` with the token in ``CODER_SESSION_TOKEN`` (the Coder CLI's variables).

        Keyword arguments go to the constructor. Raises ``MissingEnvironmentVariableError`` naming the first
        variable that is missing or empty: a ``ValueError`` (a setup mistake, found before any request) and a
        ``CoderChatError`` (so one ``except CoderChatError`` covers a script's setup and calls). Its message
        never contains the token.
        """
        base_url = _from_env(URL_VARIABLE)
        return cls(base_url=base_url, token=_from_env(TOKEN_VARIABLE), **kwargs)

    def __attrs_post_init__(self) -> None:
        if self._warned_plain_http:
            return
        url = httpx.URL(self._base_url)
        if url.scheme == "http" and not _is_loopback(url.host):
            self._warned_plain_http = True
            logger.warning(
                "coder_chat: base_url %s uses plain http to a non-loopback host; the session token travels unencrypted",
                _without_userinfo(url),
            )

    def credential_headers(self) -> dict[str, str]:
        """``{auth_header_name: token}`` (with ``prefix``), for requests to ``base_url``'s origin only."""
        return {self.auth_header_name: f"{self.prefix} {self.token}" if self.prefix else self.token}
