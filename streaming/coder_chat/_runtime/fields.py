"""What the generated models do when they are built: field conversion and checks, and ``repr()``.

Each model field whose type is an enum, a UUID, another model, a list, a JSON scalar or a date-time gets an
attrs converter, rendered per field by ``templates/model.py.jinja``: a value of the exact class (and None or
UNSET where the field allows them) is returned at once, anything else goes to one of these; a model class
comes from a ``LazyModel``, as the model modules import one another:

- an enum field takes its member or its wire string; a string the enum does not know is kept as a
  pseudo-member equal to that string (forward compatibility), so it round-trips through ``to_dict()``;
- a UUID field takes a ``UUID`` or its string form;
- a model field takes the model or a mapping (read with the model's ``from_dict``);
- a list field takes a list or a tuple of what its items take;
- a ``str``, ``bool``, ``float`` or date-time field takes an instance of its type, where a ``bool`` is not a
  number and an ``int`` is a ``float``; an ``int`` field (``int64_field`` in ``types``) refuses a ``bool``
  and what does not fit Go's ``int64``.

Anything else raises ``FieldTypeError`` (a ``CoderChatError`` and a ``TypeError``) naming the field, when
the model is built or a field is assigned: never an ``AttributeError`` from inside ``to_dict()`` when the
request is sent. ``model_repr`` is every model's ``__repr__``.

``field_error`` and ``item_error`` are what a model's ``from_dict`` calls when reading a value failed (and
only then): the ``ResponseValidationError`` naming the value's path and what was wrong with it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, Generic, TypeVar, cast
from uuid import UUID

import attrs

from .exceptions import FieldTypeError, ResponseValidationError, model_error
from .types import UNSET, Unset, int64_field

__all__ = [
    "LazyModel",
    "OwnDict",
    "as_is",
    "enum_field",
    "field_error",
    "item_error",
    "list_field",
    "model_field",
    "model_repr",
    "scalar_field",
    "scalar_reader",
    "uuid_field",
]

E = TypeVar("E", bound=Enum)
M = TypeVar("M")
S = TypeVar("S")


class LazyModel(Generic[M]):
    """A model class for a converter or a parser, imported at its first use: the model modules import one
    another, so one cannot import another as it loads. Call it for the class.

    Given ``namespace`` (the globals of the model module that uses the class), the first call also binds
    the class there under its own name, the name that module imports for type checkers only: its
    ``from_dict`` calls the holder once, then uses the name as if imported (an import statement inside a
    function costs far more than this call, on every call)."""

    __slots__ = ("_class", "_module", "_name", "_namespace", "_package")

    def __init__(self, package: str | None, module: str, name: str, namespace: dict[str, Any] | None = None) -> None:
        self._package, self._module, self._name, self._namespace = package, module, name, namespace
        self._class: type[M] | None = None

    def __call__(self) -> type[M]:
        model_class = self._class
        if model_class is None:
            module = importlib.import_module(f".{self._module}", self._package)
            model_class = self._class = cast("type[M]", getattr(module, self._name))
            if self._namespace is not None:
                self._namespace[self._name] = model_class
        return model_class


class OwnDict:
    """A class attribute that gives an instance its own empty dict on the first read, kept in the instance's
    ``__dict__`` from then on (which a later read finds first): for a sparse model's ``additional_properties``,
    which most instances never use, so that building one does not make a dict it will not need."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        own: dict[str, Any] = {}
        instance.__dict__[self._name] = own
        return own


def enum_field(enum_class: type[E], field: str, value: object) -> E:
    """``value`` as a member of ``enum_class``: a member as is, a wire string through the enum (unknown kept)."""
    if isinstance(value, enum_class):
        return value
    if isinstance(value, str | int) and not isinstance(value, bool):
        try:
            return enum_class(value)  # a generated str enum's _missing_ keeps a string it does not know
        except ValueError:
            pass
    raise FieldTypeError(field, f"{enum_class.__name__} or its wire value", value)


