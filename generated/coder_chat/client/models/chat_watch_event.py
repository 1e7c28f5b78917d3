from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.chat_watch_event_kind import ChatWatchEventKind

if TYPE_CHECKING:
    from ..models.chat import Chat


T = TypeVar("T", bound="ChatWatchEvent")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "kind",
        "chat",
    }
)


@_attrs_define
class ChatWatchEvent:
    """A change to one of the caller's chats, on the watch socket (see `x-websocket-streams`,
    `watch_chats`). `chat` is the chat after the change (for `deleted`, before it).

    """

    kind: ChatWatchEventKind
    """ What changed, in a `ChatWatchEvent`. Seed values; newer servers add `summary_change`,
    `chat_summary_change`, `action_required` and `context_dirty`, so treat unknown values as opaque
    strings.
     """
    chat: Chat
    """ A chat session with an AI agent. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        chat = self.chat.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "chat": chat,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat import Chat

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        kind = ChatWatchEventKind._parse(d["kind"])

        chat = Chat.from_dict(d["chat"])

        chat_watch_event = cls(  # positionally, in the order the fields are declared above
            kind,
            chat,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_watch_event.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_watch_event

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
