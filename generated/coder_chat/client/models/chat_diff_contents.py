from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset, uuid_from_wire

T = TypeVar("T", bound="ChatDiffContents")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "chat_id",
        "provider",
        "remote_origin",
        "branch",
        "pull_request_url",
        "diff",
    }
)


@_attrs_define
class ChatDiffContents:
    """The resolved diff text of a chat."""

    chat_id: UUID
    """ The chat the diff belongs to. """
    provider: None | str | Unset = UNSET
    """ Git hosting provider matched from external auth (e.g. "github", "gitlab"). """
    remote_origin: None | str | Unset = UNSET
    """ The repository's remote origin URL. """
    branch: None | str | Unset = UNSET
    """ The chat's branch. """
    pull_request_url: None | str | Unset = UNSET
    """ URL of the pull request, if one is open. """
    diff: str | Unset = UNSET
    """ Unified diff text (up to 4 MiB). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chat_id = str(self.chat_id)

        provider: None | str | Unset
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        remote_origin: None | str | Unset
        if isinstance(self.remote_origin, Unset):
            remote_origin = UNSET
        else:
            remote_origin = self.remote_origin

        branch: None | str | Unset
        if isinstance(self.branch, Unset):
            branch = UNSET
        else:
            branch = self.branch

        pull_request_url: None | str | Unset
        if isinstance(self.pull_request_url, Unset):
            pull_request_url = UNSET
        else:
            pull_request_url = self.pull_request_url

        diff = self.diff

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chat_id": chat_id,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider
        if remote_origin is not UNSET:
            field_dict["remote_origin"] = remote_origin
        if branch is not UNSET:
            field_dict["branch"] = branch
        if pull_request_url is not UNSET:
            field_dict["pull_request_url"] = pull_request_url
        if diff is not UNSET:
            field_dict["diff"] = diff

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        chat_id = uuid_from_wire(d["chat_id"])

        def _parse_provider(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("provider", "None | str", data)

        provider = _parse_provider(d.get("provider", UNSET))

        def _parse_remote_origin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("remote_origin", "None | str", data)

        remote_origin = _parse_remote_origin(d.get("remote_origin", UNSET))

        def _parse_branch(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("branch", "None | str", data)

        branch = _parse_branch(d.get("branch", UNSET))

        def _parse_pull_request_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("pull_request_url", "None | str", data)

        pull_request_url = _parse_pull_request_url(d.get("pull_request_url", UNSET))

        diff = d.get("diff", UNSET)
        if diff is not UNSET and diff.__class__ is not str and not isinstance(diff, (str, Unset)):
            raise FieldTypeError("diff", "str", diff)

        chat_diff_contents = cls(  # positionally, in the order the fields are declared above
            chat_id,
            provider,
            remote_origin,
            branch,
            pull_request_url,
            diff,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_diff_contents.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_diff_contents

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
