"""The ``coder-chat`` command line as a subprocess against the fake Coder: output, exit codes, Ctrl-C,
``--timeout``, a closed stdout (``| head``), bad arguments, ``info``. The commands that talk to the chat
API run on the experimental fake and the current-Coder fake (``fake`` is parametrized; ``info`` on 2.37
too); those that do not (usage, configuration, start-up) on one (``any_fake``)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fakecoder import FakeCoder, Script
from tests.support.generations import GENERATIONS

pytestmark = pytest.mark.timeout(60)
REPO = Path(__file__).resolve().parents[2]
# The installed console script (the venv's bin/, beside the interpreter running the suite).
CONSOLE_SCRIPT = str(Path(sys.executable).parent / "coder-chat")
LAUNCHERS = {"console script": [CONSOLE_SCRIPT], "python -m": [sys.executable, "-m", "coder_chat"]}


@pytest.fixture(params=GENERATIONS)
def fake(request: pytest.FixtureRequest) -> Iterator[FakeCoder]:
    with FakeCoder(script=Script(text_deltas=6), generation=request.param) as server:
        yield server


@pytest.fixture
def any_fake() -> Iterator[FakeCoder]:
    """One fake (current Coder), for what does not depend on the chat API's generation."""
    with FakeCoder(script=Script(text_deltas=6), generation="current") as server:
        yield server


def env_for(fake: FakeCoder, token: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODER_")}
    env.update(CODER_URL=fake.url, CODER_SESSION_TOKEN=fake.admin_token if token is None else token)
    return env


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """The command line as a process with its stdout and stderr piped; killed if it outlives the test."""
    with subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()


def cli(*args: str, env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coder_chat", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


def test_ask_streams_the_reply_and_prints_the_chat_id(fake: FakeCoder) -> None:
    done = cli("ask", "list the files", env=env_for(fake))
    assert done.returncode == 0, done.stderr
    assert done.stdout == fake.script.reply_text("list the files") + "\n"
    first_line = done.stderr.splitlines()[0]
    assert first_line.startswith("chat ") and len(first_line) == len("chat ") + 36
    assert '[tool call] execute({"command": "echo list the files"}) -> {"output": "list the files"}' in done.stderr


def test_ask_json_and_a_follow_up_in_the_same_chat(fake: FakeCoder) -> None:
    first = cli("ask", "one", "--json", env=env_for(fake))
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert result["text"] == fake.script.reply_text("one") and result["status"] == "waiting"
    assert result["tool_calls"][0]["args"] == {"command": "echo one"} and result["error"] is None
    second = cli("ask", "two", "--chat", result["chat_id"], "--json", env=env_for(fake))
    assert json.loads(second.stdout)["chat_id"] == result["chat_id"]


def test_a_failed_turn_exits_1_with_the_error(fake: FakeCoder) -> None:
    fake.script = Script(text_deltas=3, fail_with="The model provider is unavailable.")
    done = cli("ask", "doomed", env=env_for(fake))
    assert done.returncode == 1
    assert "coder-chat: the turn failed: The model provider is unavailable." in done.stderr
    assert "Traceback" not in done.stderr


def test_a_refused_token_exits_3_without_showing_it(fake: FakeCoder) -> None:
    token = "abcdefghij-abcdefghijabcdefghij12"
    done = cli("chats", env=env_for(fake, token))
    assert done.returncode == 3
    assert done.stderr.startswith("coder-chat: 401 Unauthorized")
    assert token not in done.stderr + done.stdout


def test_an_unreachable_server_exits_4(any_fake: FakeCoder) -> None:
    env = env_for(any_fake)
    env["CODER_URL"] = "http://127.0.0.1:9"  # discard: nothing listens
    done = cli("chats", env=env)
    assert done.returncode == 4 and "Traceback" not in done.stderr


def test_missing_configuration_exits_2(any_fake: FakeCoder, tmp_path: Path) -> None:
    fake = any_fake
    env = {k: v for k, v in env_for(fake).items() if k != "CODER_URL"}
    done = cli("chats", env=env)
    assert done.returncode == 2 and "CODER_URL" in done.stderr
    token_file = tmp_path / "token"
    token_file.write_text(fake.admin_token + "\n")
    env.pop("CODER_SESSION_TOKEN")
    ok = cli("--url", fake.url, "--token-file", str(token_file), "chats", env=env)
    assert ok.returncode == 0, ok.stderr


def test_a_token_no_header_can_carry_exits_2_without_showing_it(any_fake: FakeCoder, tmp_path: Path) -> None:
    env = {k: v for k, v in env_for(any_fake).items() if k != "CODER_SESSION_TOKEN"}
    commented = tmp_path / "commented"
    commented.write_text(f"{any_fake.admin_token}\n# my coder token\n")
    binary = tmp_path / "binary"
    binary.write_bytes(any_fake.admin_token.encode() + b"\xff\xfe")
    expected = {
        commented: "coder-chat: token has a line break, a control or a non-ASCII character: "
        "a Coder session token has none\n",
        binary: "coder-chat: cannot read --token-file: it is not UTF-8 text\n",
    }
    for token_file, message in expected.items():
        done = cli("--token-file", str(token_file), "chats", env=env)
        assert (done.returncode, done.stderr, done.stdout) == (2, message, "")
    env["CODER_SESSION_TOKEN"] = "caf\u00e9-token"
    done = cli("chats", env=env)
    assert (done.returncode, done.stderr) == (2, expected[commented])


def test_ca_certificates_that_cannot_be_loaded_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "CODER_URL": "https://127.0.0.1:9", "CODER_SESSION_TOKEN": "t"}
    env["SSL_CERT_FILE"] = str(tmp_path / "missing.pem")
    done = cli("chats", env=env)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "coder-chat: cannot load the CA certificates of SSL_CERT_FILE or SSL_CERT_DIR: No such file or directory\n"
    )