def uuid_field(field: str, value: object) -> UUID:
    """``value`` as a ``UUID``: a ``UUID`` as is, its string form parsed; anything else refused."""
    if isinstance(value, UUID):
        return value
    if isinstance(value, str):
        try:
            return UUID(value)
        except ValueError:
            reason = f"must be a UUID, not the string {_preview(value)}"
            raise FieldTypeError(field, "UUID", value, reason=reason) from None
    raise FieldTypeError(field, "UUID or str", value)


def model_field(model_class: type[M], field: str, value: object) -> M:
    """``value`` as a ``model_class``: an instance as is, a mapping read with ``model_class.from_dict``."""
    if isinstance(value, model_class):
        return value
    if isinstance(value, Mapping):
        from_dict: Any = getattr(model_class, "from_dict")  # noqa: B009 (every generated model has it)
        try:
            result: M = from_dict(value)
        except ResponseValidationError as error:  # its path from this field
            raise error.prefixed(field) from error.__cause__  # (the same error, its cause kept)
        return result
    raise FieldTypeError(field, model_class.__name__, value)


def list_field(item_class: type[Any] | None, field: str, value: object) -> list[Any]:
    """``value`` as a list: each item converted like a field of ``item_class`` (not checked when None)."""
    if value.__class__ is list and (item_class is None or all(item.__class__ is item_class for item in value)):
        return value
    if not isinstance(value, list | tuple):
        expected = f"list[{item_class.__name__}]" if item_class is not None else "list"
        raise FieldTypeError(field, expected, value)
    if item_class is None:
        return list(value)
    if issubclass(item_class, Enum):
        return [enum_field(item_class, f"{field}[{i}]", item) for i, item in enumerate(value)]
    if item_class is UUID:
        return [uuid_field(f"{field}[{i}]", item) for i, item in enumerate(value)]
    if item_class in _SCALARS:
        for i, item in enumerate(value):
            if not _is_scalar(item_class, item):
                raise FieldTypeError(f"{field}[{i}]", item_class.__name__, item)
        return list(value)
    return [model_field(item_class, f"{field}[{i}]", item) for i, item in enumerate(value)]


def field_error(exc: Exception, field: str | None, expected: str, value: object, secret: bool = False) -> Exception:
    """What ``from_dict`` raises when reading its ``field`` (None: the value it was given) raised ``exc``:
    ``value`` is that field's JSON value (``UNSET`` when absent) and ``expected`` says what it should be. A
    nested model's error gets ``field`` prefixed to its path; a RecursionError or MemoryError stays itself.
    A ``secret`` field's value is described by its type only."""
    if isinstance(exc, ResponseValidationError):
        return exc if field is None else exc.prefixed(field)
    if isinstance(exc, RecursionError | MemoryError):
        return exc
    if isinstance(exc, FieldTypeError):  # a converter's: keep its words, and its index into a list field
        path = exc.field if field is None or exc.field == field or exc.field.startswith(field + "[") else field
        return model_error(TypeError, path, str(exc).removeprefix(f"field {exc.field!r} "), exc)
    if isinstance(exc, KeyError) and value is UNSET:
        return model_error(KeyError, field, "is required but missing", exc)
    kind = ValueError if isinstance(exc, ValueError) else TypeError
    return model_error(kind, field, f"must be {expected}, not {_describe(value, secret)}", exc)


