"""The stream codec follows the spec: a payload, an event type and part fields added to a copy of
``openapi.yaml`` reach ``decode_frame`` and the stream's core, fast and plain, after regenerating.

One run of the pinned generator per session, exactly as the Makefile's ``generate_into`` runs it (the
same config, templates and flags), into a temporary directory; the decoding runs in a subprocess with
that package first on the path, since the codec derives its tables when it is imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]  # PyYAML (a dev dependency of the spec linter) ships no stubs

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
CHAT = "6f1c1b1e-8c43-4d0e-9a57-0b8a5c3f2d11"

pytestmark = pytest.mark.timeout(300)


def extend_spec(spec: dict[str, Any]) -> None:
    """What a maintainer adds: a ``preview`` event with a payload schema of its own, a field on
    ``ChatStreamMessagePart`` and one on ``ChatMessagePart``."""
    schemas = spec["components"]["schemas"]
    schemas["ChatStreamPreview"] = {
        "type": "object",
        "description": "A draft of the reply so far (`preview` events).",
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "description": "The draft."},
            "tokens": {"type": "integer", "format": "int64", "description": "Tokens so far."},
        },
    }
    schemas["ChatStreamEventType"]["enum"].append("preview")
    schemas["ChatStreamEvent"]["properties"]["preview"] = {
        "description": "A draft of the reply (`preview` events).",
        "anyOf": [{"$ref": "#/components/schemas/ChatStreamPreview"}, {"type": "null"}],
    }
    schemas["ChatStreamMessagePart"]["properties"]["shard"] = {
        "type": "integer",
        "format": "int64",
        "description": "Which shard streamed the part.",
    }
    schemas["ChatMessagePart"]["properties"]["tone"] = {"type": "string", "description": "The part's tone."}


@pytest.fixture(scope="session")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The client generated from the extended spec; the directory to put first on the path."""
    work = tmp_path_factory.mktemp("spec")
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    extend_spec(spec)
    (work / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))
    package = work / "path" / "coder_chat" / "client"
    generated = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(work / "openapi.yaml"),
            "--config",
            str(ROOT / "generator-config.yaml"),
            "--custom-template-path",
            str(ROOT / "templates"),
            "--meta",
            "none",
            "--output-path",
            str(package),
            "--fail-on-warning",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "PATH": os.pathsep.join([str(GENERATOR.parent), os.environ.get("PATH", "")]),
        },  # its ruff hooks
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return work / "path"


DECODE = """
import json, sys, uuid
from coder_chat._runtime import speedups
from coder_chat.client.models import ChatStreamPreview
from coder_chat.streaming import decode_frame
from coder_chat.streaming._codec.fast import PARSER
from coder_chat.streaming._connection.protocol import ChatStreamProtocol

frame, chat = sys.argv[1], sys.argv[2]

def through_the_core():
    core = ChatStreamProtocol(uuid.UUID(chat))
    core.connection_opened()
    core.receive_frame(frame)
    events = []
    while (event := core.next_event()) is not None:
        events.append(event)
    return events

def describe(events):
    preview, part = events
    stream_part = part.message_part
    return {
        "types": [str(event.type_) for event in events],
        "known": [event.type_.is_known for event in events],
        "preview_model": type(preview.preview).__name__,
        "preview": [preview.preview.text, preview.preview.tokens],
        "is_the_new_model": isinstance(preview.preview, ChatStreamPreview),
        "shard": stream_part.shard,
        "tone": stream_part.part.tone,
        "left_over": [preview.additional_properties, stream_part.additional_properties,
                      stream_part.part.additional_properties],
    }

out = {"fast_parses_it_whole": PARSER is not None and PARSER.parse(frame) is not None}
out["fast"] = [describe(decode_frame(frame)), describe(through_the_core())]
with speedups.disabled():
    out["plain"] = [describe(decode_frame(frame)), describe(through_the_core())]
print(json.dumps(out))
"""


def test_a_payload_an_event_type_and_part_fields_added_to_the_spec_are_decoded(regenerated: Path) -> None:
    frame = json.dumps(
        {
            "type": "data",
            "data": [
                {"type": "preview", "chat_id": CHAT, "preview": {"text": "draft", "tokens": 3}},
                {
                    "type": "message_part",
                    "chat_id": CHAT,
                    "message_part": {
                        "role": "assistant",
                        "shard": 2,
                        "part": {"type": "text", "text": "hi", "tone": "warm"},
                    },
                },
            ],
        }
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(regenerated), str(ROOT / "streaming")])}
    result = subprocess.run(
        [sys.executable, "-c", DECODE, frame, CHAT], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    decoded = json.loads(result.stdout)
    expected = {
        "types": ["preview", "message_part"],
        "known": [True, True],
        "preview_model": "ChatStreamPreview",
        "preview": ["draft", 3],
        "is_the_new_model": True,
        "shard": 2,
        "tone": "warm",
        "left_over": [{}, {}, {}],
    }
    assert decoded == {"fast_parses_it_whole": True, "fast": [expected, expected], "plain": [expected, expected]}
