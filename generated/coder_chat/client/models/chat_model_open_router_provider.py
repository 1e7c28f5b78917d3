from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatModelOpenRouterProvider")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "order",
        "allow_fallbacks",
        "require_parameters",
        "data_collection",
        "only",
        "ignore",
        "quantizations",
        "sort",
    }
)


@_attrs_define
class ChatModelOpenRouterProvider:
    """OpenRouter provider-routing preferences."""

    order: list[str] | Unset = UNSET
    """ Providers to try, in order. """
    allow_fallbacks: bool | None | Unset = UNSET
    """ Whether other providers may be used as fallbacks. """
    require_parameters: bool | None | Unset = UNSET
    """ Only use providers that support every request parameter. """
    data_collection: None | str | Unset = UNSET
    """ Data collection policy ("allow" or "deny"). """
    only: list[str] | Unset = UNSET
    """ Only these providers. """
    ignore: list[str] | Unset = UNSET
    """ Providers to skip. """
    quantizations: list[str] | Unset = UNSET
    """ Allowed quantizations. """
    sort: None | str | Unset = UNSET
    """ Sort order (e.g. "price", "throughput"). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        order: list[str] | Unset = UNSET
        if not isinstance(self.order, Unset):
            order = self.order

        allow_fallbacks: bool | None | Unset
        if isinstance(self.allow_fallbacks, Unset):
            allow_fallbacks = UNSET
        else:
            allow_fallbacks = self.allow_fallbacks

        require_parameters: bool | None | Unset
        if isinstance(self.require_parameters, Unset):
            require_parameters = UNSET
        else:
            require_parameters = self.require_parameters

        data_collection: None | str | Unset
        if isinstance(self.data_collection, Unset):
            data_collection = UNSET
        else:
            data_collection = self.data_collection

        only: list[str] | Unset = UNSET
        if not isinstance(self.only, Unset):
            only = self.only

        ignore: list[str] | Unset = UNSET
        if not isinstance(self.ignore, Unset):
            ignore = self.ignore

        quantizations: list[str] | Unset = UNSET
        if not isinstance(self.quantizations, Unset):
            quantizations = self.quantizations

        sort: None | str | Unset
        if isinstance(self.sort, Unset):
            sort = UNSET
        else:
            sort = self.sort

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if order is not UNSET:
            field_dict["order"] = order
        if allow_fallbacks is not UNSET:
            field_dict["allow_fallbacks"] = allow_fallbacks
        if require_parameters is not UNSET:
            field_dict["require_parameters"] = require_parameters
        if data_collection is not UNSET:
            field_dict["data_collection"] = data_collection
        if only is not UNSET:
            field_dict["only"] = only
        if ignore is not UNSET:
            field_dict["ignore"] = ignore
        if quantizations is not UNSET:
            field_dict["quantizations"] = quantizations
        if sort is not UNSET:
            field_dict["sort"] = sort

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        order = cast(list[str], d.get("order", UNSET))

        def _parse_allow_fallbacks(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("allow_fallbacks", "bool | None", data)

        allow_fallbacks = _parse_allow_fallbacks(d.get("allow_fallbacks", UNSET))

        def _parse_require_parameters(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (bool,)):
                return data
            raise FieldTypeError("require_parameters", "bool | None", data)

        require_parameters = _parse_require_parameters(d.get("require_parameters", UNSET))

        def _parse_data_collection(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("data_collection", "None | str", data)

        data_collection = _parse_data_collection(d.get("data_collection", UNSET))

        only = cast(list[str], d.get("only", UNSET))

        ignore = cast(list[str], d.get("ignore", UNSET))

        quantizations = cast(list[str], d.get("quantizations", UNSET))

        def _parse_sort(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("sort", "None | str", data)

        sort = _parse_sort(d.get("sort", UNSET))

        chat_model_open_router_provider = cls(  # positionally, in the order the fields are declared above
            order,
            allow_fallbacks,
            require_parameters,
            data_collection,
            only,
            ignore,
            quantizations,
            sort,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_open_router_provider.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_model_open_router_provider

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
