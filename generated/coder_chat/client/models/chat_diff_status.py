from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset, uuid_from_wire

T = TypeVar("T", bound="ChatDiffStatus")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "chat_id",
        "changes_requested",
        "additions",
        "deletions",
        "changed_files",
        "url",
        "pull_request_state",
        "refreshed_at",
        "stale_at",
    }
)


@_attrs_define
class ChatDiffStatus:
    """Cached diff status of a chat; `url` points to a pull request or, without one, to the branch page."""

    chat_id: UUID
    """ The chat the status belongs to. """
    changes_requested: bool
    """ Whether a reviewer requested changes. """
    additions: int
    """ Added lines. """
    deletions: int
    """ Deleted lines. """
    changed_files: int
    """ Number of changed files. """
    url: None | str | Unset = UNSET
    """ Pull-request URL, or branch URL when no PR is open. """
    pull_request_state: None | str | Unset = UNSET
    """ Pull-request state, trimmed and lowercased (e.g. "open", "closed", "merged"). """
    refreshed_at: datetime.datetime | None | Unset = UNSET
    """ When the status was last refreshed. """
    stale_at: datetime.datetime | None | Unset = UNSET
    """ When the cached status becomes stale. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chat_id = str(self.chat_id)

        changes_requested = self.changes_requested

        additions = self.additions

        deletions = self.deletions

        changed_files = self.changed_files

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        pull_request_state: None | str | Unset
        if isinstance(self.pull_request_state, Unset):
            pull_request_state = UNSET
        else:
            pull_request_state = self.pull_request_state

        refreshed_at: None | str | Unset
        if isinstance(self.refreshed_at, Unset):
            refreshed_at = UNSET
        elif isinstance(self.refreshed_at, datetime.datetime):
            refreshed_at = self.refreshed_at.isoformat()
        else:
            refreshed_at = self.refreshed_at

        stale_at: None | str | Unset
        if isinstance(self.stale_at, Unset):
            stale_at = UNSET
        elif isinstance(self.stale_at, datetime.datetime):
            stale_at = self.stale_at.isoformat()
        else:
            stale_at = self.stale_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chat_id": chat_id,
                "changes_requested": changes_requested,
                "additions": additions,
                "deletions": deletions,
                "changed_files": changed_files,
            }
        )
        if url is not UNSET:
            field_dict["url"] = url
        if pull_request_state is not UNSET:
            field_dict["pull_request_state"] = pull_request_state
        if refreshed_at is not UNSET:
            field_dict["refreshed_at"] = refreshed_at
        if stale_at is not UNSET:
            field_dict["stale_at"] = stale_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        chat_id = uuid_from_wire(d["chat_id"])

        changes_requested = d["changes_requested"]
        if changes_requested.__class__ is not bool and not isinstance(changes_requested, bool):
            raise FieldTypeError("changes_requested", "bool", changes_requested)

        additions = d["additions"]
        if additions.__class__ is not int and not isinstance(additions, int):
            raise FieldTypeError("additions", "int", additions)

        deletions = d["deletions"]
        if deletions.__class__ is not int and not isinstance(deletions, int):
            raise FieldTypeError("deletions", "int", deletions)

        changed_files = d["changed_files"]
        if changed_files.__class__ is not int and not isinstance(changed_files, int):
            raise FieldTypeError("changed_files", "int", changed_files)

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("url", "None | str", data)

        url = _parse_url(d.get("url", UNSET))

        def _parse_pull_request_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("pull_request_state", "None | str", data)

        pull_request_state = _parse_pull_request_state(d.get("pull_request_state", UNSET))

        def _parse_refreshed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("refreshed_at", "datetime.datetime", data)
            refreshed_at_type_0 = datetime.datetime.fromisoformat(data)

            return refreshed_at_type_0

        refreshed_at = _parse_refreshed_at(d.get("refreshed_at", UNSET))

        def _parse_stale_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("stale_at", "datetime.datetime", data)
            stale_at_type_0 = datetime.datetime.fromisoformat(data)

            return stale_at_type_0

        stale_at = _parse_stale_at(d.get("stale_at", UNSET))

        chat_diff_status = cls(  # positionally, in the order the fields are declared above
            chat_id,
            changes_requested,
            additions,
            deletions,
            changed_files,
            url,
            pull_request_state,
            refreshed_at,
            stale_at,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_diff_status.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_diff_status

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
