from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_model_provider_options import ChatModelProviderOptions


T = TypeVar("T", bound="ChatModelCallConfig")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "max_output_tokens",
        "temperature",
        "top_p",
        "top_k",
        "presence_penalty",
        "frequency_penalty",
        "provider_options",
    }
)


@_attrs_define
class ChatModelCallConfig:
    """Per-call model behaviour defaults."""

    max_output_tokens: int | None | Unset = UNSET
    """ Maximum output tokens per call. """
    temperature: float | None | Unset = UNSET
    """ Sampling temperature. """
    top_p: float | None | Unset = UNSET
    """ Nucleus sampling probability mass. """
    top_k: int | None | Unset = UNSET
    """ Top-k sampling. """
    presence_penalty: float | None | Unset = UNSET
    """ Presence penalty. """
    frequency_penalty: float | None | Unset = UNSET
    """ Frequency penalty. """
    provider_options: ChatModelProviderOptions | None | Unset = UNSET
    """ Provider-specific options. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_model_provider_options import ChatModelProviderOptions

        max_output_tokens: int | None | Unset
        if isinstance(self.max_output_tokens, Unset):
            max_output_tokens = UNSET
        else:
            max_output_tokens = self.max_output_tokens

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature

        top_p: float | None | Unset
        if isinstance(self.top_p, Unset):
            top_p = UNSET
        else:
            top_p = self.top_p

        top_k: int | None | Unset
        if isinstance(self.top_k, Unset):
            top_k = UNSET
        else:
            top_k = self.top_k

        presence_penalty: float | None | Unset
        if isinstance(self.presence_penalty, Unset):
            presence_penalty = UNSET
        else:
            presence_penalty = self.presence_penalty

        frequency_penalty: float | None | Unset
        if isinstance(self.frequency_penalty, Unset):
            frequency_penalty = UNSET
        else:
            frequency_penalty = self.frequency_penalty

        provider_options: dict[str, Any] | None | Unset
        if isinstance(self.provider_options, Unset):
            provider_options = UNSET
        elif isinstance(self.provider_options, ChatModelProviderOptions):
            provider_options = self.provider_options.to_dict()
        else:
            provider_options = self.provider_options

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if max_output_tokens is not UNSET:
            field_dict["max_output_tokens"] = max_output_tokens
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if top_k is not UNSET:
            field_dict["top_k"] = top_k
        if presence_penalty is not UNSET:
            field_dict["presence_penalty"] = presence_penalty
        if frequency_penalty is not UNSET:
            field_dict["frequency_penalty"] = frequency_penalty
        if provider_options is not UNSET:
            field_dict["provider_options"] = provider_options

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_provider_options import ChatModelProviderOptions

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_max_output_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("max_output_tokens", "int | None", data)

        max_output_tokens = _parse_max_output_tokens(d.get("max_output_tokens", UNSET))

        def _parse_temperature(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(
                data,
                (
                    float,
                    int,
                ),
            ):
                return data
            raise FieldTypeError("temperature", "float | None", data)

        temperature = _parse_temperature(d.get("temperature", UNSET))

        def _parse_top_p(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(
                data,
                (
                    float,
                    int,
                ),
            ):
                return data
            raise FieldTypeError("top_p", "float | None", data)

        top_p = _parse_top_p(d.get("top_p", UNSET))

        def _parse_top_k(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, (int,)):
                return data
            raise FieldTypeError("top_k", "int | None", data)

        top_k = _parse_top_k(d.get("top_k", UNSET))

        def _parse_presence_penalty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(
                data,
                (
                    float,
                    int,
                ),
            ):
                return data
            raise FieldTypeError("presence_penalty", "float | None", data)

        presence_penalty = _parse_presence_penalty(d.get("presence_penalty", UNSET))

        def _parse_frequency_penalty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(
                data,
                (
                    float,
                    int,
                ),
            ):
                return data
            raise FieldTypeError("frequency_penalty", "float | None", data)

        frequency_penalty = _parse_frequency_penalty(d.get("frequency_penalty", UNSET))

        def _parse_provider_options(data: object) -> ChatModelProviderOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("provider_options", "ChatModelProviderOptions", data)
            provider_options_type_0 = ChatModelProviderOptions.from_dict(data)

            return provider_options_type_0

        provider_options = _parse_provider_options(d.get("provider_options", UNSET))

        chat_model_call_config = cls(  # positionally, in the order the fields are declared above
            max_output_tokens,
            temperature,
            top_p,
            top_k,
            presence_penalty,
            frequency_penalty,
            provider_options,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_call_config.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_model_call_config

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
