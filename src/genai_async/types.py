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

from ._options import HttpOptions as HttpOptions
from ._options import HttpOptionsDict as HttpOptionsDict
from ._options import HttpRetryOptions as HttpRetryOptions
from ._options import HttpRetryOptionsDict as HttpRetryOptionsDict
from ._options import ResourceScope as ResourceScope
from ._types.base import CaseInsensitiveEnum as CaseInsensitiveEnum
from ._types.caches import CachedContent as CachedContent
from ._types.caches import CachedContentUsageMetadata as CachedContentUsageMetadata
from ._types.caches import CreateCachedContentConfig as CreateCachedContentConfig
from ._types.caches import CreateCachedContentConfigDict as CreateCachedContentConfigDict
from ._types.caches import DeleteCachedContentConfig as DeleteCachedContentConfig
from ._types.caches import DeleteCachedContentConfigDict as DeleteCachedContentConfigDict
from ._types.caches import DeleteCachedContentResponse as DeleteCachedContentResponse
from ._types.caches import GetCachedContentConfig as GetCachedContentConfig
from ._types.caches import GetCachedContentConfigDict as GetCachedContentConfigDict
from ._types.caches import ListCachedContentsConfig as ListCachedContentsConfig
from ._types.caches import ListCachedContentsConfigDict as ListCachedContentsConfigDict
from ._types.caches import ListCachedContentsResponse as ListCachedContentsResponse
from ._types.caches import UpdateCachedContentConfig as UpdateCachedContentConfig
from ._types.caches import UpdateCachedContentConfigDict as UpdateCachedContentConfigDict
from ._types.config import AutomaticFunctionCallingConfig as AutomaticFunctionCallingConfig
from ._types.config import ComputeTokensConfig as ComputeTokensConfig
from ._types.config import CountTokensConfig as CountTokensConfig
from ._types.config import DeleteModelConfig as DeleteModelConfig
from ._types.config import EmbedContentConfig as EmbedContentConfig
from ._types.config import GenerateContentConfig as GenerateContentConfig
from ._types.config import GenerationConfig as GenerationConfig
from ._types.config import GetModelConfig as GetModelConfig
from ._types.config import ImageConfig as ImageConfig
from ._types.config import ListModelsConfig as ListModelsConfig
from ._types.config import ModelSelectionConfig as ModelSelectionConfig
from ._types.config import MultiSpeakerVoiceConfig as MultiSpeakerVoiceConfig
from ._types.config import PrebuiltVoiceConfig as PrebuiltVoiceConfig
from ._types.config import SafetySetting as SafetySetting
from ._types.config import SpeakerVoiceConfig as SpeakerVoiceConfig
from ._types.config import SpeechConfig as SpeechConfig
from ._types.config import ThinkingConfig as ThinkingConfig
from ._types.config import UpdateModelConfig as UpdateModelConfig
from ._types.config import VoiceConfig as VoiceConfig
from ._types.content import Blob as Blob
from ._types.content import CodeExecutionResult as CodeExecutionResult
from ._types.content import Content as Content
from ._types.content import ExecutableCode as ExecutableCode
from ._types.content import FileData as FileData
from ._types.content import FunctionCall as FunctionCall
from ._types.content import FunctionResponse as FunctionResponse
from ._types.content import ModelContent as ModelContent
from ._types.content import Part as Part
from ._types.content import PartMediaResolution as PartMediaResolution
from ._types.content import UserContent as UserContent
from ._types.content import VideoMetadata as VideoMetadata
from ._types.enums import Behavior as Behavior
from ._types.enums import BlockedReason as BlockedReason
from ._types.enums import DynamicRetrievalConfigMode as DynamicRetrievalConfigMode
from ._types.enums import Environment as Environment
from ._types.enums import FeatureSelectionPreference as FeatureSelectionPreference
from ._types.enums import FinishReason as FinishReason
from ._types.enums import FunctionCallingConfigMode as FunctionCallingConfigMode
from ._types.enums import FunctionResponseScheduling as FunctionResponseScheduling
from ._types.enums import HarmBlockMethod as HarmBlockMethod
from ._types.enums import HarmBlockThreshold as HarmBlockThreshold
from ._types.enums import HarmCategory as HarmCategory
from ._types.enums import HarmProbability as HarmProbability
from ._types.enums import HarmSeverity as HarmSeverity
from ._types.enums import Language as Language
from ._types.enums import MediaResolution as MediaResolution
from ._types.enums import Modality as Modality
from ._types.enums import Outcome as Outcome
from ._types.enums import PartMediaResolutionLevel as PartMediaResolutionLevel
from ._types.enums import ServiceTier as ServiceTier
from ._types.enums import ThinkingLevel as ThinkingLevel
from ._types.enums import TrafficType as TrafficType
from ._types.enums import Type as Type
from ._types.enums import UrlRetrievalStatus as UrlRetrievalStatus
from ._types.files import CreateFileResponse as CreateFileResponse
from ._types.files import DeleteFileConfig as DeleteFileConfig
from ._types.files import DeleteFileConfigDict as DeleteFileConfigDict
from ._types.files import DeleteFileResponse as DeleteFileResponse
from ._types.files import DownloadFileConfig as DownloadFileConfig
from ._types.files import DownloadFileConfigDict as DownloadFileConfigDict
from ._types.files import File as File
from ._types.files import FileSource as FileSource
from ._types.files import FileState as FileState
from ._types.files import FileStatus as FileStatus
from ._types.files import GetFileConfig as GetFileConfig
from ._types.files import GetFileConfigDict as GetFileConfigDict
from ._types.files import ListFilesConfig as ListFilesConfig
from ._types.files import ListFilesConfigDict as ListFilesConfigDict
from ._types.files import ListFilesResponse as ListFilesResponse
from ._types.files import UploadFileConfig as UploadFileConfig
from ._types.files import UploadFileConfigDict as UploadFileConfigDict
from ._types.images import ContentReferenceImage as ContentReferenceImage
from ._types.images import ContentReferenceImageDict as ContentReferenceImageDict
from ._types.images import ControlReferenceConfig as ControlReferenceConfig
from ._types.images import ControlReferenceConfigDict as ControlReferenceConfigDict
from ._types.images import ControlReferenceImage as ControlReferenceImage
from ._types.images import ControlReferenceImageDict as ControlReferenceImageDict
from ._types.images import ControlReferenceType as ControlReferenceType
from ._types.images import EditImageConfig as EditImageConfig
from ._types.images import EditImageConfigDict as EditImageConfigDict
from ._types.images import EditImageResponse as EditImageResponse
from ._types.images import EditMode as EditMode
from ._types.images import EntityLabel as EntityLabel
from ._types.images import GeneratedImage as GeneratedImage
from ._types.images import GeneratedImageMask as GeneratedImageMask
from ._types.images import GenerateImagesConfig as GenerateImagesConfig
from ._types.images import GenerateImagesConfigDict as GenerateImagesConfigDict
from ._types.images import GenerateImagesResponse as GenerateImagesResponse
from ._types.images import Image as Image
from ._types.images import ImageDict as ImageDict
from ._types.images import ImagePromptLanguage as ImagePromptLanguage
from ._types.images import MaskReferenceConfig as MaskReferenceConfig
from ._types.images import MaskReferenceConfigDict as MaskReferenceConfigDict
from ._types.images import MaskReferenceImage as MaskReferenceImage
from ._types.images import MaskReferenceImageDict as MaskReferenceImageDict
from ._types.images import MaskReferenceMode as MaskReferenceMode
from ._types.images import PersonGeneration as PersonGeneration
from ._types.images import ProductImage as ProductImage
from ._types.images import ProductImageDict as ProductImageDict
from ._types.images import RawReferenceImage as RawReferenceImage
from ._types.images import RawReferenceImageDict as RawReferenceImageDict
from ._types.images import RecontextImageConfig as RecontextImageConfig
from ._types.images import RecontextImageConfigDict as RecontextImageConfigDict
from ._types.images import RecontextImageResponse as RecontextImageResponse
from ._types.images import RecontextImageSource as RecontextImageSource
from ._types.images import RecontextImageSourceDict as RecontextImageSourceDict
from ._types.images import SafetyAttributes as SafetyAttributes
from ._types.images import SafetyFilterLevel as SafetyFilterLevel
from ._types.images import ScribbleImage as ScribbleImage
from ._types.images import ScribbleImageDict as ScribbleImageDict
from ._types.images import SegmentImageConfig as SegmentImageConfig
from ._types.images import SegmentImageConfigDict as SegmentImageConfigDict
from ._types.images import SegmentImageResponse as SegmentImageResponse
from ._types.images import SegmentImageSource as SegmentImageSource
from ._types.images import SegmentImageSourceDict as SegmentImageSourceDict
from ._types.images import SegmentMode as SegmentMode
from ._types.images import StyleReferenceConfig as StyleReferenceConfig
from ._types.images import StyleReferenceConfigDict as StyleReferenceConfigDict
from ._types.images import StyleReferenceImage as StyleReferenceImage
from ._types.images import StyleReferenceImageDict as StyleReferenceImageDict
from ._types.images import SubjectReferenceConfig as SubjectReferenceConfig
from ._types.images import SubjectReferenceConfigDict as SubjectReferenceConfigDict
from ._types.images import SubjectReferenceImage as SubjectReferenceImage
from ._types.images import SubjectReferenceImageDict as SubjectReferenceImageDict
from ._types.images import SubjectReferenceType as SubjectReferenceType
from ._types.images import UpscaleImageConfig as UpscaleImageConfig
from ._types.images import UpscaleImageConfigDict as UpscaleImageConfigDict
from ._types.images import UpscaleImageResponse as UpscaleImageResponse
from ._types.model_info import Checkpoint as Checkpoint
from ._types.model_info import ComputeTokensResponse as ComputeTokensResponse
from ._types.model_info import ContentEmbedding as ContentEmbedding
from ._types.model_info import ContentEmbeddingStatistics as ContentEmbeddingStatistics
from ._types.model_info import CountTokensResponse as CountTokensResponse
from ._types.model_info import DeleteModelResponse as DeleteModelResponse
from ._types.model_info import EmbedContentMetadata as EmbedContentMetadata
from ._types.model_info import EmbedContentResponse as EmbedContentResponse
from ._types.model_info import Endpoint as Endpoint
from ._types.model_info import ListModelsResponse as ListModelsResponse
from ._types.model_info import Model as Model
from ._types.model_info import TokensInfo as TokensInfo
from ._types.model_info import TunedModelInfo as TunedModelInfo
from ._types.response import Candidate as Candidate
from ._types.response import Citation as Citation
from ._types.response import CitationMetadata as CitationMetadata
from ._types.response import GenerateContentResponse as GenerateContentResponse
from ._types.response import (
    GenerateContentResponsePromptFeedback as GenerateContentResponsePromptFeedback,
)
from ._types.response import (
    GenerateContentResponseUsageMetadata as GenerateContentResponseUsageMetadata,
)
from ._types.response import GroundingMetadata as GroundingMetadata
from ._types.response import HttpResponse as HttpResponse
from ._types.response import LogprobsResult as LogprobsResult
from ._types.response import ModalityTokenCount as ModalityTokenCount
from ._types.response import SafetyRating as SafetyRating
from ._types.response import UrlContextMetadata as UrlContextMetadata
from ._types.tools import CodeExecution as CodeExecution
from ._types.tools import ComputerUse as ComputerUse
from ._types.tools import DynamicRetrievalConfig as DynamicRetrievalConfig
from ._types.tools import EnterpriseWebSearch as EnterpriseWebSearch
from ._types.tools import FileSearch as FileSearch
from ._types.tools import FunctionCallingConfig as FunctionCallingConfig
from ._types.tools import FunctionDeclaration as FunctionDeclaration
from ._types.tools import GoogleMaps as GoogleMaps
from ._types.tools import GoogleSearch as GoogleSearch
from ._types.tools import GoogleSearchRetrieval as GoogleSearchRetrieval
from ._types.tools import Interval as Interval
from ._types.tools import LatLng as LatLng
from ._types.tools import Retrieval as Retrieval
from ._types.tools import RetrievalConfig as RetrievalConfig
from ._types.tools import Schema as Schema
from ._types.tools import Tool as Tool
from ._types.tools import ToolCodeExecution as ToolCodeExecution
from ._types.tools import ToolConfig as ToolConfig
from ._types.tools import UrlContext as UrlContext
from ._types.tunings import AdapterSize as AdapterSize
from ._types.tunings import AutoraterConfig as AutoraterConfig
from ._types.tunings import CancelTuningJobConfig as CancelTuningJobConfig
from ._types.tunings import CancelTuningJobConfigDict as CancelTuningJobConfigDict
from ._types.tunings import CancelTuningJobResponse as CancelTuningJobResponse
from ._types.tunings import (
    CompositeReinforcementTuningRewardConfig as CompositeReinforcementTuningRewardConfig,
)
from ._types.tunings import (
    CompositeReinforcementTuningRewardConfigWeightedRewardConfig as CompositeReinforcementTuningRewardConfigWeightedRewardConfig,
)
from ._types.tunings import CreateTuningJobConfig as CreateTuningJobConfig
from ._types.tunings import CreateTuningJobConfigDict as CreateTuningJobConfigDict
from ._types.tunings import DatasetDistribution as DatasetDistribution
from ._types.tunings import (
    DatasetDistributionDistributionBucket as DatasetDistributionDistributionBucket,
)
from ._types.tunings import DatasetStats as DatasetStats
from ._types.tunings import DistillationDataStats as DistillationDataStats
from ._types.tunings import DistillationHyperParameters as DistillationHyperParameters
from ._types.tunings import DistillationSamplingSpec as DistillationSamplingSpec
from ._types.tunings import DistillationSpec as DistillationSpec
from ._types.tunings import EncryptionSpec as EncryptionSpec
from ._types.tunings import EvaluateDatasetRun as EvaluateDatasetRun
from ._types.tunings import EvaluationConfig as EvaluationConfig
from ._types.tunings import FullFineTuningSpec as FullFineTuningSpec
from ._types.tunings import GcsDestination as GcsDestination
from ._types.tunings import GeminiPreferenceExample as GeminiPreferenceExample
from ._types.tunings import GeminiPreferenceExampleCompletion as GeminiPreferenceExampleCompletion
from ._types.tunings import GetTuningJobConfig as GetTuningJobConfig
from ._types.tunings import GetTuningJobConfigDict as GetTuningJobConfigDict
from ._types.tunings import GoogleRpcStatus as GoogleRpcStatus
from ._types.tunings import JobState as JobState
from ._types.tunings import ListTuningJobsConfig as ListTuningJobsConfig
from ._types.tunings import ListTuningJobsConfigDict as ListTuningJobsConfigDict
from ._types.tunings import ListTuningJobsResponse as ListTuningJobsResponse
from ._types.tunings import MatchOperation as MatchOperation
from ._types.tunings import Metric as Metric
from ._types.tunings import OutputConfig as OutputConfig
from ._types.tunings import PartnerModelTuningSpec as PartnerModelTuningSpec
from ._types.tunings import PreferenceOptimizationDataStats as PreferenceOptimizationDataStats
from ._types.tunings import (
    PreferenceOptimizationHyperParameters as PreferenceOptimizationHyperParameters,
)
from ._types.tunings import PreferenceOptimizationSpec as PreferenceOptimizationSpec
from ._types.tunings import PreTunedModel as PreTunedModel
from ._types.tunings import ReinforcementTuningAutoraterScorer as ReinforcementTuningAutoraterScorer
from ._types.tunings import (
    ReinforcementTuningAutoraterScorerExactMatchScorer as ReinforcementTuningAutoraterScorerExactMatchScorer,
)
from ._types.tunings import (
    ReinforcementTuningAutoraterScorerParsedResponseConversionScorer as ReinforcementTuningAutoraterScorerParsedResponseConversionScorer,
)
from ._types.tunings import (
    ReinforcementTuningCloudRunRewardScorer as ReinforcementTuningCloudRunRewardScorer,
)
from ._types.tunings import (
    ReinforcementTuningCodeExecutionRewardScorer as ReinforcementTuningCodeExecutionRewardScorer,
)
from ._types.tunings import ReinforcementTuningExample as ReinforcementTuningExample
from ._types.tunings import ReinforcementTuningHyperParameters as ReinforcementTuningHyperParameters
from ._types.tunings import (
    ReinforcementTuningParseResponseConfig as ReinforcementTuningParseResponseConfig,
)
from ._types.tunings import ReinforcementTuningRewardInfo as ReinforcementTuningRewardInfo
from ._types.tunings import ReinforcementTuningSpec as ReinforcementTuningSpec
from ._types.tunings import (
    ReinforcementTuningStringMatchRewardScorer as ReinforcementTuningStringMatchRewardScorer,
)
from ._types.tunings import (
    ReinforcementTuningStringMatchRewardScorerJsonMatchExpression as ReinforcementTuningStringMatchRewardScorerJsonMatchExpression,
)
from ._types.tunings import (
    ReinforcementTuningStringMatchRewardScorerStringMatchExpression as ReinforcementTuningStringMatchRewardScorerStringMatchExpression,
)
from ._types.tunings import ReinforcementTuningThinkingLevel as ReinforcementTuningThinkingLevel
from ._types.tunings import (
    ReinforcementTuningUserDatasetExamples as ReinforcementTuningUserDatasetExamples,
)
from ._types.tunings import ResponseParseType as ResponseParseType
from ._types.tunings import (
    SingleReinforcementTuningRewardConfig as SingleReinforcementTuningRewardConfig,
)
from ._types.tunings import SupervisedHyperParameters as SupervisedHyperParameters
from ._types.tunings import (
    SupervisedTuningDatasetDistribution as SupervisedTuningDatasetDistribution,
)
from ._types.tunings import (
    SupervisedTuningDatasetDistributionDatasetBucket as SupervisedTuningDatasetDistributionDatasetBucket,
)
from ._types.tunings import SupervisedTuningDataStats as SupervisedTuningDataStats
from ._types.tunings import SupervisedTuningSpec as SupervisedTuningSpec
from ._types.tunings import TunedModel as TunedModel
from ._types.tunings import TunedModelCheckpoint as TunedModelCheckpoint
from ._types.tunings import TuningDataset as TuningDataset
from ._types.tunings import TuningDatasetDict as TuningDatasetDict
from ._types.tunings import TuningDataStats as TuningDataStats
from ._types.tunings import TuningExample as TuningExample
from ._types.tunings import TuningExampleDict as TuningExampleDict
from ._types.tunings import TuningJob as TuningJob
from ._types.tunings import TuningJobMetadata as TuningJobMetadata
from ._types.tunings import TuningMethod as TuningMethod
from ._types.tunings import TuningMode as TuningMode
from ._types.tunings import TuningOperation as TuningOperation
from ._types.tunings import TuningSpeed as TuningSpeed
from ._types.tunings import TuningTask as TuningTask
from ._types.tunings import TuningValidationDataset as TuningValidationDataset
from ._types.tunings import TuningValidationDatasetDict as TuningValidationDatasetDict
from ._types.tunings import ValidateRewardConfig as ValidateRewardConfig
from ._types.tunings import ValidateRewardConfigDict as ValidateRewardConfigDict
from ._types.tunings import ValidateRewardResponse as ValidateRewardResponse
from ._types.tunings import VeoHyperParameters as VeoHyperParameters
from ._types.tunings import VeoLoraTuningSpec as VeoLoraTuningSpec
from ._types.tunings import VeoTuningSpec as VeoTuningSpec
from ._types.tunings import VideoOrientation as VideoOrientation
from ._types.videos import FetchPredictOperationConfig as FetchPredictOperationConfig
from ._types.videos import GeneratedVideo as GeneratedVideo
from ._types.videos import GenerateVideosConfig as GenerateVideosConfig
from ._types.videos import GenerateVideosConfigDict as GenerateVideosConfigDict
from ._types.videos import GenerateVideosOperation as GenerateVideosOperation
from ._types.videos import GenerateVideosResponse as GenerateVideosResponse
from ._types.videos import GenerateVideosSource as GenerateVideosSource
from ._types.videos import GenerateVideosSourceDict as GenerateVideosSourceDict
from ._types.videos import GetOperationConfig as GetOperationConfig
from ._types.videos import GetOperationConfigDict as GetOperationConfigDict
from ._types.videos import ImageResizeMode as ImageResizeMode
from ._types.videos import Operation as Operation
from ._types.videos import Video as Video
from ._types.videos import VideoCompressionQuality as VideoCompressionQuality
from ._types.videos import VideoGenerationMask as VideoGenerationMask
from ._types.videos import VideoGenerationMaskMode as VideoGenerationMaskMode
from ._types.videos import VideoGenerationReferenceImage as VideoGenerationReferenceImage
from ._types.videos import VideoGenerationReferenceType as VideoGenerationReferenceType
from ._types.videos import WebhookConfig as WebhookConfig

