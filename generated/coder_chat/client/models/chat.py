from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..models.chat_status import ChatStatus
from ..types import UNSET, Unset, uuid_from_wire

if TYPE_CHECKING:
    from ..models.chat_diff_status import ChatDiffStatus
    from ..models.chat_error import ChatError


T = TypeVar("T", bound="Chat")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "owner_id",
        "last_model_config_id",
        "title",
        "status",
        "created_at",
        "updated_at",
        "workspace_id",
        "workspace_agent_id",
        "parent_chat_id",
        "root_chat_id",
        "diff_status",
        "archived",
        "last_error",
    }
)


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
    last_error: ChatError | None | str | Unset = UNSET
    """ The last processing error, or null: a string on near-seed servers, a ChatError object on newer ones. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_diff_status import ChatDiffStatus
        from ..models.chat_error import ChatError

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

        last_error: dict[str, Any] | None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        elif isinstance(self.last_error, ChatError):
            last_error = self.last_error.to_dict()
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
        from ..models.chat_error import ChatError

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        id = uuid_from_wire(d["id"])

        owner_id = uuid_from_wire(d["owner_id"])

        last_model_config_id = uuid_from_wire(d["last_model_config_id"])

        title = d["title"]
        if title.__class__ is not str and not isinstance(title, str):
            raise FieldTypeError("title", "str", title)

        status = ChatStatus._parse(d["status"])

        created_at = datetime.datetime.fromisoformat(d["created_at"])

        updated_at = datetime.datetime.fromisoformat(d["updated_at"])

        def _parse_workspace_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("workspace_id", "UUID", data)
            workspace_id_type_0 = uuid_from_wire(data)

            return workspace_id_type_0

        workspace_id = _parse_workspace_id(d.get("workspace_id", UNSET))

        def _parse_workspace_agent_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("workspace_agent_id", "UUID", data)
            workspace_agent_id_type_0 = uuid_from_wire(data)

            return workspace_agent_id_type_0

        workspace_agent_id = _parse_workspace_agent_id(d.get("workspace_agent_id", UNSET))

        def _parse_parent_chat_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("parent_chat_id", "UUID", data)
            parent_chat_id_type_0 = uuid_from_wire(data)

            return parent_chat_id_type_0

        parent_chat_id = _parse_parent_chat_id(d.get("parent_chat_id", UNSET))

        def _parse_root_chat_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("root_chat_id", "UUID", data)
            root_chat_id_type_0 = uuid_from_wire(data)

            return root_chat_id_type_0

        root_chat_id = _parse_root_chat_id(d.get("root_chat_id", UNSET))

        def _parse_diff_status(data: object) -> ChatDiffStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("diff_status", "ChatDiffStatus", data)
            diff_status_type_0 = ChatDiffStatus.from_dict(data)

            return diff_status_type_0

        diff_status = _parse_diff_status(d.get("diff_status", UNSET))

        archived = d.get("archived", UNSET)
        if archived is not UNSET and archived.__class__ is not bool and not isinstance(archived, (bool, Unset)):
            raise FieldTypeError("archived", "bool", archived)

        def _parse_last_error(data: object) -> ChatError | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise FieldTypeError("last_error", "ChatError", data)
                last_error_type_1 = ChatError.from_dict(data)

                return last_error_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if isinstance(data, (str,)):
                return data
            raise FieldTypeError("last_error", "ChatError | None | str", data)

        last_error = _parse_last_error(d.get("last_error", UNSET))

        chat = cls(  # positionally, in the order the fields are declared above
            id,
            owner_id,
            last_model_config_id,
            title,
            status,
            created_at,
            updated_at,
            workspace_id,
            workspace_agent_id,
            parent_chat_id,
            root_chat_id,
            diff_status,
            archived,
            last_error,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
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
