from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import FieldTypeError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_model_anthropic_provider_options import ChatModelAnthropicProviderOptions
    from ..models.chat_model_google_provider_options import ChatModelGoogleProviderOptions
    from ..models.chat_model_open_ai_compat_provider_options import ChatModelOpenAICompatProviderOptions
    from ..models.chat_model_open_ai_provider_options import ChatModelOpenAIProviderOptions
    from ..models.chat_model_open_router_provider_options import ChatModelOpenRouterProviderOptions
    from ..models.chat_model_vercel_provider_options import ChatModelVercelProviderOptions


T = TypeVar("T", bound="ChatModelProviderOptions")

# The wire names of the fields above: every other key of an input object goes to `additional_properties`.
_KNOWN_KEYS: frozenset[str] = frozenset(
    {
        "openai",
        "anthropic",
        "google",
        "openaicompat",
        "openrouter",
        "vercel",
    }
)


@_attrs_define
class ChatModelProviderOptions:
    """Typed provider-specific options, one key per provider. Azure models use the `openai` shape, Bedrock models the
    `anthropic` shape.

    """

    openai: ChatModelOpenAIProviderOptions | None | Unset = UNSET
    """ OpenAI (and Azure) options. """
    anthropic: ChatModelAnthropicProviderOptions | None | Unset = UNSET
    """ Anthropic (and Bedrock) options. """
    google: ChatModelGoogleProviderOptions | None | Unset = UNSET
    """ Google options. """
    openaicompat: ChatModelOpenAICompatProviderOptions | None | Unset = UNSET
    """ OpenAI-compatible provider options. """
    openrouter: ChatModelOpenRouterProviderOptions | None | Unset = UNSET
    """ OpenRouter options. """
    vercel: ChatModelVercelProviderOptions | None | Unset = UNSET
    """ Vercel AI Gateway options. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_model_anthropic_provider_options import ChatModelAnthropicProviderOptions
        from ..models.chat_model_google_provider_options import ChatModelGoogleProviderOptions
        from ..models.chat_model_open_ai_compat_provider_options import ChatModelOpenAICompatProviderOptions
        from ..models.chat_model_open_ai_provider_options import ChatModelOpenAIProviderOptions
        from ..models.chat_model_open_router_provider_options import ChatModelOpenRouterProviderOptions
        from ..models.chat_model_vercel_provider_options import ChatModelVercelProviderOptions

        openai: dict[str, Any] | None | Unset
        if isinstance(self.openai, Unset):
            openai = UNSET
        elif isinstance(self.openai, ChatModelOpenAIProviderOptions):
            openai = self.openai.to_dict()
        else:
            openai = self.openai

        anthropic: dict[str, Any] | None | Unset
        if isinstance(self.anthropic, Unset):
            anthropic = UNSET
        elif isinstance(self.anthropic, ChatModelAnthropicProviderOptions):
            anthropic = self.anthropic.to_dict()
        else:
            anthropic = self.anthropic

        google: dict[str, Any] | None | Unset
        if isinstance(self.google, Unset):
            google = UNSET
        elif isinstance(self.google, ChatModelGoogleProviderOptions):
            google = self.google.to_dict()
        else:
            google = self.google

        openaicompat: dict[str, Any] | None | Unset
        if isinstance(self.openaicompat, Unset):
            openaicompat = UNSET
        elif isinstance(self.openaicompat, ChatModelOpenAICompatProviderOptions):
            openaicompat = self.openaicompat.to_dict()
        else:
            openaicompat = self.openaicompat

        openrouter: dict[str, Any] | None | Unset
        if isinstance(self.openrouter, Unset):
            openrouter = UNSET
        elif isinstance(self.openrouter, ChatModelOpenRouterProviderOptions):
            openrouter = self.openrouter.to_dict()
        else:
            openrouter = self.openrouter

        vercel: dict[str, Any] | None | Unset
        if isinstance(self.vercel, Unset):
            vercel = UNSET
        elif isinstance(self.vercel, ChatModelVercelProviderOptions):
            vercel = self.vercel.to_dict()
        else:
            vercel = self.vercel

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if openai is not UNSET:
            field_dict["openai"] = openai
        if anthropic is not UNSET:
            field_dict["anthropic"] = anthropic
        if google is not UNSET:
            field_dict["google"] = google
        if openaicompat is not UNSET:
            field_dict["openaicompat"] = openaicompat
        if openrouter is not UNSET:
            field_dict["openrouter"] = openrouter
        if vercel is not UNSET:
            field_dict["vercel"] = vercel

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chat_model_anthropic_provider_options import ChatModelAnthropicProviderOptions
        from ..models.chat_model_google_provider_options import ChatModelGoogleProviderOptions
        from ..models.chat_model_open_ai_compat_provider_options import ChatModelOpenAICompatProviderOptions
        from ..models.chat_model_open_ai_provider_options import ChatModelOpenAIProviderOptions
        from ..models.chat_model_open_router_provider_options import ChatModelOpenRouterProviderOptions
        from ..models.chat_model_vercel_provider_options import ChatModelVercelProviderOptions

        d = src_dict if src_dict.__class__ is dict else dict(src_dict)

        def _parse_openai(data: object) -> ChatModelOpenAIProviderOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("openai", "ChatModelOpenAIProviderOptions", data)
            openai_type_0 = ChatModelOpenAIProviderOptions.from_dict(data)

            return openai_type_0

        openai = _parse_openai(d.get("openai", UNSET))

        def _parse_anthropic(data: object) -> ChatModelAnthropicProviderOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("anthropic", "ChatModelAnthropicProviderOptions", data)
            anthropic_type_0 = ChatModelAnthropicProviderOptions.from_dict(data)

            return anthropic_type_0

        anthropic = _parse_anthropic(d.get("anthropic", UNSET))

        def _parse_google(data: object) -> ChatModelGoogleProviderOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("google", "ChatModelGoogleProviderOptions", data)
            google_type_0 = ChatModelGoogleProviderOptions.from_dict(data)

            return google_type_0

        google = _parse_google(d.get("google", UNSET))

        def _parse_openaicompat(data: object) -> ChatModelOpenAICompatProviderOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("openaicompat", "ChatModelOpenAICompatProviderOptions", data)
            openaicompat_type_0 = ChatModelOpenAICompatProviderOptions.from_dict(data)

            return openaicompat_type_0

        openaicompat = _parse_openaicompat(d.get("openaicompat", UNSET))

        def _parse_openrouter(data: object) -> ChatModelOpenRouterProviderOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("openrouter", "ChatModelOpenRouterProviderOptions", data)
            openrouter_type_0 = ChatModelOpenRouterProviderOptions.from_dict(data)

            return openrouter_type_0

        openrouter = _parse_openrouter(d.get("openrouter", UNSET))

        def _parse_vercel(data: object) -> ChatModelVercelProviderOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise FieldTypeError("vercel", "ChatModelVercelProviderOptions", data)
            vercel_type_0 = ChatModelVercelProviderOptions.from_dict(data)

            return vercel_type_0

        vercel = _parse_vercel(d.get("vercel", UNSET))

        chat_model_provider_options = cls(  # positionally, in the order the fields are declared above
            openai,
            anthropic,
            google,
            openaicompat,
            openrouter,
            vercel,
        )

        if not _KNOWN_KEYS.issuperset(d):
            chat_model_provider_options.additional_properties = {k: v for k, v in d.items() if k not in _KNOWN_KEYS}
        return chat_model_provider_options

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