UsageMetadata = GenerateContentResponseUsageMetadata
PromptFeedback = GenerateContentResponsePromptFeedback

__all__ = (
    "AdapterSize",
    "AutomaticFunctionCallingConfig",
    "AutoraterConfig",
    "Behavior",
    "Blob",
    "BlockedReason",
    "CachedContent",
    "CachedContentUsageMetadata",
    "CancelTuningJobConfig",
    "CancelTuningJobConfigDict",
    "CancelTuningJobResponse",
    "Candidate",
    "CaseInsensitiveEnum",
    "Checkpoint",
    "Citation",
    "CitationMetadata",
    "CodeExecution",
    "CodeExecutionResult",
    "CompositeReinforcementTuningRewardConfig",
    "CompositeReinforcementTuningRewardConfigWeightedRewardConfig",
    "ComputeTokensConfig",
    "ComputeTokensResponse",
    "ComputerUse",
    "Content",
    "ContentEmbedding",
    "ContentEmbeddingStatistics",
    "ContentReferenceImage",
    "ContentReferenceImageDict",
    "ControlReferenceConfig",
    "ControlReferenceConfigDict",
    "ControlReferenceImage",
    "ControlReferenceImageDict",
    "ControlReferenceType",
    "CountTokensConfig",
    "CountTokensResponse",
    "CreateCachedContentConfig",
    "CreateCachedContentConfigDict",
    "CreateFileResponse",
    "CreateTuningJobConfig",
    "CreateTuningJobConfigDict",
    "DatasetDistribution",
    "DatasetDistributionDistributionBucket",
    "DatasetStats",
    "DeleteCachedContentConfig",
    "DeleteCachedContentConfigDict",
    "DeleteCachedContentResponse",
    "DeleteFileConfig",
    "DeleteFileConfigDict",
    "DeleteFileResponse",
    "DeleteModelConfig",
    "DeleteModelResponse",
    "DistillationDataStats",
    "DistillationHyperParameters",
    "DistillationSamplingSpec",
    "DistillationSpec",
    "DownloadFileConfig",
    "DownloadFileConfigDict",
    "DynamicRetrievalConfig",
    "DynamicRetrievalConfigMode",
    "EditImageConfig",
    "EditImageConfigDict",
    "EditImageResponse",
    "EditMode",
    "EmbedContentConfig",
    "EmbedContentMetadata",
    "EmbedContentResponse",
    "EncryptionSpec",
    "Endpoint",
    "EnterpriseWebSearch",
    "EntityLabel",
    "Environment",
    "EvaluateDatasetRun",
    "EvaluationConfig",
    "ExecutableCode",
    "FeatureSelectionPreference",
    "FetchPredictOperationConfig",
    "File",
    "FileData",
    "FileSearch",
    "FileSource",
    "FileState",
    "FileStatus",
    "FinishReason",
    "FullFineTuningSpec",
    "FunctionCall",
    "FunctionCallingConfig",
    "FunctionCallingConfigMode",
    "FunctionDeclaration",
    "FunctionResponse",
    "FunctionResponseScheduling",
    "GcsDestination",
    "GeminiPreferenceExample",
    "GeminiPreferenceExampleCompletion",
    "GenerateContentConfig",
    "GenerateContentResponse",
    "GenerateContentResponsePromptFeedback",
    "GenerateContentResponseUsageMetadata",
    "GenerateImagesConfig",
    "GenerateImagesConfigDict",
    "GenerateImagesResponse",
    "GenerateVideosConfig",
    "GenerateVideosConfigDict",
    "GenerateVideosOperation",
    "GenerateVideosResponse",
    "GenerateVideosSource",
    "GenerateVideosSourceDict",
    "GeneratedImage",
    "GeneratedImageMask",
    "GeneratedVideo",
    "GenerationConfig",
    "GetCachedContentConfig",
    "GetCachedContentConfigDict",
    "GetFileConfig",
    "GetFileConfigDict",
    "GetModelConfig",
    "GetOperationConfig",
    "GetOperationConfigDict",
    "GetTuningJobConfig",
    "GetTuningJobConfigDict",
    "GoogleMaps",
    "GoogleRpcStatus",
    "GoogleSearch",
    "GoogleSearchRetrieval",
    "GroundingMetadata",
    "HarmBlockMethod",
    "HarmBlockThreshold",
    "HarmCategory",
    "HarmProbability",
    "HarmSeverity",
    "HttpOptions",
    "HttpOptionsDict",
    "HttpResponse",
    "HttpRetryOptions",
    "HttpRetryOptionsDict",
    "Image",
    "ImageConfig",
    "ImageDict",
    "ImagePromptLanguage",
    "ImageResizeMode",
    "Interval",
    "JobState",
    "Language",
    "LatLng",
    "ListCachedContentsConfig",
    "ListCachedContentsConfigDict",
    "ListCachedContentsResponse",
    "ListFilesConfig",
    "ListFilesConfigDict",
    "ListFilesResponse",
    "ListModelsConfig",
    "ListModelsResponse",
    "ListTuningJobsConfig",
    "ListTuningJobsConfigDict",
    "ListTuningJobsResponse",
    "LogprobsResult",
    "MaskReferenceConfig",
    "MaskReferenceConfigDict",
    "MaskReferenceImage",
    "MaskReferenceImageDict",
    "MaskReferenceMode",
    "MatchOperation",
    "MediaResolution",
    "Metric",
    "Modality",
    "ModalityTokenCount",
    "Model",
    "ModelContent",
    "ModelSelectionConfig",
    "MultiSpeakerVoiceConfig",
    "Operation",
    "Outcome",
    "OutputConfig",
    "Part",
    "PartMediaResolution",
    "PartMediaResolutionLevel",
    "PartnerModelTuningSpec",
    "PersonGeneration",
    "PreTunedModel",
    "PrebuiltVoiceConfig",
    "PreferenceOptimizationDataStats",
    "PreferenceOptimizationHyperParameters",
    "PreferenceOptimizationSpec",
    "ProductImage",
    "ProductImageDict",
    "PromptFeedback",
    "RawReferenceImage",
    "RawReferenceImageDict",
    "RecontextImageConfig",
    "RecontextImageConfigDict",
    "RecontextImageResponse",
    "RecontextImageSource",
    "RecontextImageSourceDict",
    "ReinforcementTuningAutoraterScorer",
    "ReinforcementTuningAutoraterScorerExactMatchScorer",
    "ReinforcementTuningAutoraterScorerParsedResponseConversionScorer",
    "ReinforcementTuningCloudRunRewardScorer",
    "ReinforcementTuningCodeExecutionRewardScorer",
    "ReinforcementTuningExample",
    "ReinforcementTuningHyperParameters",
    "ReinforcementTuningParseResponseConfig",
    "ReinforcementTuningRewardInfo",
    "ReinforcementTuningSpec",
    "ReinforcementTuningStringMatchRewardScorer",
    "ReinforcementTuningStringMatchRewardScorerJsonMatchExpression",
    "ReinforcementTuningStringMatchRewardScorerStringMatchExpression",
    "ReinforcementTuningThinkingLevel",
    "ReinforcementTuningUserDatasetExamples",
    "ResourceScope",
    "ResponseParseType",
    "Retrieval",
    "RetrievalConfig",
    "SafetyAttributes",
    "SafetyFilterLevel",
    "SafetyRating",
    "SafetySetting",
    "Schema",
    "ScribbleImage",
    "ScribbleImageDict",
    "SegmentImageConfig",
    "SegmentImageConfigDict",
    "SegmentImageResponse",
    "SegmentImageSource",
    "SegmentImageSourceDict",
    "SegmentMode",
    "ServiceTier",
    "SingleReinforcementTuningRewardConfig",
    "SpeakerVoiceConfig",
    "SpeechConfig",
    "StyleReferenceConfig",
    "StyleReferenceConfigDict",
    "StyleReferenceImage",
    "StyleReferenceImageDict",
    "SubjectReferenceConfig",
    "SubjectReferenceConfigDict",
    "SubjectReferenceImage",
    "SubjectReferenceImageDict",
    "SubjectReferenceType",
    "SupervisedHyperParameters",
    "SupervisedTuningDataStats",
    "SupervisedTuningDatasetDistribution",
    "SupervisedTuningDatasetDistributionDatasetBucket",
    "SupervisedTuningSpec",
    "ThinkingConfig",
    "ThinkingLevel",
    "TokensInfo",
    "Tool",
    "ToolCodeExecution",
    "ToolConfig",
    "TrafficType",
    "TunedModel",
    "TunedModelCheckpoint",
    "TunedModelInfo",
    "TuningDataStats",
    "TuningDataset",
    "TuningDatasetDict",
    "TuningExample",
    "TuningExampleDict",
    "TuningJob",
    "TuningJobMetadata",
    "TuningMethod",
    "TuningMode",
    "TuningOperation",
    "TuningSpeed",
    "TuningTask",
    "TuningValidationDataset",
    "TuningValidationDatasetDict",
    "Type",
    "UpdateCachedContentConfig",
    "UpdateCachedContentConfigDict",
    "UpdateModelConfig",
    "UploadFileConfig",
    "UploadFileConfigDict",
    "UpscaleImageConfig",
    "UpscaleImageConfigDict",
    "UpscaleImageResponse",
    "UrlContext",
    "UrlContextMetadata",
    "UrlRetrievalStatus",
    "UsageMetadata",
    "UserContent",
    "ValidateRewardConfig",
    "ValidateRewardConfigDict",
    "ValidateRewardResponse",
    "VeoHyperParameters",
    "VeoLoraTuningSpec",
    "VeoTuningSpec",
    "Video",
    "VideoCompressionQuality",
    "VideoGenerationMask",
    "VideoGenerationMaskMode",
    "VideoGenerationReferenceImage",
    "VideoGenerationReferenceType",
    "VideoMetadata",
    "VideoOrientation",
    "VoiceConfig",
    "WebhookConfig",
)
