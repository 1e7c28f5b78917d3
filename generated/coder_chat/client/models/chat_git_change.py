from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset, uuid_from_wire

T = TypeVar("T", bound="ChatGitChange")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "chat_id",
        "file_path",
        "change_type",
        "detected_at",
        "old_path",
        "diff_summary",
    }
)


@_attrs_define
class ChatGitChange:
    """A git file change detected during a chat session."""

    id: UUID
    """ The change's id. """
    chat_id: UUID
    """ The chat the change belongs to. """
    file_path: str
    """ Path of the changed file. """
    change_type: str
    """ Kind of change: `added`, `modified`, `deleted` or `renamed`. """
    detected_at: datetime.datetime
    """ When the change was detected. """
    old_path: None | str | Unset = UNSET
    """ Previous path, for a rename. """
    diff_summary: None | str | Unset = UNSET
    """ Short summary of the diff. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        chat_id = str(self.chat_id)

        file_path = self.file_path

        change_type = self.change_type

        detected_at = self.detected_at.isoformat()

        old_path: None | str | Unset
        if isinstance(self.old_path, Unset):
            old_path = UNSET
        else:
            old_path = self.old_path

        diff_summary: None | str | Unset
        if isinstance(self.diff_summary, Unset):
            diff_summary = UNSET
        else:
            diff_summary = self.diff_summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "chat_id": chat_id,
                "file_path": file_path,
                "change_type": change_type,
                "detected_at": detected_at,
            }
        )
        if old_path is not UNSET:
            field_dict["old_path"] = old_path
        if diff_summary is not UNSET:
            field_dict["diff_summary"] = diff_summary

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        id = uuid_from_wire(d["id"])

        chat_id = uuid_from_wire(d["chat_id"])

        file_path = d["file_path"]
        if file_path.__class__ is not str and not isinstance(file_path, str):
            raise FieldTypeError("file_path", "str", file_path)

        change_type = d["change_type"]
        if change_type.__class__ is not str and not isinstance(change_type, str):
            raise FieldTypeError("change_type", "str", change_type)

        detected_at = datetime.datetime.fromisoformat(d["detected_at"])

        def _parse_old_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("old_path", "None | str", data)

        old_path = _parse_old_path(d.get("old_path", UNSET))

        def _parse_diff_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("diff_summary", "None | str", data)

        diff_summary = _parse_diff_summary(d.get("diff_summary", UNSET))

        chat_git_change = cls(  # positionally, in the order the fields are declared above
            id,
            chat_id,
            file_path,
            change_type,
            detected_at,
            old_path,
            diff_summary,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_git_change.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_git_change

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
