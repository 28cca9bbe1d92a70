"""Public types, named as in ``google.genai.types``.

``from genai_async import types`` replaces ``from google.genai import types`` for the
covered calls. Request-side models (configs, tools, schemas, contents you build)
reject unknown fields; response-side models keep them: read an unknown field
as an attribute or in ``model_extra`` (wire name), and the whole object in wire
form through ``.raw``. All fields are snake_case with camelCase aliases; both
spellings are accepted on input.

Usage::

    from genai_async import types

    config = types.GenerateContentConfig(
        system_instruction="Answer tersely.",
        safety_settings=[types.SafetySetting(category="HARM_CATEGORY_HARASSMENT",
                                             threshold="BLOCK_ONLY_HIGH")],
        thinking_config=types.ThinkingConfig(thinking_budget=0),
    )

Differences from google-genai: ``UsageMetadata`` and ``PromptFeedback`` are
aliases of ``GenerateContentResponseUsageMetadata`` and
``GenerateContentResponsePromptFeedback``; ``CodeExecution`` is an alias of
``ToolCodeExecution``.
"""

from __future__ import annotations

from ._enums import Behavior as Behavior
from ._enums import BlockedReason as BlockedReason
from ._enums import DynamicRetrievalConfigMode as DynamicRetrievalConfigMode
from ._enums import Environment as Environment
from ._enums import FeatureSelectionPreference as FeatureSelectionPreference
from ._enums import FinishReason as FinishReason
from ._enums import FunctionCallingConfigMode as FunctionCallingConfigMode
from ._enums import FunctionResponseScheduling as FunctionResponseScheduling
from ._enums import HarmBlockMethod as HarmBlockMethod
from ._enums import HarmBlockThreshold as HarmBlockThreshold
from ._enums import HarmCategory as HarmCategory
from ._enums import HarmProbability as HarmProbability
from ._enums import HarmSeverity as HarmSeverity
from ._enums import Language as Language
from ._enums import MediaResolution as MediaResolution
from ._enums import Modality as Modality
from ._enums import Outcome as Outcome
from ._enums import PartMediaResolutionLevel as PartMediaResolutionLevel
from ._enums import ServiceTier as ServiceTier
from ._enums import ThinkingLevel as ThinkingLevel
from ._enums import TrafficType as TrafficType
from ._enums import Type as Type
from ._enums import UrlRetrievalStatus as UrlRetrievalStatus
from ._options import HttpOptions as HttpOptions
from ._options import HttpRetryOptions as HttpRetryOptions
from ._options import ResourceScope as ResourceScope
from ._types_base import CaseInsensitiveEnum as CaseInsensitiveEnum
from ._types_config import AutomaticFunctionCallingConfig as AutomaticFunctionCallingConfig
from ._types_config import CountTokensConfig as CountTokensConfig
from ._types_config import EmbedContentConfig as EmbedContentConfig
from ._types_config import GenerateContentConfig as GenerateContentConfig
from ._types_config import GenerationConfig as GenerationConfig
from ._types_config import GetModelConfig as GetModelConfig
from ._types_config import ImageConfig as ImageConfig
from ._types_config import ListModelsConfig as ListModelsConfig
from ._types_config import ModelSelectionConfig as ModelSelectionConfig
from ._types_config import MultiSpeakerVoiceConfig as MultiSpeakerVoiceConfig
from ._types_config import PrebuiltVoiceConfig as PrebuiltVoiceConfig
from ._types_config import SafetySetting as SafetySetting
from ._types_config import SpeakerVoiceConfig as SpeakerVoiceConfig
from ._types_config import SpeechConfig as SpeechConfig
from ._types_config import ThinkingConfig as ThinkingConfig
from ._types_config import VoiceConfig as VoiceConfig
from ._types_content import Blob as Blob
from ._types_content import CodeExecutionResult as CodeExecutionResult
from ._types_content import Content as Content
from ._types_content import ExecutableCode as ExecutableCode
from ._types_content import FileData as FileData
from ._types_content import FunctionCall as FunctionCall
from ._types_content import FunctionResponse as FunctionResponse
from ._types_content import ModelContent as ModelContent
from ._types_content import Part as Part
from ._types_content import PartMediaResolution as PartMediaResolution
from ._types_content import UserContent as UserContent
from ._types_content import VideoMetadata as VideoMetadata
from ._types_models import Checkpoint as Checkpoint
from ._types_models import ContentEmbedding as ContentEmbedding
from ._types_models import ContentEmbeddingStatistics as ContentEmbeddingStatistics
from ._types_models import CountTokensResponse as CountTokensResponse
from ._types_models import EmbedContentMetadata as EmbedContentMetadata
from ._types_models import EmbedContentResponse as EmbedContentResponse
from ._types_models import Endpoint as Endpoint
from ._types_models import ListModelsResponse as ListModelsResponse
from ._types_models import Model as Model
from ._types_models import TunedModelInfo as TunedModelInfo
from ._types_response import Candidate as Candidate
from ._types_response import Citation as Citation
from ._types_response import CitationMetadata as CitationMetadata
from ._types_response import GenerateContentResponse as GenerateContentResponse
from ._types_response import (
    GenerateContentResponsePromptFeedback as GenerateContentResponsePromptFeedback,
)
from ._types_response import (
    GenerateContentResponseUsageMetadata as GenerateContentResponseUsageMetadata,
)
from ._types_response import GroundingMetadata as GroundingMetadata
from ._types_response import HttpResponse as HttpResponse
from ._types_response import LogprobsResult as LogprobsResult
from ._types_response import ModalityTokenCount as ModalityTokenCount
from ._types_response import SafetyRating as SafetyRating
from ._types_response import UrlContextMetadata as UrlContextMetadata
from ._types_tools import CodeExecution as CodeExecution
from ._types_tools import ComputerUse as ComputerUse
from ._types_tools import DynamicRetrievalConfig as DynamicRetrievalConfig
from ._types_tools import EnterpriseWebSearch as EnterpriseWebSearch
from ._types_tools import FileSearch as FileSearch
from ._types_tools import FunctionCallingConfig as FunctionCallingConfig
from ._types_tools import FunctionDeclaration as FunctionDeclaration
from ._types_tools import GoogleMaps as GoogleMaps
from ._types_tools import GoogleSearch as GoogleSearch
from ._types_tools import GoogleSearchRetrieval as GoogleSearchRetrieval
from ._types_tools import Interval as Interval
from ._types_tools import LatLng as LatLng
from ._types_tools import Retrieval as Retrieval
from ._types_tools import RetrievalConfig as RetrievalConfig
from ._types_tools import Schema as Schema
from ._types_tools import Tool as Tool
from ._types_tools import ToolCodeExecution as ToolCodeExecution
from ._types_tools import ToolConfig as ToolConfig
from ._types_tools import UrlContext as UrlContext

