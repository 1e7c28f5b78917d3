"""``@tool`` and ``Tool`` without a server: the JSON Schema msgspec derives from the type hints, names and
descriptions, definition errors, and ``Tool`` with an explicit schema when msgspec is not installed."""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import subprocess
import sys
import textwrap
import threading
from typing import Annotated, Any, Literal, NotRequired, TypedDict

import attrs
import msgspec
import pytest

from coder_chat.client.models import DynamicTool
from coder_chat.streaming import Tool, tool

pytestmark = pytest.mark.timeout(30)


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Point(TypedDict):
    x: int
    label: NotRequired[str]


@dataclasses.dataclass
class Box:
    width: float
    tags: list[str] = dataclasses.field(default_factory=list)


@attrs.define
class Flags:
    strict: bool = True


@dataclasses.dataclass
class Node:
    value: int
    children: list[Node]


def schema_of(fn: Any) -> dict[str, Any]:
    made = tool(fn)
    assert isinstance(made, Tool)
    return made.input_schema


def test_schema_of_each_scalar_and_container_kind() -> None:
    def f(
        s: str,
        i: int,
        x: float,
        b: bool,
        items: list[str],
        counts: dict[str, int],
        mode: Literal["fast", "slow"],
        colour: Colour,
        maybe: int | None,
        limit: int = 10,
        names: list[str] = ["a"],  # noqa: B006 - a mutable default is copied per call
    ) -> None:
        pass

    assert schema_of(f) == {
        "type": "object",
        "properties": {
            "s": {"type": "string"},
            "i": {"type": "integer"},
            "x": {"type": "number"},
            "b": {"type": "boolean"},
            "items": {"type": "array", "items": {"type": "string"}},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "mode": {"enum": ["fast", "slow"]},
            "colour": {"title": "Colour", "enum": ["blue", "red"]},
            "maybe": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "limit": {"type": "integer", "default": 10},
            "names": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["s", "i", "x", "b", "items", "counts", "mode", "colour", "maybe"],
    }


def test_schema_of_classes_is_inlined_and_a_recursive_type_keeps_its_definition() -> None:
    def f(point: Point, box: Box, flags: Flags, tree: Node) -> None:
        pass

    node = {
        "title": "Node",
        "type": "object",
        "properties": {"value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}},
        "required": ["value", "children"],
    }
    assert schema_of(f) == {
        "type": "object",
        "properties": {
            "point": {
                "title": "Point",
                "type": "object",
                "properties": {"x": {"type": "integer"}, "label": {"type": "string"}},
                "required": ["x"],
            },
            "box": {
                "title": "Box",
                "type": "object",
                "properties": {"width": {"type": "number"}, "tags": {"type": "array", "items": {"type": "string"}}},
                "required": ["width"],
            },
            "flags": {
                "title": "Flags",
                "type": "object",
                "properties": {"strict": {"type": "boolean", "default": True}},
                "required": [],
            },
            "tree": node,
        },
        "required": ["point", "box", "flags", "tree"],
        "$defs": {"Node": node},
    }


def test_annotated_descriptions_and_unannotated_parameters() -> None:
    def f(city: Annotated[str, msgspec.Meta(description="A city name")], anything):  # type: ignore[no-untyped-def]
        pass

    assert schema_of(f)["properties"] == {"city": {"type": "string", "description": "A city name"}, "anything": {}}


def test_name_and_description_come_from_the_function_or_the_decorator() -> None:
    @tool
    def lookup(ticket: int) -> str:
        """Look up a ticket.

        Returns its title.
        """
        return f"#{ticket}"

    assert (lookup.name, lookup.description) == ("lookup", "Look up a ticket.\n\nReturns its title.")
    assert lookup(7) == "#7"  # the Tool still calls the function
    assert lookup.is_async is False

    @tool(name="find", description="\n    Find things.\n      Indented.\n")
    async def search(query: str) -> list[str]:
        return [query]

    assert (search.name, search.description, search.is_async) == ("find", "Find things.\n  Indented.", True)

    @tool
    def bare(x: int) -> int:
        return x

    assert bare.description == ""
    assert bare.to_dynamic_tool().to_dict() == {"name": "bare", "input_schema": bare.input_schema}
    assert lookup.to_dynamic_tool().to_dict() == {
        "name": "lookup",
        "description": "Look up a ticket.\n\nReturns its title.",
        "input_schema": {"type": "object", "properties": {"ticket": {"type": "integer"}}, "required": ["ticket"]},
    }
    assert isinstance(lookup.to_dynamic_tool(), DynamicTool)


def test_definition_errors() -> None:
    def ok(x: int) -> int:
        return x

    with pytest.raises(ValueError, match="must not be empty"):
        tool(name="")(ok)
    with pytest.raises(ValueError, match="must not be empty"):
        Tool(name="", input_schema={"type": "object"}, fn=ok)
    with pytest.raises(TypeError, match="name must be a string"):
        Tool(name=3, input_schema={"type": "object"}, fn=ok)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="object schema"):
        Tool(name="t", input_schema={"type": "array"}, fn=ok)
    with pytest.raises(
        ValueError, match="tool 't': input_schema is not JSON: Object of type set is not JSON serializable"
    ):
        Tool(name="t", input_schema={"type": "object", "required": {"x"}}, fn=ok)
    with pytest.raises(TypeError, match="fn must be callable"):
        Tool(name="t", input_schema={"type": "object"}, fn="ok")  # type: ignore[arg-type]

    with pytest.raises(ValueError, match=r"has no __name__; give the tool one with @tool\(name=...\)"):
        tool(functools.partial(ok, 1))

    def star(*args: int) -> None:
        pass

    with pytest.raises(TypeError, match=r"\*args and \*\*kwargs"):
        tool(star)

    def unresolved(x: NoSuchType) -> None:  # type: ignore[name-defined]  # noqa: F821
        pass

    with pytest.raises(TypeError, match="type hints do not resolve"):
        tool(unresolved)

    def unsupported(lock: threading.Lock) -> None:
        pass

    with pytest.raises(TypeError, match="msgspec cannot describe its parameters"):
        tool(unsupported)


NO_MSGSPEC = textwrap.dedent(
    """
    import sys
    sys.modules["msgspec"] = None  # what an install without the fast extra sees: import msgspec fails
    import json
    from coder_chat.client.models import ChatStreamToolCall
    from coder_chat.streaming import Tool, tool
    from coder_chat.streaming._turns.toolio import run_tool_calls
    from coder_chat.streaming._turns.toolrunner import ToolRunner

    def greet(name):
        return {"hello": name}

    explicit = Tool(name="greet", input_schema={"type": "object"}, fn=greet)
    results = run_tool_calls(ToolRunner([explicit]), [
        ChatStreamToolCall("c1", "greet", '{"name": "Ada"}'),
        ChatStreamToolCall("c2", "greet", '{"name": {1, 2}}'),
    ])
    print(json.dumps([[r.output, r.is_error] for r in results]))
    try:
        tool(greet)
    except ImportError as exc:
        print(exc)
    """
)


def test_without_msgspec_explicit_tools_work_and_tool_says_what_to_install() -> None:
    done = subprocess.run([sys.executable, "-c", NO_MSGSPEC], capture_output=True, text=True, timeout=60, check=True)
    first, second = done.stdout.splitlines()
    assert json.loads(first) == [
        [{"hello": "Ada"}, False],
        [
            "invalid parameters: not JSON: Expecting property name "
            "enclosed in double quotes: line 1 column 11 (char 10)",
            True,
        ],
    ]
    assert second == (
        "@tool derives a tool's input schema from its type hints with msgspec, which is not installed: "
        "install the fast extra (pip install 'coder-chat[fast]'), or build "
        "Tool(name=..., description=..., input_schema=..., fn=...) with an explicit schema"
    )
