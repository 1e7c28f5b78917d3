from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..models.chat_message_part_type import ChatMessagePartType
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatMessagePart")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "type",
        "text",
        "signature",
        "tool_call_id",
        "tool_name",
        "args",
        "args_delta",
        "result",
        "result_delta",
        "is_error",
        "source_id",
        "url",
        "title",
        "media_type",
        "data",
    }
)


@_attrs_define
class ChatMessagePart:
    """A structured chunk of a chat message. In a stream `message_part` event it is a delta (e.g.
    `text` is a chunk to append). Which fields are set depends on `type`: text/reasoning use
    `text`; tool-call uses `tool_call_id`, `tool_name`, `args` or `args_delta`; tool-result uses
    `tool_call_id`, `tool_name`, `result` or `result_delta`, `is_error`; source uses `source_id`,
    `url`, `title`; file uses `media_type` and `data`.

    """

    type_: ChatMessagePartType
    """ Type of a message part. Newer servers add e.g. `file-reference`, `context-file`, `skill`, `hook-context`,
    `hook-notice`. """
    text: str | Unset = UNSET
    """ Text (or a text delta) of a `text` or `reasoning` part. """
    signature: str | Unset = UNSET
    """ Provider signature of a `reasoning` part. """
    tool_call_id: str | Unset = UNSET
    """ Id of the tool call (tool-call and tool-result parts). """
    tool_name: str | Unset = UNSET
    """ Name of the tool (tool-call and tool-result parts). """
    args: Any | Unset = UNSET
    """ Complete tool-call arguments; any JSON value. """
    args_delta: str | Unset = UNSET
    """ A fragment of the tool-call arguments' JSON text, while streaming. """
    result: Any | Unset = UNSET
    """ Complete tool result; any JSON value. """
    result_delta: str | Unset = UNSET
    """ A fragment of the tool result, while streaming. """
    is_error: bool | Unset = UNSET
    """ Whether the tool result is an error. """
    source_id: str | Unset = UNSET
    """ Id of a `source` part. """
    url: str | Unset = UNSET
    """ URL of a `source` part. """
    title: str | Unset = UNSET
    """ Title of a `source` part (also on later `reasoning` parts). """
    media_type: str | Unset = UNSET
    """ MIME type of a `file` part. """
    data: str | Unset = UNSET
    """ Base64-encoded contents of a `file` part. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        text = self.text

        signature = self.signature

        tool_call_id = self.tool_call_id

        tool_name = self.tool_name

        args = self.args

        args_delta = self.args_delta

        result = self.result

        result_delta = self.result_delta

        is_error = self.is_error

        source_id = self.source_id

        url = self.url

        title = self.title

        media_type = self.media_type

        data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if text is not UNSET:
            field_dict["text"] = text
        if signature is not UNSET:
            field_dict["signature"] = signature
        if tool_call_id is not UNSET:
            field_dict["tool_call_id"] = tool_call_id
        if tool_name is not UNSET:
            field_dict["tool_name"] = tool_name
        if args is not UNSET:
            field_dict["args"] = args
        if args_delta is not UNSET:
            field_dict["args_delta"] = args_delta
        if result is not UNSET:
            field_dict["result"] = result
        if result_delta is not UNSET:
            field_dict["result_delta"] = result_delta
        if is_error is not UNSET:
            field_dict["is_error"] = is_error
        if source_id is not UNSET:
            field_dict["source_id"] = source_id
        if url is not UNSET:
            field_dict["url"] = url
        if title is not UNSET:
            field_dict["title"] = title
        if media_type is not UNSET:
            field_dict["media_type"] = media_type
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = src_dict if src_dict.__class__ is dict else dict(src_dict)
        type_ = ChatMessagePartType._parse(d["type"])

        text = d.get("text", UNSET)
        if text is not UNSET and text.__class__ is not str and not isinstance(text, (str, Unset)):
            raise FieldTypeError("text", "str", text)

        signature = d.get("signature", UNSET)
        if signature is not UNSET and signature.__class__ is not str and not isinstance(signature, (str, Unset)):
            raise FieldTypeError("signature", "str", signature)

        tool_call_id = d.get("tool_call_id", UNSET)
        if (
            tool_call_id is not UNSET
            and tool_call_id.__class__ is not str
            and not isinstance(tool_call_id, (str, Unset))
        ):
            raise FieldTypeError("tool_call_id", "str", tool_call_id)

        tool_name = d.get("tool_name", UNSET)
        if tool_name is not UNSET and tool_name.__class__ is not str and not isinstance(tool_name, (str, Unset)):
            raise FieldTypeError("tool_name", "str", tool_name)

        args = d.get("args", UNSET)

        args_delta = d.get("args_delta", UNSET)
        if args_delta is not UNSET and args_delta.__class__ is not str and not isinstance(args_delta, (str, Unset)):
            raise FieldTypeError("args_delta", "str", args_delta)

        result = d.get("result", UNSET)

        result_delta = d.get("result_delta", UNSET)
        if (
            result_delta is not UNSET
            and result_delta.__class__ is not str
            and not isinstance(result_delta, (str, Unset))
        ):
            raise FieldTypeError("result_delta", "str", result_delta)

        is_error = d.get("is_error", UNSET)
        if is_error is not UNSET and is_error.__class__ is not bool and not isinstance(is_error, (bool, Unset)):
            raise FieldTypeError("is_error", "bool", is_error)

        source_id = d.get("source_id", UNSET)
        if source_id is not UNSET and source_id.__class__ is not str and not isinstance(source_id, (str, Unset)):
            raise FieldTypeError("source_id", "str", source_id)

        url = d.get("url", UNSET)
        if url is not UNSET and url.__class__ is not str and not isinstance(url, (str, Unset)):
            raise FieldTypeError("url", "str", url)

        title = d.get("title", UNSET)
        if title is not UNSET and title.__class__ is not str and not isinstance(title, (str, Unset)):
            raise FieldTypeError("title", "str", title)

        media_type = d.get("media_type", UNSET)
        if media_type is not UNSET and media_type.__class__ is not str and not isinstance(media_type, (str, Unset)):
            raise FieldTypeError("media_type", "str", media_type)

        data = d.get("data", UNSET)
        if data is not UNSET and data.__class__ is not str and not isinstance(data, (str, Unset)):
            raise FieldTypeError("data", "str", data)

        chat_message_part = cls(  # positionally, in the order the fields are declared above
            type_,
            text,
            signature,
            tool_call_id,
            tool_name,
            args,
            args_delta,
            result,
            result_delta,
            is_error,
            source_id,
            url,
            title,
            media_type,
            data,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_message_part.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_message_part

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
