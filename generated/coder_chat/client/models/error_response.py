from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.validation_error import ValidationError


T = TypeVar("T", bound="ErrorResponse")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "message",
        "detail",
        "validations",
    }
)


@_attrs_define
class ErrorResponse:
    """Coder's error body (`codersdk.Response`), sent with every non-2xx answer."""

    message: str
    """ Human-readable summary of the error. """
    detail: str | Unset = UNSET
    """ Optional low-level detail (e.g. the underlying error). """
    validations: list[ValidationError] | Unset = UNSET
    """ Optional per-field validation failures. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        detail = self.detail

        validations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.validations, Unset):
            validations = []
            for validations_item_data in self.validations:
                validations_item = validations_item_data.to_dict()
                validations.append(validations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if validations is not UNSET:
            field_dict["validations"] = validations

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.validation_error import ValidationError

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        message = d["message"]
        if message.__class__ is not str and not isinstance(message, str):
            raise FieldTypeError("message", "str", message)

        detail = d.get("detail", UNSET)
        if detail is not UNSET and detail.__class__ is not str and not isinstance(detail, (str, Unset)):
            raise FieldTypeError("detail", "str", detail)

        _validations = d.get("validations", UNSET)
        validations: list[ValidationError] | Unset = UNSET
        if _validations is not UNSET:
            validations = []
            for validations_item_data in _validations:
                validations_item = ValidationError.from_dict(validations_item_data)

                validations.append(validations_item)

        error_response = cls(  # positionally, in the order the fields are declared above
            message,
            detail,
            validations,
        )

        if not _KNOWN_KEYS.issuperset(d):
            error_response.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return error_response

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
