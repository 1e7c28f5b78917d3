"""Starting and stopping the fake: no leaked threads or ports, clean close of open streams."""

from __future__ import annotations

import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import websocket

from tests.fakecoder import FakeCoder, Script

from .conftest import API, create_chat, finish, open_stream, read_until


def test_stops_cleanly_without_threads_or_port() -> None:
    before = set(threading.enumerate())
    fake = FakeCoder()
    with fake, httpx.Client(base_url=fake.url, headers={"Coder-Session-Token": fake.admin_token}, timeout=5) as c:
        fake.script = Script(text_deltas=10_000, delay=0.001)
        chat = create_chat(c)["id"]
        ws = open_stream(fake, chat)
        read_until(ws, lambda ev: len(ev) > 3)
        port = fake.port
    # The open stream was closed by the server with 1012 (service restart), not dropped.
    opcode, data = ws.recv_data(control_frame=True)
    while opcode != websocket.ABNF.OPCODE_CLOSE:
        opcode, data = ws.recv_data(control_frame=True)
    assert struct.unpack("!H", data[:2])[0] == 1012
    finish(ws)
    assert set(threading.enumerate()) - before == set()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
    fake.stop()  # idempotent


def test_two_servers_side_by_side() -> None:
    with FakeCoder() as one, FakeCoder() as two:
        assert one.url != two.url
        assert one.admin_token != two.admin_token
        assert httpx.get(f"{two.url}{API}", headers={"Coder-Session-Token": one.admin_token}).status_code == 401


EXPORT = re.compile(r"^(# )?export CODER_URL=(\S+) CODER_SESSION_TOKEN=(\S+)   # (member|admin) ")


@pytest.mark.parametrize(
    ("flags", "prefix", "version"),
    [([], "/api/v2", "v2.39.0"), (["--generation", "experimental"], "/api/experimental", "v2.36.4")],
    ids=["default-current", "experimental"],
)
def test_main_module_prints_export_lines_and_stops(flags: list[str], prefix: str, version: str) -> None:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakecoder", *flags],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        assert f"Coder {version}) listening on http://127.0.0.1:" in lines[0]
        member, admin = EXPORT.match(lines[1]), EXPORT.match(lines[2])
        assert member is not None and admin is not None, lines
        assert (member.group(1), member.group(4), admin.group(1), admin.group(4)) == (None, "member", "# ", "admin")
        url, member_token, admin_token = member.group(2), member.group(3), admin.group(3)
        assert url == admin.group(2) == lines[0].split()[-1]
        assert len(member_token) == len(admin_token) == 33 and member_token != admin_token
        deadline = time.monotonic() + 5
        while True:
            try:
                r = httpx.get(f"{url}{prefix}/chats", headers={"Coder-Session-Token": member_token}, timeout=2)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
        assert r.status_code == 200
        assert httpx.get(f"{url}/api/v2/buildinfo", timeout=2).json()["version"] == version
    finally:
        proc.send_signal(signal.SIGINT)  # like Ctrl-C
        assert proc.wait(timeout=10) == 0
        assert proc.stdout is not None
        proc.stdout.close()
