"""Pure helpers: the script's deterministic text, Go-like parsing, branch URLs."""

from __future__ import annotations

import pytest

from tests.fakecoder import Script
from tests.fakecoder.assistant import split_even
from tests.fakecoder.server import branch_url
from tests.fakecoder.wire import APIError, fmt_time, go_parse_int64, go_parse_uuid, now, read_struct


def test_script_text_is_deterministic() -> None:
    script = Script(text_deltas=4)
    assert script.reply_text("hi") == "You said: hi. "
    chunks = script.text_chunks("hi")
    assert len(chunks) == 4 and "".join(chunks) == "You said: hi. " and all(chunks)
    big = Script(text_deltas=5000)
    assert len(big.text_chunks("hi")) == 5000
    assert "".join(big.text_chunks("hi")) == big.reply_text("hi")
    assert big.reply_text("hi").startswith("You said: hi. You said: hi. ")
    assert Script(reply="fixed", text_deltas=2).text_chunks("ignored") == ["fix", "ed"]
    assert split_even("", 3) == [""]


def test_go_parsers() -> None:
    assert go_parse_int64("42") == (42, "")
    assert go_parse_int64("x") == (None, 'strconv.ParseInt: parsing "x": invalid syntax')
    assert go_parse_int64("9" * 30)[1].endswith("value out of range")
    assert go_parse_uuid("abc") == (None, "invalid UUID length: 3")
    upper = "A1B2C3D4-0000-4000-8000-000000000000"
    assert go_parse_uuid(upper) == (upper.lower(), "")
    assert go_parse_uuid("{" + upper + "}")[0] == upper.lower()


def test_read_struct_mimics_go_decoder() -> None:
    fields = {"context_limit": "int64", "enabled": "bool"}
    assert read_struct(b"null", "X", fields) == {}
    assert read_struct(b'{"context_limit": 5, "x": 1} trailing', "X", fields) == {"context_limit": 5}
    with pytest.raises(APIError) as caught:
        read_struct(b'{"context_limit": 1.5}', "X", fields)
    assert caught.value.body["detail"] == (
        "json: cannot unmarshal number 1.5 into Go struct field X.context_limit of type int64"
    )
    with pytest.raises(APIError) as caught:
        read_struct(b"[]", "X", fields)
    assert caught.value.body["detail"] == "json: cannot unmarshal array into Go value of type codersdk.X"
    with pytest.raises(APIError) as caught:
        read_struct(b'{"a":', "X", fields)
    assert caught.value.body == {"message": "Request body must be valid JSON.", "detail": "unexpected EOF"}


def test_times_are_rfc3339_z_and_increasing() -> None:
    a, b = now(), now()
    assert b > a
    assert fmt_time(a).endswith("Z") and "+" not in fmt_time(a)


def test_branch_url() -> None:
    expected = "https://github.com/coder/coder/tree/feature%2Fdiff-status"
    assert branch_url("git@github.com:coder/coder.git", "feature/diff-status") == expected
    assert branch_url("https://github.com/coder/coder", "feature/diff-status") == expected
    assert branch_url("https://gitlab.example.com/a/b.git", "main") is None
