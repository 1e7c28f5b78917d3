"""Client-side tools (v2 dynamic tools): ``@tool`` and ``Tool``, a function the agent can call.

``@tool`` derives everything from the function: the name, the description (its docstring, cleaned with
``inspect.cleandoc``) and ``input_schema``, the JSON Schema of its parameters. msgspec (the ``fast``
extra) both writes that schema and checks the arguments against it: the parameters become the fields
of a msgspec ``Struct`` (``msgspec.defstruct``); ``msgspec.json.schema`` gives the schema and
``msgspec.json.decode(args, type=...)`` converts a call's arguments (strictly: ``"1"`` is not an
``int``), so what a tool declares is what its arguments are checked against. Keys the schema does not
name are ignored (the schema does not forbid them), as the Go SDK's ``NewDynamicTool`` allows them.

The schema is inlined, as the Go SDK's (``DoNotReference``): each ``$ref`` msgspec writes is replaced by
its definition, since not every model provider resolves references; only a recursive type keeps
``$ref`` and its definition under the top-level ``$defs``. Parameter descriptions come from
``Annotated[T, msgspec.Meta(description=...)]``.

``Tool(name=, description=, input_schema=, fn=)`` takes a schema as given and needs no extra: a call's
arguments (a JSON object) are passed to ``fn`` as keyword arguments after a check that they fit its
signature; the schema is declared, not enforced (no JSON Schema validator without an extra).

msgspec is a feature here, not a speedup: ``speedups.disabled()`` does not hide it from ``@tool``, and a
tool's return value goes through ``msgspec.to_builtins`` whenever msgspec is installed (``json_output``).

Names are checked as Coder checks them (API-v2.md §3.1): a name must not be empty. Duplicate names and
more than 250 tools are refused where the tools are put together (``_toolrunner.ToolRunner``).
"""

from __future__ import annotations

import copy
import inspect
import json
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, overload

from coder_chat._runtime import speedups
from coder_chat.client.models.dynamic_tool import DynamicTool
from coder_chat.client.types import UNSET

__all__ = ["InvalidArgumentsError", "Tool", "json_output", "tool"]

_STRUCT_NAME: Final = "coder_chat_tool_arguments"
_REF_PREFIX: Final = "#/$defs/"
# Schema keywords whose values are data, not schemas: never searched for "$ref".
_DATA_KEYWORDS: Final = frozenset({"default", "const", "enum", "examples"})
_NO_MSGSPEC: Final = (
    "@tool derives a tool's input schema from its type hints with msgspec, which is not installed: "
    "install the fast extra (pip install 'coder-chat[fast]'), or build "
    "Tool(name=..., description=..., input_schema=..., fn=...) with an explicit schema"
)


class InvalidArgumentsError(ValueError):
    """A call's arguments do not fit the tool; the message is what the agent is told."""


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"a tool's name must be a string, not {type(name).__name__}")
    if not name:
        raise ValueError("a tool's name must not be empty (Coder refuses empty dynamic tool names)")
    return name


