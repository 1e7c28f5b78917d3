from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset, uuid_from_wire

if TYPE_CHECKING:
    from ..models.chat_input_part import ChatInputPart


T = TypeVar("T", bound="CreateChatRequest")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "content",
        "workspace_id",
        "model_config_id",
    }
)


@_attrs_define
class CreateChatRequest:
    """The request to create a new chat."""

    content: list[ChatInputPart]
    """ The first user message's input parts (at least one non-blank text part). """
    workspace_id: None | Unset | UUID = UNSET
    """ A workspace to bind the chat to. """
    model_config_id: None | Unset | UUID = UNSET
    """ The model config to use; the default config when absent. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content = []
        for content_item_data in self.content:
            content_item = content_item_data.to_dict()
            content.append(content_item)

        workspace_id: None | str | Unset
        if isinstance(self.workspace_id, Unset):
            workspace_id = UNSET
        elif isinstance(self.workspace_id, UUID):
            workspace_id = str(self.workspace_id)
        else:
            workspace_id = self.workspace_id

        model_config_id: None | str | Unset
        if isinstance(self.model_config_id, Unset):
            model_config_id = UNSET
        elif isinstance(self.model_config_id, UUID):
            model_config_id = str(self.model_config_id)
        else:
            model_config_id = self.model_config_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content": content,
            }
        )
        if workspace_id is not UNSET:
            field_dict["workspace_id"] = workspace_id
        if model_config_id is not UNSET:
            field_dict["model_config_id"] = model_config_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_input_part import ChatInputPart

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        content = []
        _content = d["content"]
        for content_item_data in _content:
            content_item = ChatInputPart.from_dict(content_item_data)

            content.append(content_item)

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

        def _parse_model_config_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise FieldTypeError("model_config_id", "UUID", data)
            model_config_id_type_0 = uuid_from_wire(data)

            return model_config_id_type_0

        model_config_id = _parse_model_config_id(d.get("model_config_id", UNSET))

        create_chat_request = cls(  # positionally, in the order the fields are declared above
            content,
            workspace_id,
            model_config_id,
        )

        if not _KNOWN_KEYS.issuperset(d):
            create_chat_request.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return create_chat_request

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
