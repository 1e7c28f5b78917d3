from enum import StrEnum
from typing import Any


class ChatWatchEventKind(StrEnum):
    CREATED = "created"
    DELETED = "deleted"
    DIFF_STATUS_CHANGE = "diff_status_change"
    STATUS_CHANGE = "status_change"
    TITLE_CHANGE = "title_change"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: Any) -> "ChatWatchEventKind | None":
        """Keep a value this client does not know (sent by a newer server) instead of raising."""
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @classmethod
    def _parse(cls, value: Any) -> "ChatWatchEventKind":
        """``cls(value)``: the member for a known wire value without the Enum call machinery."""
        member = _MEMBERS.get(value) if value.__class__ is str else None
        return member if member is not None else cls(value)

    @property
    def is_known(self) -> bool:
        """Whether this value is one of the values this client was generated with."""
        return self._name_ in type(self).__members__ and type(self).__members__[self._name_] is self


_MEMBERS: dict[str, ChatWatchEventKind] = {member.value: member for member in ChatWatchEventKind}