class Tool:
    """A function the agent can call, run in this process: ``name``, ``description``, ``input_schema``, ``fn``.

    Build one with ``@tool`` (schema from the type hints, needs the ``fast`` extra) or directly with an
    explicit ``input_schema`` (a JSON Schema object; no extra needed). Calling the ``Tool`` calls ``fn``.
    """

    __slots__ = ("_struct", "description", "fn", "input_schema", "name")

    name: str
    description: str
    input_schema: dict[str, Any]
    fn: Callable[..., Any]

    def __init__(
        self,
        *,
        name: str,
        input_schema: Mapping[str, Any],
        fn: Callable[..., Any],
        description: str = "",
    ) -> None:
        """``input_schema``: the JSON Schema of the arguments, an object schema (``{"type": "object", ...}``)."""
        self.name = _check_name(name)
        if not isinstance(description, str):
            raise TypeError(f"tool {name!r}: description must be a string, not {type(description).__name__}")
        if not isinstance(input_schema, Mapping) or input_schema.get("type") != "object":
            raise ValueError(f'tool {name!r}: input_schema must be an object schema ({{"type": "object", ...}})')
        try:
            json.dumps(input_schema, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"tool {name!r}: input_schema is not JSON: {exc}") from None
        if not callable(fn):
            raise TypeError(f"tool {name!r}: fn must be callable, not {type(fn).__name__}")
        self.description = description
        self.input_schema = dict(input_schema)
        self.fn = fn
        self._struct: type[Any] | None = None  # the msgspec Struct of @tool's parameters

    @property
    def is_async(self) -> bool:
        """Whether ``fn`` is a coroutine function (awaited by the runner)."""
        return inspect.iscoroutinefunction(self.fn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Tool(name={self.name!r}, fn={getattr(self.fn, '__qualname__', self.fn)!r})"

    def to_dynamic_tool(self) -> DynamicTool:
        """The declaration a new chat sends in ``CreateChatRequest.unsafe_dynamic_tools``."""
        return DynamicTool(name=self.name, input_schema=self.input_schema, description=self.description or UNSET)

    def _bind(self, args: str) -> inspect.BoundArguments:
        """``fn``'s arguments for a call's ``args`` (JSON text; empty text means no arguments).

        Raises ``InvalidArgumentsError`` (``"invalid parameters: ..."``) when they do not fit.
        """
        text = args if args.strip() else "{}"
        if self._struct is not None:
            values = _decode_struct(self._struct, text)
        else:
            try:
                values = json.loads(text)
            except ValueError as exc:
                raise InvalidArgumentsError(f"invalid parameters: not JSON: {exc}") from None
            if not isinstance(values, dict):
                raise InvalidArgumentsError(f"invalid parameters: expected a JSON object, got {_json_kind(values)}")
        signature = _signature(self.fn, values)
        positional = [values.pop(p.name) for p in signature.parameters.values() if _positional_only(p, values)]
        try:
            return signature.bind(*positional, **values)
        except TypeError as exc:
            raise InvalidArgumentsError(f"invalid parameters: {exc}") from None


def _signature(fn: Callable[..., Any], values: Mapping[str, Any]) -> inspect.Signature:
    """``fn``'s signature; for a callable without one (some builtins), one that takes ``values`` by keyword."""
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return inspect.Signature([inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY) for k in values])


def _positional_only(parameter: inspect.Parameter, values: Mapping[str, Any]) -> bool:
    return parameter.kind is inspect.Parameter.POSITIONAL_ONLY and parameter.name in values


def _json_kind(value: object) -> str:
    kinds = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _decode_struct(struct: type[Any], text: str) -> dict[str, Any]:
    msgspec = speedups.msgspec
    try:
        decoded = msgspec.json.decode(text, type=struct)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise InvalidArgumentsError(f"invalid parameters: {exc}") from None
    return {name: getattr(decoded, name) for name in struct.__struct_fields__}


@overload
def tool(fn: Callable[..., Any], /) -> Tool: ...
@overload
def tool(*, name: str | None = None, description: str | None = None) -> Callable[[Callable[..., Any]], Tool]: ...
def tool(
    fn: Callable[..., Any] | None = None, /, *, name: str | None = None, description: str | None = None
) -> Tool | Callable[[Callable[..., Any]], Tool]:
    """Make a function (sync or async) a ``Tool``: ``@tool`` or ``@tool(name=..., description=...)``.

    The name defaults to the function's, the description to its docstring, and ``input_schema`` is the
    JSON Schema of its parameters' type hints (``str``, ``int``, ``float``, ``bool``, ``list[...]``,
    ``dict[str, ...]``, ``Literal``, enums, optionals, defaults, TypedDicts, dataclasses, attrs classes,
    msgspec Structs). Needs msgspec (``pip install 'coder-chat[fast]'``): ``ImportError`` without it;
    ``TypeError`` for a parameter msgspec cannot describe, ``*args``/``**kwargs``, or a hint that does not
    resolve; ``ValueError`` for an empty name.
    """

    def make(function: Callable[..., Any]) -> Tool:
        return _from_function(function, name, description)

    return make if fn is None else make(fn)


