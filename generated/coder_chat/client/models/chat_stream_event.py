from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..models.chat_stream_event_type import ChatStreamEventType
from ..types import UNSET, Unset, uuid_from_wire

if TYPE_CHECKING:
    from ..models.chat_message import ChatMessage
    from ..models.chat_queued_message import ChatQueuedMessage
    from ..models.chat_stream_error import ChatStreamError
    from ..models.chat_stream_message_part import ChatStreamMessagePart
    from ..models.chat_stream_retry import ChatStreamRetry
    from ..models.chat_stream_status import ChatStreamStatus


T = TypeVar("T", bound="ChatStreamEvent")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "type",
        "chat_id",
        "message",
        "message_part",
        "status",
        "error",
        "queued_messages",
        "retry",
    }
)


@_attrs_define
class ChatStreamEvent:
    """A real-time update on the chat stream (see `x-websocket-streams`). The payload field matching
    `type` is set: `message_part`, `message`, `status`, `error`, `queued_messages` (queue_update;
    a missing key means an empty queue) or `retry`. `chat_id` may be a sub-agent chat's.

    """

    type_: ChatStreamEventType
    """ Kind of a stream event. `retry` was added shortly after the seed; newer servers also send
    `action_required`, `preview_reset` and `history_reset`.
     """
    chat_id: UUID
    """ The chat the event is about (may be a sub-agent chat). """
    message: ChatMessage | None | Unset = UNSET
    """ A persisted message (`message` events); upsert by id. """
    message_part: ChatStreamMessagePart | None | Unset = UNSET
    """ A delta of the in-progress assistant turn (`message_part` events). """
    status: ChatStreamStatus | None | Unset = UNSET
    """ The new chat status (`status` events). """
    error: ChatStreamError | None | Unset = UNSET
    """ A processing error (`error` events). """
    queued_messages: list[ChatQueuedMessage] | Unset = UNSET
    """ The full current queue (`queue_update` events); replaces the local queue. """
    retry: ChatStreamRetry | None | Unset = UNSET
    """ A pending LLM retry (`retry` events; post-seed). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_message import ChatMessage
        from ..models.chat_stream_error import ChatStreamError
        from ..models.chat_stream_message_part import ChatStreamMessagePart
        from ..models.chat_stream_retry import ChatStreamRetry
        from ..models.chat_stream_status import ChatStreamStatus

        type_ = self.type_.value

        chat_id = str(self.chat_id)

        message: dict[str, Any] | None | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        elif isinstance(self.message, ChatMessage):
            message = self.message.to_dict()
        else:
            message = self.message

        message_part: dict[str, Any] | None | Unset
        if isinstance(self.message_part, Unset):
            message_part = UNSET
        elif isinstance(self.message_part, ChatStreamMessagePart):
            message_part = self.message_part.to_dict()
        else:
            message_part = self.message_part

        status: dict[str, Any] | None | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, ChatStreamStatus):
            status = self.status.to_dict()
        else:
            status = self.status

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, ChatStreamError):
            error = self.error.to_dict()
        else:
            error = self.error

        queued_messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.queued_messages, Unset):
            queued_messages = []
            for queued_messages_item_data in self.queued_messages:
                queued_messages_item = queued_messages_item_data.to_dict()
                queued_messages.append(queued_messages_item)

        retry: dict[str, Any] | None | Unset
        if isinstance(self.retry, Unset):
            retry = UNSET
        elif isinstance(self.retry, ChatStreamRetry):
            retry = self.retry.to_dict()
        else:
            retry = self.retry

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "chat_id": chat_id,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message
        if message_part is not UNSET:
            field_dict["message_part"] = message_part
        if status is not UNSET:
            field_dict["status"] = status
        if error is not UNSET:
            field_dict["error"] = error
        if queued_messages is not UNSET:
            field_dict["queued_messages"] = queued_messages
        if retry is not UNSET:
            field_dict["retry"] = retry

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_message import ChatMessage
        from ..models.chat_queued_message import ChatQueuedMessage
        from ..models.chat_stream_error import ChatStreamError
        from ..models.chat_stream_message_part import ChatStreamMessagePart
        from ..models.chat_stream_retry import ChatStreamRetry
        from ..models.chat_stream_status import ChatStreamStatus

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        type_ = ChatStreamEventType._parse(d["type"])

        chat_id = uuid_from_wire(d["chat_id"])

        def _parse_message(data: object) -> ChatMessage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("message", "ChatMessage", data)
            message_type_0 = ChatMessage.from_dict(data)

            return message_type_0

        message = _parse_message(d.get("message", UNSET))

        def _parse_message_part(data: object) -> ChatStreamMessagePart | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("message_part", "ChatStreamMessagePart", data)
            message_part_type_0 = ChatStreamMessagePart.from_dict(data)

            return message_part_type_0

        message_part = _parse_message_part(d.get("message_part", UNSET))

        def _parse_status(data: object) -> ChatStreamStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("status", "ChatStreamStatus", data)
            status_type_0 = ChatStreamStatus.from_dict(data)

            return status_type_0

        status = _parse_status(d.get("status", UNSET))

        def _parse_error(data: object) -> ChatStreamError | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("error", "ChatStreamError", data)
            error_type_0 = ChatStreamError.from_dict(data)

            return error_type_0

        error = _parse_error(d.get("error", UNSET))

        _queued_messages = d.get("queued_messages", UNSET)
        queued_messages: list[ChatQueuedMessage] | Unset = UNSET
        if _queued_messages is not UNSET:
            queued_messages = []
            for queued_messages_item_data in _queued_messages:
                queued_messages_item = ChatQueuedMessage.from_dict(queued_messages_item_data)

                queued_messages.append(queued_messages_item)

        def _parse_retry(data: object) -> ChatStreamRetry | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("retry", "ChatStreamRetry", data)
            retry_type_0 = ChatStreamRetry.from_dict(data)

            return retry_type_0

        retry = _parse_retry(d.get("retry", UNSET))

        chat_stream_event = cls(  # positionally, in the order the fields are declared above
            type_,
            chat_id,
            message,
            message_part,
            status,
            error,
            queued_messages,
            retry,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_stream_event.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_stream_event

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