UsageMetadata = GenerateContentResponseUsageMetadata
PromptFeedback = GenerateContentResponsePromptFeedback

__all__ = (
    "AutomaticFunctionCallingConfig",
    "Behavior",
    "Blob",
    "BlockedReason",
    "Candidate",
    "CaseInsensitiveEnum",
    "Checkpoint",
    "Citation",
    "CitationMetadata",
    "CodeExecution",
    "CodeExecutionResult",
    "ComputerUse",
    "Content",
    "ContentEmbedding",
    "ContentEmbeddingStatistics",
    "CountTokensConfig",
    "CountTokensResponse",
    "DynamicRetrievalConfig",
    "DynamicRetrievalConfigMode",
    "EmbedContentConfig",
    "EmbedContentMetadata",
    "EmbedContentResponse",
    "Endpoint",
    "EnterpriseWebSearch",
    "Environment",
    "ExecutableCode",
    "FeatureSelectionPreference",
    "FileData",
    "FileSearch",
    "FinishReason",
    "FunctionCall",
    "FunctionCallingConfig",
    "FunctionCallingConfigMode",
    "FunctionDeclaration",
    "FunctionResponse",
    "FunctionResponseScheduling",
    "GenerateContentConfig",
    "GenerateContentResponse",
    "GenerateContentResponsePromptFeedback",
    "GenerateContentResponseUsageMetadata",
    "GenerationConfig",
    "GetModelConfig",
    "GoogleMaps",
    "GoogleSearch",
    "GoogleSearchRetrieval",
    "GroundingMetadata",
    "HarmBlockMethod",
    "HarmBlockThreshold",
    "HarmCategory",
    "HarmProbability",
    "HarmSeverity",
    "HttpOptions",
    "HttpResponse",
    "HttpRetryOptions",
    "ImageConfig",
    "Interval",
    "Language",
    "LatLng",
    "ListModelsConfig",
    "ListModelsResponse",
    "LogprobsResult",
    "MediaResolution",
    "Modality",
    "ModalityTokenCount",
    "Model",
    "ModelContent",
    "ModelSelectionConfig",
    "MultiSpeakerVoiceConfig",
    "Outcome",
    "Part",
    "PartMediaResolution",
    "PartMediaResolutionLevel",
    "PrebuiltVoiceConfig",
    "PromptFeedback",
    "ResourceScope",
    "Retrieval",
    "RetrievalConfig",
    "SafetyRating",
    "SafetySetting",
    "Schema",
    "ServiceTier",
    "SpeakerVoiceConfig",
    "SpeechConfig",
    "ThinkingConfig",
    "ThinkingLevel",
    "Tool",
    "ToolCodeExecution",
    "ToolConfig",
    "TrafficType",
    "TunedModelInfo",
    "Type",
    "UrlContext",
    "UrlContextMetadata",
    "UrlRetrievalStatus",
    "UsageMetadata",
    "UserContent",
    "VideoMetadata",
    "VoiceConfig",
)