def test_chats_lists_id_status_title(fake: FakeCoder) -> None:
    chat_id = fake.create_chat("hello there")
    fake.wait_idle(chat_id)
    done = cli("chats", env=env_for(fake))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [f"{chat_id}\twaiting\thello there"]


def _interrupted(args: list[str], fake: FakeCoder, until: str) -> tuple[int, str, str]:
    with running([sys.executable, "-m", "coder_chat", *args], env_for(fake)) as process:
        assert process.stdout is not None
        seen = ""
        deadline = time.monotonic() + 20
        while until not in seen and time.monotonic() < deadline:
            seen += process.stdout.readline()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    return process.returncode, seen + out, err


def wait_for(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("generation", GENERATIONS)
def test_tail_prints_deltas_statuses_and_messages_until_ctrl_c(generation: str) -> None:
    with FakeCoder(script=Script(text_deltas=6, auto_run=False), generation=generation) as fake:  # type: ignore[arg-type]
        chat_id = fake.create_chat("tail me")

        def later() -> None:
            wait_for(lambda: fake.stream_count(chat_id) == 1)  # the command is following the chat
            fake.start_turn(chat_id)

        threading.Thread(target=later, daemon=True).start()
        code, out, err = _interrupted(["tail", chat_id], fake, "tool]")
    assert code == 130 and "Traceback" not in err
    lines = out.splitlines()
    if fake.generation.v2:  # the connect sync: messages, then the status; a new chat is running at once
        assert lines[0].startswith("[message #") and lines[0].endswith(" user]")
        lines = ["[status pending]", lines[0], *lines[1:]]  # where the experimental API has its status
    assert lines[0] == "[status pending]" and lines[1].startswith("[message #") and lines[1].endswith(" user]")
    assert lines[2] == "[status running]"
    assert lines[3] == fake.script.reply_text("tail me")  # the deltas, then a fresh line for the message
    assert lines[4].endswith(" assistant]") and lines[5].endswith(" tool]")


def test_watch_prints_changes_until_ctrl_c(fake: FakeCoder) -> None:
    created: list[str] = []

    def later() -> None:
        wait_for(lambda: fake.watch_count() == 1)
        created.append(fake.create_chat("watched"))

    threading.Thread(target=later, daemon=True).start()
    code, out, err = _interrupted(["watch"], fake, "created")
    assert code == 130 and "Traceback" not in err
    assert out.splitlines()[0] == f"created\t{created[0]}\t{fake.state.initial_status}\twatched"


def test_ask_with_a_timeout_streams_the_reply_when_it_ends_in_time(fake: FakeCoder) -> None:
    done = cli("ask", "quick", "--timeout", "30", env=env_for(fake))
    assert done.returncode == 0, done.stderr
    assert done.stdout == fake.script.reply_text("quick") + "\n"
    assert '[tool call] execute({"command": "echo quick"})' in done.stderr


def test_a_turn_that_does_not_end_within_the_timeout_exits_1(fake: FakeCoder) -> None:
    fake.script = Script(auto_run=False)  # the prompt is taken, the agent never starts
    start = time.monotonic()
    done = cli("ask", "stuck", "--timeout", "1.5", env=env_for(fake))
    elapsed = time.monotonic() - start
    assert done.returncode == 1, done.stderr
    chat_line, message = done.stderr.splitlines()
    assert chat_line.startswith("chat ")
    assert message == "coder-chat: the turn did not end within 1.5 s (it goes on server-side)"
    assert done.stdout == ""
    assert 1.5 <= elapsed < 15


def test_the_timeout_covers_a_server_that_does_not_answer(fake: FakeCoder) -> None:
    fake.set_rest_delay(20)  # longer than the timeout, shorter than the client's own read timeout
    start = time.monotonic()
    done = cli("ask", "nobody home", "--timeout", "1", "--json", env=env_for(fake))
    elapsed = time.monotonic() - start
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "coder-chat: the turn did not end within 1 s (it goes on server-side)\n"
    assert 1 <= elapsed < 15


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "hi", "--chat", "not-a-uuid"], "argument --chat: not a chat id (a UUID): 'not-a-uuid'"),
        (["tail", "not-a-uuid"], "argument CHAT_ID: not a chat id (a UUID): 'not-a-uuid'"),
        (["ask", "hi", "--timeout", "0"], "argument --timeout: not a positive number of seconds: '0'"),
        (["ask", "hi", "--timeout", "soon"], "argument --timeout: not a positive number of seconds: 'soon'"),
    ],
)
def test_a_bad_argument_is_a_usage_error_that_names_it(any_fake: FakeCoder, args: list[str], message: str) -> None:
    fake = any_fake
    done = cli(*args, env=env_for(fake))
    assert done.returncode == 2
    assert done.stderr.splitlines()[0].startswith("usage: coder-chat ")
    assert done.stderr.splitlines()[-1].endswith(f": error: {message}")
    assert fake.state.chats == {}  # refused before anything reached the server


