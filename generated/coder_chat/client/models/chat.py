from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..models.chat_status import ChatStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_diff_status import ChatDiffStatus


T = TypeVar("T", bound="Chat")


@_attrs_define
class Chat:
    """A chat session with an AI agent."""

    id: UUID
    """ The chat's id. """
    owner_id: UUID
    """ The id of the user who owns the chat. """
    last_model_config_id: UUID
    """ The model config used for the latest turn. """
    title: str
    """ The chat's title (first words of the first prompt, or "New Chat"). """
    status: ChatStatus
    """ Status of a chat. Seed values; newer servers drop `pending`, `paused` and `completed` and add
    `requires_action` and `interrupting`, so treat unknown values as opaque strings.
     """
    created_at: datetime.datetime
    """ When the chat was created. """
    updated_at: datetime.datetime
    """ When the chat was last updated. """
    workspace_id: None | Unset | UUID = UNSET
    """ The workspace the chat is bound to, if any. """
    workspace_agent_id: None | Unset | UUID = UNSET
    """ The workspace agent the chat runs against (the build's first agent); removed on newer servers. """
    parent_chat_id: None | Unset | UUID = UNSET
    """ The parent chat, for a sub-agent chat. """
    root_chat_id: None | Unset | UUID = UNSET
    """ The root of the chat tree (equal to `id` for a top-level chat). """
    diff_status: ChatDiffStatus | None | Unset = UNSET
    """ The chat's cached diff / pull-request status, if any. """
    archived: bool | Unset = UNSET
    """ Whether the chat is archived (near-seed; absent on the exact seed server). """
    last_error: None | str | Unset = UNSET
    """ The last processing error, or null (near-seed; newer servers send a ChatError object here). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_diff_status import ChatDiffStatus

        id = str(self.id)

        owner_id = str(self.owner_id)

        last_model_config_id = str(self.last_model_config_id)

        title = self.title

        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        workspace_id: None | str | Unset
        if isinstance(self.workspace_id, Unset):
            workspace_id = UNSET
        elif isinstance(self.workspace_id, UUID):
            workspace_id = str(self.workspace_id)
        else:
            workspace_id = self.workspace_id

        workspace_agent_id: None | str | Unset
        if isinstance(self.workspace_agent_id, Unset):
            workspace_agent_id = UNSET
        elif isinstance(self.workspace_agent_id, UUID):
            workspace_agent_id = str(self.workspace_agent_id)
        else:
            workspace_agent_id = self.workspace_agent_id

        parent_chat_id: None | str | Unset
        if isinstance(self.parent_chat_id, Unset):
            parent_chat_id = UNSET
        elif isinstance(self.parent_chat_id, UUID):
            parent_chat_id = str(self.parent_chat_id)
        else:
            parent_chat_id = self.parent_chat_id

        root_chat_id: None | str | Unset
        if isinstance(self.root_chat_id, Unset):
            root_chat_id = UNSET
        elif isinstance(self.root_chat_id, UUID):
            root_chat_id = str(self.root_chat_id)
        else:
            root_chat_id = self.root_chat_id

        diff_status: dict[str, Any] | None | Unset
        if isinstance(self.diff_status, Unset):
            diff_status = UNSET
        elif isinstance(self.diff_status, ChatDiffStatus):
            diff_status = self.diff_status.to_dict()
        else:
            diff_status = self.diff_status

        archived = self.archived

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "owner_id": owner_id,
                "last_model_config_id": last_model_config_id,
                "title": title,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if workspace_id is not UNSET:
            field_dict["workspace_id"] = workspace_id
        if workspace_agent_id is not UNSET:
            field_dict["workspace_agent_id"] = workspace_agent_id
        if parent_chat_id is not UNSET:
            field_dict["parent_chat_id"] = parent_chat_id
        if root_chat_id is not UNSET:
            field_dict["root_chat_id"] = root_chat_id
        if diff_status is not UNSET:
            field_dict["diff_status"] = diff_status
        if archived is not UNSET:
            field_dict["archived"] = archived
        if last_error is not UNSET:
            field_dict["last_error"] = last_error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_diff_status import ChatDiffStatus

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        owner_id = UUID(d.pop("owner_id"))

        last_model_config_id = UUID(d.pop("last_model_config_id"))

        title = d.pop("title")
        if not isinstance(title, str):
            raise FieldTypeError("title", "str", title)

        status = ChatStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_workspace_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("workspace_id", "UUID", data)
            workspace_id_type_0 = UUID(data)

            return workspace_id_type_0

        workspace_id = _parse_workspace_id(d.pop("workspace_id", UNSET))

        def _parse_workspace_agent_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("workspace_agent_id", "UUID", data)
            workspace_agent_id_type_0 = UUID(data)

            return workspace_agent_id_type_0

        workspace_agent_id = _parse_workspace_agent_id(d.pop("workspace_agent_id", UNSET))

        def _parse_parent_chat_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("parent_chat_id", "UUID", data)
            parent_chat_id_type_0 = UUID(data)

            return parent_chat_id_type_0

        parent_chat_id = _parse_parent_chat_id(d.pop("parent_chat_id", UNSET))

        def _parse_root_chat_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("root_chat_id", "UUID", data)
            root_chat_id_type_0 = UUID(data)

            return root_chat_id_type_0

        root_chat_id = _parse_root_chat_id(d.pop("root_chat_id", UNSET))

        def _parse_diff_status(data: object) -> ChatDiffStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("diff_status", "ChatDiffStatus", data)
            diff_status_type_0 = ChatDiffStatus.from_dict(data)

            return diff_status_type_0

        diff_status = _parse_diff_status(d.pop("diff_status", UNSET))

        archived = d.pop("archived", UNSET)
        if not isinstance(archived, (bool, Unset)):
            raise FieldTypeError("archived", "bool", archived)

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        chat = cls(
            id=id,
            owner_id=owner_id,
            last_model_config_id=last_model_config_id,
            title=title,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            workspace_id=workspace_id,
            workspace_agent_id=workspace_agent_id,
            parent_chat_id=parent_chat_id,
            root_chat_id=root_chat_id,
            diff_status=diff_status,
            archived=archived,
            last_error=last_error,
        )

        chat.additional_properties = d
        return chat

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