def item_error(exc: Exception, found: Callable[[Any], Any] | int, items: object, expected: str) -> Exception:
    """What reading a list's items raised (``exc``), as the error of its first bad item, ``[index]`` prefixed
    to its path; the error of the list itself when it is no list. ``expected`` says what an item should be;
    ``found`` is the index of the bad item, or what parses an item (each is parsed again to find which one
    failed: a list of models is read by ``list(map(parse, items))``). This runs only once reading failed."""
    if isinstance(exc, RecursionError | MemoryError):
        return exc
    if not isinstance(items, list | tuple):
        return model_error(TypeError, None, f"must be a list (each item {expected}), not {_describe(items)}", exc)
    if isinstance(found, int):
        return field_error(exc, f"[{found}]", expected, items[found])
    for index, item in enumerate(items):
        try:
            found(item)
        except ResponseValidationError as error:
            return error.prefixed(f"[{index}]")
    return exc


def _describe(value: object, secret: bool = False) -> str:
    """A short description of a JSON value for an error message: its type, and a short scalar's value."""
    if isinstance(value, str):
        return "a string" if secret else f"the string {_preview(value)}"
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, int | float):
        return "a number" if secret or len(repr(value)) > 24 else f"the number {value!r}"
    if isinstance(value, Mapping):
        return "an object"
    return "a list" if isinstance(value, list | tuple) else f"a {type(value).__name__}"


_SCALARS = (str, int, float, bool)


def scalar_field(scalar: type[S], field: str, value: object, expected: str) -> S:
    """``value`` if it is an instance of ``scalar`` (no bool for a number; an int is a float), else
    ``FieldTypeError`` naming ``field`` and the ``expected`` type. A converter calls it once the exact
    class failed (a ``str`` subclass, an ``int`` for a ``float``, a ``datetime`` subclass, a wrong type)."""
    if _is_scalar(scalar, value):
        return cast("S", value)
    raise FieldTypeError(field, expected, value)


def scalar_reader(field: str, scalar: type[Any]) -> Callable[[Any], Any]:
    """How a sparse model's ``from_dict`` reads a value of its scalar ``field`` (``str``, ``bool``, ``int``
    or ``float``, not nullable) whose class is not exactly ``scalar``: it checks what the stream models'
    ``from_dict`` check inline. ``UNSET`` is taken (an absent field) and so is an instance of ``scalar``
    (no bool for a number; an int is a float); an ``int`` field refuses what Go's ``int64`` refuses.
    Anything else raises ``FieldTypeError`` naming the field."""
    if scalar is int:
        return lambda value: value if value is UNSET else int64_field(field, value)
    accepted = (float, int, Unset) if scalar is float else (scalar, Unset)
    no_bool = scalar is float  # JSON true is no number, isinstance(True, int) notwithstanding

    def read(value: Any) -> Any:
        if isinstance(value, accepted) and not (no_bool and value.__class__ is bool):
            return value
        raise FieldTypeError(field, scalar.__name__, value)

    return read


def as_is(value: Any) -> Any:
    """A sparse model's reader of a field that takes any JSON value (its ``from_dict`` never calls it)."""
    return value


def _is_scalar(scalar: type[Any], value: object) -> bool:
    """Whether ``value`` is a value of the Python type ``scalar`` (no bool for a number; an int is a float)."""
    if isinstance(value, bool):
        return scalar is bool
    return isinstance(value, int | float) if scalar is float else isinstance(value, scalar)


def _preview(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "...")


def model_repr(self: object) -> str:
    """``Model(a=1, b='x')``: the fields that are set, in declaration order, then ``additional_properties``.

    A field declared with ``repr=False`` holds a secret: it shows as ``name=***`` when it has a value (None
    and the empty string, which carry no secret, show as they are).
    """
    parts = []
    for attribute in attrs.fields(cast("type[attrs.AttrsInstance]", type(self))):
        value = getattr(self, attribute.name)
        if value is UNSET:
            continue
        if attribute.name == "additional_properties":
            if value:
                parts.append(f"additional_properties={value!r}")
            continue
        if attribute.repr is False and value is not None and value != "":
            parts.append(f"{attribute.alias or attribute.name}=***")
        else:
            parts.append(f"{attribute.alias or attribute.name}={value!r}")
    return f"{type(self).__name__}({', '.join(parts)})"