def _read_one_line_then_close(process: subprocess.Popen[str]) -> tuple[str, str]:
    """What a reader like ``head -1`` does: one line, then it goes away. Returns (that line, stderr)."""
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    process.stdout.close()
    return line, process.stderr.read()


@pytest.mark.parametrize("generation", GENERATIONS)
def test_chats_into_a_reader_that_goes_away_ends_quietly_with_0(generation: str) -> None:
    with FakeCoder(script=Script(auto_run=False), generation=generation) as fake:  # type: ignore[arg-type]
        title = " ".join(["abcdefghijkl"] * 6)  # 78 characters: ~125 bytes a line
        # ~125 kB: more than the pipe and stdout's buffer hold, so a write finds the pipe closed
        chats = {fake.create_chat(title) for _ in range(1_000)}
        with running([CONSOLE_SCRIPT, "chats"], env_for(fake)) as process:
            line, err = _read_one_line_then_close(process)
            assert process.wait(timeout=30) == 0
    chat_id, rest = line.split("\t", 1)
    assert chat_id in chats and rest == f"{fake.state.initial_status}\t{title}\n"
    assert err == ""


def test_watch_into_a_reader_that_goes_away_ends_quietly_with_0(fake: FakeCoder) -> None:
    with running([sys.executable, "-m", "coder_chat", "watch"], env_for(fake)) as process:
        wait_for(lambda: fake.watch_count() == 1)
        first = fake.create_chat("one")
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline()
        process.stdout.close()
        fake.create_chat("two")  # its line is the write that finds the pipe closed
        assert process.wait(timeout=30) == 0
        err = process.stderr.read()
    assert line == f"created\t{first}\t{fake.state.initial_status}\tone\n"
    assert err == ""


# Put on the command line's path (a ``sitecustomize``): the import of ``coder_chat.client`` says so on stderr
# and waits, so a signal sent on that line arrives while the package loads, however fast this machine loads it.
_SLOW_PACKAGE_IMPORT = """
import sys
import time


class _SlowClientImport:
    def find_spec(self, name, path=None, target=None):
        if name == "coder_chat.client":
            sys.meta_path.remove(self)
            print("loading coder_chat.client", file=sys.stderr, flush=True)
            time.sleep(10)
        return None


sys.meta_path.insert(0, _SlowClientImport())
"""


