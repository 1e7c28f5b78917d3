"""``verify_ssl`` for REST and the stream alike: True, False, a CA file, a CA directory, an ``ssl.SSLContext``.

A real TLS server on 127.0.0.1 (``DualServer``, with the test certificate of ``tests/support/tls``), and a
CA directory as ``openssl rehash`` makes it (``ca_dir/<subject hash>.0``).
"""

from __future__ import annotations

import re
import ssl
import tempfile
from pathlib import Path

import pytest

from coder_chat._runtime.tls import ssl_context
from coder_chat.client import AuthenticatedClient
from coder_chat.client.api.chats import list_chats
from coder_chat.client.errors import APIConnectionError, APIError
from coder_chat.streaming import stream_chat
from tests.support.dual_http import DualServer, Hit
from tests.support.scripted_http import Reply
from tests.support.stream_view import TLS_DIR

pytestmark = pytest.mark.timeout(30)

TOKEN = "abcdefghij-0123456789abcdefghijkl"
CA_FILE = TLS_DIR / "ca.pem"
CA_DIR = TLS_DIR / "ca_dir"


def empty_list(_hit: Hit) -> Reply:
    return Reply(200, [])


@pytest.mark.parametrize(
    "verify",
    [str(CA_FILE), str(CA_DIR), ssl.create_default_context(cafile=CA_FILE), False],
    ids=["ca-file", "ca-directory", "ssl-context", "no-verification"],
)
def test_rest_over_tls_accepts_every_verify_ssl_form(verify: str | bool | ssl.SSLContext) -> None:
    with DualServer(empty_list) as server:
        with AuthenticatedClient(base_url=server.url("https"), token=TOKEN, verify_ssl=verify) as client:
            assert list_chats.sync(client=client) == []
            assert client.verify_ssl is verify
        assert [hit.tls for hit in server.hits] == [True]


@pytest.mark.parametrize("verify", [True, "empty-directory"])
def test_rest_over_tls_refuses_a_certificate_its_cas_do_not_sign(verify: str | bool) -> None:
    with tempfile.TemporaryDirectory() as empty, DualServer(empty_list) as server:
        setting = empty if verify == "empty-directory" else verify
        client = AuthenticatedClient(base_url=server.url("https"), token=TOKEN, verify_ssl=setting, max_retries=0)
        with client, pytest.raises(APIConnectionError) as caught:
            list_chats.sync(client=client)
    assert isinstance(caught.value.__cause__, Exception)
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)


def test_one_helper_builds_the_context_for_rest_and_stream() -> None:
    context = ssl.create_default_context()
    assert ssl_context(context) is context
    assert ssl_context(True).verify_mode == ssl.CERT_REQUIRED
    unverified = ssl_context(False)
    assert unverified.verify_mode == ssl.CERT_NONE
    assert not unverified.check_hostname
    for path in (CA_FILE, CA_DIR):
        assert ssl_context(str(path)).verify_mode == ssl.CERT_REQUIRED
    # A CA file's certificates are loaded at once; a directory's are looked up by hash during the handshake.
    assert ssl_context(str(CA_FILE)).cert_store_stats()["x509_ca"] == 1
    assert ssl_context(str(CA_DIR)).cert_store_stats()["x509_ca"] == 0
    assert Path(CA_DIR).is_dir()


@pytest.mark.parametrize("trust_env", [True, False])
def test_the_stream_takes_the_environments_cas_exactly_when_rest_does(
    trust_env: bool, flavour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As httpx does: SSL_CERT_FILE is trusted unless httpx_args says trust_env=False.
    monkeypatch.setenv("SSL_CERT_FILE", str(CA_FILE))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with DualServer(empty_list) as server:
        client = AuthenticatedClient(
            base_url=server.url("https"), token=TOKEN, httpx_args={"trust_env": trust_env}, max_retries=0
        )
        with client:
            if trust_env:
                assert list_chats.sync(client=client) == []
                assert client.ssl_context().cert_store_stats()["x509_ca"] == 1  # the environment's CA alone
            else:
                with pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
                    list_chats.sync(client=client)
            # The TLS server answers no upgrade: past TLS, the stream is refused by status; before it, by TLS.
            with pytest.raises(APIError if trust_env else APIConnectionError) as caught:
                stream_chat(client, "6f1c1b4e-8a51-4c43-9d2e-0b8a7f1c9e21", reconnect=False)
    assert ("CERTIFICATE_VERIFY_FAILED" in str(caught.value)) is not trust_env


@pytest.mark.parametrize("where", ["verify_ssl", "SSL_CERT_FILE"])
@pytest.mark.parametrize("problem", ["missing", "not a certificate"])
def test_ca_certificates_that_cannot_be_loaded_are_a_value_error_naming_where(
    where: str, problem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bare FileNotFoundError or ssl.SSLError escaped the first call (and the command line's traceback).
    path = tmp_path / "cas.pem"
    if problem == "not a certificate":
        path.write_text("garbage\n")
    verify: str | bool = str(path) if where == "verify_ssl" else True
    if where == "SSL_CERT_FILE":
        monkeypatch.setenv("SSL_CERT_FILE", str(path))
    client = AuthenticatedClient(base_url="https://127.0.0.1:9", token="t", verify_ssl=verify)
    named = f"verify_ssl={str(path)!r}" if where == "verify_ssl" else "SSL_CERT_FILE or SSL_CERT_DIR"
    with pytest.raises(ValueError, match=f"^cannot load the CA certificates of {re.escape(named)}: ") as caught:
        list_chats.sync(client=client)
    reason = str(caught.value).rpartition(": ")[2]
    if problem == "missing":
        assert reason == "No such file or directory"
    else:
        assert "no certificate or crl found" in reason