def _from_function(fn: Callable[..., Any], name: str | None, description: str | None) -> Tool:
    msgspec = speedups.msgspec
    if msgspec is None:
        raise ImportError(_NO_MSGSPEC)
    if not callable(fn):
        raise TypeError(f"@tool applies to a function, not {type(fn).__name__}")
    if name is None and not getattr(fn, "__name__", ""):
        raise ValueError(f"@tool: {fn!r} has no __name__; give the tool one with @tool(name=...)")
    tool_name = _check_name(fn.__name__ if name is None else name)
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception as exc:  # NameError for a hint that names nothing visible, and others
        raise TypeError(f"tool {tool_name!r}: its type hints do not resolve: {exc}") from exc
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for parameter in inspect.signature(fn).parameters.values():
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            raise TypeError(f"tool {tool_name!r}: *args and **kwargs have no JSON Schema; name each parameter")
        hint = hints.get(parameter.name, Any)
        if parameter.default is inspect.Parameter.empty:
            fields.append((parameter.name, hint))
        else:
            fields.append((parameter.name, hint, _default(msgspec, parameter.default)))
    try:
        struct = msgspec.defstruct(_STRUCT_NAME, fields, kw_only=True)
        schema = _inline_refs(msgspec.json.schema(struct))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"tool {tool_name!r}: msgspec cannot describe its parameters: {exc}") from exc
    schema.pop("title", None)  # the Struct's internal name, meaningless to the agent
    doc = inspect.getdoc(fn) if description is None else inspect.cleandoc(description)
    made = Tool(name=tool_name, description=doc or "", input_schema=schema, fn=fn)
    made._struct = struct
    return made


def _default(msgspec: Any, value: Any) -> Any:
    """A field default msgspec accepts: a non-empty list, dict or set is copied per call."""
    if isinstance(value, list | dict | set | bytearray) and value:
        return msgspec.field(default_factory=lambda: copy.deepcopy(value))
    return value


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """msgspec's schema with every ``$ref`` replaced by its definition, except a recursive type's."""
    definitions: dict[str, Any] = schema.get("$defs", {})
    kept: dict[str, Any] = {}

    def expand(node: Any, within: frozenset[str]) -> Any:
        if isinstance(node, list):
            return [expand(item, within) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX) and ref[len(_REF_PREFIX) :] in definitions:
            target = ref[len(_REF_PREFIX) :]
            if target in within:  # a type that contains itself: keep the reference
                kept.setdefault(target, None)
                return dict(node)
            return expand(definitions[target], within | {target})
        return {k: v if k in _DATA_KEYWORDS else expand(v, within) for k, v in node.items() if k != "$defs"}

    root = expand(schema, frozenset())
    while any(value is None for value in kept.values()):
        for target in [t for t, value in kept.items() if value is None]:
            kept[target] = expand(definitions[target], frozenset({target}))
    if kept:
        root["$defs"] = kept
    return typing.cast(dict[str, Any], root)


def json_output(value: Any) -> Any:
    """A tool's return value as a JSON value for ``ToolResult.output``.

    With msgspec installed, ``msgspec.to_builtins`` first turns dataclasses, attrs classes, Structs,
    enums, datetimes, UUIDs, sets and the like into JSON values. ``TypeError`` or ``ValueError`` (NaN and
    infinities, which JSON lacks; a value that contains itself or nests too deep) when it is not JSON.
    """
    msgspec = speedups.msgspec
    try:
        if msgspec is not None:
            value = msgspec.to_builtins(value)
        _check_json(value)
    except RecursionError:
        raise ValueError(_TOO_DEEP) from None
    return value


def _check_json(value: Any) -> None:
    try:
        json.dumps(value, allow_nan=False)
    except ValueError as exc:
        if "Circular reference" in str(exc):
            raise ValueError(_TOO_DEEP) from None
        # the standard library's wording of this one changes between Python versions
        raise ValueError("NaN and infinities are not JSON numbers") from None


_TOO_DEEP = "it contains itself, or nests deeper than the interpreter's recursion limit"
