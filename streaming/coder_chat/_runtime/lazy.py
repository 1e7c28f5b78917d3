"""Package attributes imported on first access (PEP 562), for ``coder_chat.streaming`` and the models package.

A package lists ``name -> submodule`` and gets the ``__getattr__`` and ``__dir__`` that import a
submodule the first time one of its names is asked for. Names already imported, ``__all__``,
``import *`` and ``dir()`` work as with eager imports; type checkers read the package's
``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str, modules: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``, whose globals are ``namespace``, and whose name ``x``
    lives in the submodule ``modules[x]`` (relative, e.g. ``"._turn"``)."""

    def __getattr__(name: str) -> object:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module, package), name)
        namespace[name] = value  # later lookups do not come back here
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *modules})

    return __getattr__, __dir__
