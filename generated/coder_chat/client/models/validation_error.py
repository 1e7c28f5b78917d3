from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError

T = TypeVar("T", bound="ValidationError")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "field",
        "detail",
    }
)


@_attrs_define
class ValidationError:
    """One field's validation failure inside a `Response`."""

    field: str
    """ The JSON field that failed validation. """
    detail: str
    """ Why the field failed validation. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        field = d["field"]
        if field.__class__ is not str and not isinstance(field, str):
            raise FieldTypeError("field", "str", field)

        detail = d["detail"]
        if detail.__class__ is not str and not isinstance(detail, str):
            raise FieldTypeError("detail", "str", detail)

        validation_error = cls(  # positionally, in the order the fields are declared above
            field,
            detail,
        )

        if not _KNOWN_KEYS.issuperset(d):
            validation_error.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return validation_error

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