@pytest.mark.serial
@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
def test_ctrl_c_while_the_package_loads_exits_130_without_a_traceback(
    any_fake: FakeCoder, launcher: str, tmp_path: Path
) -> None:
    """SIGINT while the command line imports the package (httpx, websockets, the models: what the first
    half second of a run is spent on), from inside ``run()``: the package is imported there, not when the
    console script's wrapper imports the command line's module."""
    fake = any_fake
    (tmp_path / "sitecustomize.py").write_text(_SLOW_PACKAGE_IMPORT)
    paths = [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = env_for(fake) | {"PYTHONPROFILEIMPORTTIME": "1", "PYTHONPATH": os.pathsep.join(paths)}
    with running([*LAUNCHERS[launcher], "watch"], env) as process:
        assert process.stderr is not None
        before: list[str] = []  # each import that ended before the package's began (its time, on stderr)
        while (line := process.stderr.readline()) != "loading coder_chat.client\n":
            assert line.startswith("import time:"), f"the package was never imported: {line!r}"
            before.append(line.rsplit("|", 1)[-1].strip())
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "coder_chat._cli" in before  # the command line's module loaded first: the package loads in run()
    assert out == "" and fake.watch_count() == 0


@pytest.mark.parametrize("timeout", [None, "30"])
def test_ctrl_c_during_a_turn_exits_130_without_a_traceback(fake: FakeCoder, timeout: str | None) -> None:
    fake.script = Script(auto_run=False)  # the turn stays open until interrupted
    args = ["ask", "wait for me"] + ([] if timeout is None else ["--timeout", timeout])
    with running([CONSOLE_SCRIPT, *args], env_for(fake)) as process:
        assert process.stderr is not None
        chat_line = process.stderr.readline()  # printed once the prompt is sent and the stream is open
        assert chat_line.startswith("chat "), chat_line
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert err == "\n" and out == ""


@pytest.mark.parametrize("generation", ["experimental", "2.37", "current"])
def test_info_names_the_deployment_its_chat_api_the_user_and_the_organization(generation: str) -> None:
    with FakeCoder(generation=generation) as fake:  # type: ignore[arg-type]
        done = cli("info", env=env_for(fake))
        organization = fake.organization_id
    assert done.returncode == 0, done.stderr
    api = "experimental" if generation == "experimental" else "v2"  # 2.37 serves both: v2 is spoken
    assert done.stdout.splitlines() == [
        f"url: {fake.url}",
        f"coder version: {fake.generation.version}",
        f"chat api: {api}",
        "user: admin",
        f"organization: coder ({organization})",
    ]
    assert done.stderr == ""


def test_info_never_prints_a_password_in_the_url() -> None:
    with FakeCoder(generation="current") as fake:
        env = env_for(fake)
        env["CODER_URL"] = fake.url.replace("://", "://someone:hunter2pw@")
        done = cli("info", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"url: {fake.url}"
    assert "hunter2pw" not in done.stdout + done.stderr


def test_ask_prints_the_tool_calls_a_v2_turn_waits_for() -> None:
    from coder_chat.client import AuthenticatedClient
    from coder_chat.client.api.v2 import create_chat, submit_chat_tool_results
    from coder_chat.client.models import (
        ChatInputPart,
        CreateChatRequest,
        DynamicTool,
        SubmitToolResultsRequest,
        ToolResult,
    )
    from tests.fakecoder import DynamicCall

    script = Script(text_deltas=2, dynamic_calls=(DynamicCall("get_weather", {"city": "Paris"}),))
    with (
        FakeCoder(script=script, generation="current") as fake,
        AuthenticatedClient(base_url=fake.url, token=fake.admin_token) as client,
    ):

        def answer_pending(chat_id: str) -> str:
            """Submit a result for the chat's one pending call; its id."""
            assert fake.wait_idle(chat_id) == "requires_action"
            (call,) = fake.state.chats[chat_id].pending_calls
            answer = SubmitToolResultsRequest(results=[ToolResult(tool_call_id=call["tool_call_id"], output=1)])
            submit_chat_tool_results.sync(chat_id, client=client, body=answer)
            assert fake.wait_idle(chat_id) == "waiting"
            return str(call["tool_call_id"])

        body = CreateChatRequest(
            content=[ChatInputPart(type_="text", text="first")],
            organization_id=fake.organization_id,
            unsafe_dynamic_tools=[DynamicTool(name="get_weather", input_schema={"type": "object"})],
        )
        chat_id = str(create_chat.sync(client=client, body=body).id)
        answer_pending(chat_id)
        done = cli("ask", "again", "--chat", chat_id, env=env_for(fake))
        streamed_call = answer_pending(chat_id)
        as_json = cli("ask", "once more", "--chat", chat_id, "--json", env=env_for(fake))
        json_call = answer_pending(chat_id)
    assert done.returncode == 0, done.stderr
    assert done.stdout == script.reply_text("again") + "\n"
    assert done.stderr.splitlines()[1:] == [f'[requires action] get_weather({{"city": "Paris"}}) id {streamed_call}']
    assert as_json.returncode == 0, as_json.stderr
    result = json.loads(as_json.stdout)
    assert result["status"] == "requires_action" and result["error"] is None and result["error_kind"] is None
    assert result["pending_tool_calls"] == [{"id": json_call, "name": "get_weather", "args": {"city": "Paris"}}]
