"""Package attributes imported on first access (PEP 562), for ``coder_chat.streaming`` and the models package.

A package lists ``name -> submodule`` and gets the ``__getattr__`` and ``__dir__`` that import a
submodule the first time one of its names is asked for, and gives each class defined in a private
submodule the package as its ``__module__``. Names already imported, ``__all__``,
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
        imported = import_module(module, package)
        # Every name of the submodule just imported is handed out now (later lookups do not come back
        # here), each class defined in it under the package's name.
        for public, source in modules.items():
            if source == module and public not in namespace:
                namespace[public] = _rehomed(getattr(imported, public), package, imported.__name__)
        return namespace[name]

    def __dir__() -> list[str]:
        return sorted({*namespace, *modules})

    return __getattr__, __dir__


def _rehomed(value: object, package: str, module: str) -> object:
    """``value``, with ``package`` as its ``__module__`` when it is a class defined in the private ``module``.

    Users' tracebacks, ``repr()`` of classes, pickles and docs then name the import path they use (as
    httpx's classes do). A class defined elsewhere (an exception of ``coder_chat.client.errors``
    re-exported by the package, a model) keeps its module.
    """
    private = any(part.startswith("_") for part in module.split("."))
    if isinstance(value, type) and value.__module__ == module and private:
        value.__module__ = package
    return value
