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
from ._types.batches import BatchJob as BatchJob
from ._types.batches import BatchJobDestination as BatchJobDestination
from ._types.batches import BatchJobDestinationDict as BatchJobDestinationDict
from ._types.batches import BatchJobOutputInfo as BatchJobOutputInfo
from ._types.batches import BatchJobSource as BatchJobSource
from ._types.batches import BatchJobSourceDict as BatchJobSourceDict
from ._types.batches import CancelBatchJobConfig as CancelBatchJobConfig
from ._types.batches import CancelBatchJobConfigDict as CancelBatchJobConfigDict
from ._types.batches import CompletionStats as CompletionStats
from ._types.batches import CreateBatchJobConfig as CreateBatchJobConfig
from ._types.batches import CreateBatchJobConfigDict as CreateBatchJobConfigDict
from ._types.batches import CreateEmbeddingsBatchJobConfig as CreateEmbeddingsBatchJobConfig
from ._types.batches import CreateEmbeddingsBatchJobConfigDict as CreateEmbeddingsBatchJobConfigDict
from ._types.batches import DeleteBatchJobConfig as DeleteBatchJobConfig
from ._types.batches import DeleteBatchJobConfigDict as DeleteBatchJobConfigDict
from ._types.batches import DeleteResourceJob as DeleteResourceJob
from ._types.batches import EmbedContentBatch as EmbedContentBatch
from ._types.batches import EmbedContentBatchDict as EmbedContentBatchDict
from ._types.batches import EmbeddingsBatchJobSource as EmbeddingsBatchJobSource
from ._types.batches import EmbeddingsBatchJobSourceDict as EmbeddingsBatchJobSourceDict
from ._types.batches import GetBatchJobConfig as GetBatchJobConfig
from ._types.batches import GetBatchJobConfigDict as GetBatchJobConfigDict
from ._types.batches import InlinedEmbedContentResponse as InlinedEmbedContentResponse
from ._types.batches import InlinedRequest as InlinedRequest
from ._types.batches import InlinedRequestDict as InlinedRequestDict
from ._types.batches import InlinedResponse as InlinedResponse
from ._types.batches import JobError as JobError
from ._types.batches import JobState as JobState
from ._types.batches import ListBatchJobsConfig as ListBatchJobsConfig
from ._types.batches import ListBatchJobsConfigDict as ListBatchJobsConfigDict
from ._types.batches import ListBatchJobsResponse as ListBatchJobsResponse
from ._types.batches import SingleEmbedContentResponse as SingleEmbedContentResponse
from ._types.batches import VertexMultimodalDatasetDestination as VertexMultimodalDatasetDestination
from ._types.batches import (
    VertexMultimodalDatasetDestinationDict as VertexMultimodalDatasetDestinationDict,
)
from ._types.batches import WebhookConfig as WebhookConfig
from ._types.batches import WebhookConfigDict as WebhookConfigDict
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
from ._types.dicts import AutomaticFunctionCallingConfigDict as AutomaticFunctionCallingConfigDict
from ._types.dicts import AutoraterConfigDict as AutoraterConfigDict
from ._types.dicts import BatchJobDict as BatchJobDict
from ._types.dicts import BatchJobOutputInfoDict as BatchJobOutputInfoDict
from ._types.dicts import BlobDict as BlobDict
from ._types.dicts import CachedContentDict as CachedContentDict
from ._types.dicts import CachedContentUsageMetadataDict as CachedContentUsageMetadataDict
from ._types.dicts import CancelTuningJobResponseDict as CancelTuningJobResponseDict
from ._types.dicts import CandidateDict as CandidateDict
from ._types.dicts import CheckpointDict as CheckpointDict
from ._types.dicts import ChunkingConfigDict as ChunkingConfigDict
from ._types.dicts import CitationDict as CitationDict
from ._types.dicts import CitationMetadataDict as CitationMetadataDict
from ._types.dicts import CodeExecutionResultDict as CodeExecutionResultDict
from ._types.dicts import CompletionStatsDict as CompletionStatsDict
from ._types.dicts import (
    CompositeReinforcementTuningRewardConfigDict as CompositeReinforcementTuningRewardConfigDict,
)
from ._types.dicts import (
    CompositeReinforcementTuningRewardConfigWeightedRewardConfigDict as CompositeReinforcementTuningRewardConfigWeightedRewardConfigDict,
)
from ._types.dicts import ComputerUseDict as ComputerUseDict
from ._types.dicts import ComputeTokensConfigDict as ComputeTokensConfigDict
from ._types.dicts import ComputeTokensResponseDict as ComputeTokensResponseDict
from ._types.dicts import ContentDict as ContentDict
from ._types.dicts import ContentEmbeddingDict as ContentEmbeddingDict
from ._types.dicts import ContentEmbeddingStatisticsDict as ContentEmbeddingStatisticsDict
from ._types.dicts import CountTokensConfigDict as CountTokensConfigDict
from ._types.dicts import CountTokensResponseDict as CountTokensResponseDict
from ._types.dicts import CreateFileResponseDict as CreateFileResponseDict
from ._types.dicts import CreateFileSearchStoreConfigDict as CreateFileSearchStoreConfigDict
from ._types.dicts import CustomMetadataDict as CustomMetadataDict
from ._types.dicts import DatasetDistributionDict as DatasetDistributionDict
from ._types.dicts import (
    DatasetDistributionDistributionBucketDict as DatasetDistributionDistributionBucketDict,
)
from ._types.dicts import DatasetStatsDict as DatasetStatsDict
from ._types.dicts import DeleteCachedContentResponseDict as DeleteCachedContentResponseDict
from ._types.dicts import DeleteDocumentConfigDict as DeleteDocumentConfigDict
from ._types.dicts import DeleteFileResponseDict as DeleteFileResponseDict
from ._types.dicts import DeleteFileSearchStoreConfigDict as DeleteFileSearchStoreConfigDict
from ._types.dicts import DeleteModelConfigDict as DeleteModelConfigDict
from ._types.dicts import DeleteModelResponseDict as DeleteModelResponseDict
from ._types.dicts import DeleteResourceJobDict as DeleteResourceJobDict
from ._types.dicts import DistillationDataStatsDict as DistillationDataStatsDict
from ._types.dicts import DistillationHyperParametersDict as DistillationHyperParametersDict
from ._types.dicts import DistillationSamplingSpecDict as DistillationSamplingSpecDict
from ._types.dicts import DistillationSpecDict as DistillationSpecDict
from ._types.dicts import DocumentDict as DocumentDict
from ._types.dicts import DownloadMediaConfigDict as DownloadMediaConfigDict
from ._types.dicts import DynamicRetrievalConfigDict as DynamicRetrievalConfigDict
from ._types.dicts import EditImageResponseDict as EditImageResponseDict
from ._types.dicts import EmbedContentConfigDict as EmbedContentConfigDict
from ._types.dicts import EmbedContentMetadataDict as EmbedContentMetadataDict
from ._types.dicts import EmbedContentResponseDict as EmbedContentResponseDict
from ._types.dicts import EncryptionSpecDict as EncryptionSpecDict
from ._types.dicts import EndpointDict as EndpointDict
from ._types.dicts import EnterpriseWebSearchDict as EnterpriseWebSearchDict
from ._types.dicts import EntityLabelDict as EntityLabelDict
from ._types.dicts import EvaluateDatasetRunDict as EvaluateDatasetRunDict
from ._types.dicts import EvaluationConfigDict as EvaluationConfigDict
from ._types.dicts import ExecutableCodeDict as ExecutableCodeDict
from ._types.dicts import FetchPredictOperationConfigDict as FetchPredictOperationConfigDict
from ._types.dicts import FileDataDict as FileDataDict
from ._types.dicts import FileDict as FileDict
from ._types.dicts import FileSearchDict as FileSearchDict
from ._types.dicts import FileSearchStoreDict as FileSearchStoreDict
from ._types.dicts import FileStatusDict as FileStatusDict
from ._types.dicts import FullFineTuningSpecDict as FullFineTuningSpecDict
from ._types.dicts import FunctionCallDict as FunctionCallDict
from ._types.dicts import FunctionCallingConfigDict as FunctionCallingConfigDict
from ._types.dicts import FunctionDeclarationDict as FunctionDeclarationDict
from ._types.dicts import FunctionResponseDict as FunctionResponseDict
from ._types.dicts import GcsDestinationDict as GcsDestinationDict
from ._types.dicts import (
    GeminiPreferenceExampleCompletionDict as GeminiPreferenceExampleCompletionDict,
)
from ._types.dicts import GeminiPreferenceExampleDict as GeminiPreferenceExampleDict
from ._types.dicts import GenerateContentConfigDict as GenerateContentConfigDict
from ._types.dicts import GenerateContentResponseDict as GenerateContentResponseDict
from ._types.dicts import (
    GenerateContentResponsePromptFeedbackDict as GenerateContentResponsePromptFeedbackDict,
)
from ._types.dicts import (
    GenerateContentResponseUsageMetadataDict as GenerateContentResponseUsageMetadataDict,
)
from ._types.dicts import GeneratedImageDict as GeneratedImageDict
from ._types.dicts import GeneratedImageMaskDict as GeneratedImageMaskDict
from ._types.dicts import GeneratedVideoDict as GeneratedVideoDict
from ._types.dicts import GenerateImagesResponseDict as GenerateImagesResponseDict
from ._types.dicts import GenerateVideosResponseDict as GenerateVideosResponseDict
from ._types.dicts import GenerationConfigDict as GenerationConfigDict
from ._types.dicts import GetDocumentConfigDict as GetDocumentConfigDict
from ._types.dicts import GetFileSearchStoreConfigDict as GetFileSearchStoreConfigDict
from ._types.dicts import GetModelConfigDict as GetModelConfigDict
from ._types.dicts import GoogleMapsDict as GoogleMapsDict
from ._types.dicts import GoogleRpcStatusDict as GoogleRpcStatusDict
from ._types.dicts import GoogleSearchDict as GoogleSearchDict
from ._types.dicts import GoogleSearchRetrievalDict as GoogleSearchRetrievalDict
from ._types.dicts import GroundingMetadataDict as GroundingMetadataDict
from ._types.dicts import HttpResponseDict as HttpResponseDict
from ._types.dicts import ImageConfigDict as ImageConfigDict
from ._types.dicts import ImportFileConfigDict as ImportFileConfigDict
from ._types.dicts import ImportFileResponseDict as ImportFileResponseDict
from ._types.dicts import InlinedEmbedContentResponseDict as InlinedEmbedContentResponseDict
from ._types.dicts import InlinedResponseDict as InlinedResponseDict
from ._types.dicts import IntervalDict as IntervalDict
from ._types.dicts import JobErrorDict as JobErrorDict
from ._types.dicts import LatLngDict as LatLngDict
from ._types.dicts import ListBatchJobsResponseDict as ListBatchJobsResponseDict
from ._types.dicts import ListCachedContentsResponseDict as ListCachedContentsResponseDict
from ._types.dicts import ListDocumentsConfigDict as ListDocumentsConfigDict
from ._types.dicts import ListDocumentsResponseDict as ListDocumentsResponseDict
from ._types.dicts import ListFileSearchStoresConfigDict as ListFileSearchStoresConfigDict
from ._types.dicts import ListFileSearchStoresResponseDict as ListFileSearchStoresResponseDict
from ._types.dicts import ListFilesResponseDict as ListFilesResponseDict
from ._types.dicts import ListModelsConfigDict as ListModelsConfigDict
from ._types.dicts import ListModelsResponseDict as ListModelsResponseDict
from ._types.dicts import ListTuningJobsResponseDict as ListTuningJobsResponseDict
from ._types.dicts import LogprobsResultDict as LogprobsResultDict
from ._types.dicts import MetricDict as MetricDict
from ._types.dicts import ModalityTokenCountDict as ModalityTokenCountDict
from ._types.dicts import ModelDict as ModelDict
from ._types.dicts import ModelSelectionConfigDict as ModelSelectionConfigDict
from ._types.dicts import MultiSpeakerVoiceConfigDict as MultiSpeakerVoiceConfigDict
from ._types.dicts import OutputConfigDict as OutputConfigDict
from ._types.dicts import PartDict as PartDict
from ._types.dicts import PartMediaResolutionDict as PartMediaResolutionDict
from ._types.dicts import PartnerModelTuningSpecDict as PartnerModelTuningSpecDict
from ._types.dicts import PrebuiltVoiceConfigDict as PrebuiltVoiceConfigDict
from ._types.dicts import PreferenceOptimizationDataStatsDict as PreferenceOptimizationDataStatsDict
from ._types.dicts import (
    PreferenceOptimizationHyperParametersDict as PreferenceOptimizationHyperParametersDict,
)
from ._types.dicts import PreferenceOptimizationSpecDict as PreferenceOptimizationSpecDict
from ._types.dicts import PreTunedModelDict as PreTunedModelDict
from ._types.dicts import RecontextImageResponseDict as RecontextImageResponseDict
from ._types.dicts import RegisterFilesConfigDict as RegisterFilesConfigDict
from ._types.dicts import RegisterFilesResponseDict as RegisterFilesResponseDict
from ._types.dicts import (
    ReinforcementTuningAutoraterScorerDict as ReinforcementTuningAutoraterScorerDict,
)
from ._types.dicts import (
    ReinforcementTuningAutoraterScorerExactMatchScorerDict as ReinforcementTuningAutoraterScorerExactMatchScorerDict,
)
from ._types.dicts import (
    ReinforcementTuningAutoraterScorerParsedResponseConversionScorerDict as ReinforcementTuningAutoraterScorerParsedResponseConversionScorerDict,
)
from ._types.dicts import (
    ReinforcementTuningCloudRunRewardScorerDict as ReinforcementTuningCloudRunRewardScorerDict,
)
from ._types.dicts import (
    ReinforcementTuningCodeExecutionRewardScorerDict as ReinforcementTuningCodeExecutionRewardScorerDict,
)
from ._types.dicts import ReinforcementTuningExampleDict as ReinforcementTuningExampleDict
from ._types.dicts import (
    ReinforcementTuningHyperParametersDict as ReinforcementTuningHyperParametersDict,
)
from ._types.dicts import (
    ReinforcementTuningParseResponseConfigDict as ReinforcementTuningParseResponseConfigDict,
)
from ._types.dicts import ReinforcementTuningRewardInfoDict as ReinforcementTuningRewardInfoDict
from ._types.dicts import ReinforcementTuningSpecDict as ReinforcementTuningSpecDict
from ._types.dicts import (
    ReinforcementTuningStringMatchRewardScorerDict as ReinforcementTuningStringMatchRewardScorerDict,
)
from ._types.dicts import (
    ReinforcementTuningStringMatchRewardScorerJsonMatchExpressionDict as ReinforcementTuningStringMatchRewardScorerJsonMatchExpressionDict,
)
from ._types.dicts import (
    ReinforcementTuningStringMatchRewardScorerStringMatchExpressionDict as ReinforcementTuningStringMatchRewardScorerStringMatchExpressionDict,
)
from ._types.dicts import (
    ReinforcementTuningUserDatasetExamplesDict as ReinforcementTuningUserDatasetExamplesDict,
)
from ._types.dicts import RetrievalConfigDict as RetrievalConfigDict
from ._types.dicts import RetrievalDict as RetrievalDict
from ._types.dicts import SafetyAttributesDict as SafetyAttributesDict
from ._types.dicts import SafetyRatingDict as SafetyRatingDict
from ._types.dicts import SafetySettingDict as SafetySettingDict
from ._types.dicts import SchemaDict as SchemaDict
from ._types.dicts import SegmentImageResponseDict as SegmentImageResponseDict
from ._types.dicts import SingleEmbedContentResponseDict as SingleEmbedContentResponseDict
from ._types.dicts import (
    SingleReinforcementTuningRewardConfigDict as SingleReinforcementTuningRewardConfigDict,
)
from ._types.dicts import SpeakerVoiceConfigDict as SpeakerVoiceConfigDict
from ._types.dicts import SpeechConfigDict as SpeechConfigDict
from ._types.dicts import StringListDict as StringListDict
from ._types.dicts import SupervisedHyperParametersDict as SupervisedHyperParametersDict
from ._types.dicts import (
    SupervisedTuningDatasetDistributionDatasetBucketDict as SupervisedTuningDatasetDistributionDatasetBucketDict,
)
from ._types.dicts import (
    SupervisedTuningDatasetDistributionDict as SupervisedTuningDatasetDistributionDict,
)
from ._types.dicts import SupervisedTuningDataStatsDict as SupervisedTuningDataStatsDict
from ._types.dicts import SupervisedTuningSpecDict as SupervisedTuningSpecDict
from ._types.dicts import ThinkingConfigDict as ThinkingConfigDict
from ._types.dicts import TokensInfoDict as TokensInfoDict
from ._types.dicts import ToolCodeExecutionDict as ToolCodeExecutionDict
from ._types.dicts import ToolConfigDict as ToolConfigDict
from ._types.dicts import ToolDict as ToolDict
from ._types.dicts import TunedModelCheckpointDict as TunedModelCheckpointDict
from ._types.dicts import TunedModelDict as TunedModelDict
from ._types.dicts import TunedModelInfoDict as TunedModelInfoDict
from ._types.dicts import TuningDataStatsDict as TuningDataStatsDict
from ._types.dicts import TuningJobDict as TuningJobDict
from ._types.dicts import TuningJobMetadataDict as TuningJobMetadataDict
from ._types.dicts import TuningOperationDict as TuningOperationDict
from ._types.dicts import UpdateModelConfigDict as UpdateModelConfigDict
from ._types.dicts import UploadToFileSearchStoreConfigDict as UploadToFileSearchStoreConfigDict
from ._types.dicts import UploadToFileSearchStoreResponseDict as UploadToFileSearchStoreResponseDict
from ._types.dicts import (
    UploadToFileSearchStoreResumableResponseDict as UploadToFileSearchStoreResumableResponseDict,
)
from ._types.dicts import UpscaleImageResponseDict as UpscaleImageResponseDict
from ._types.dicts import UrlContextDict as UrlContextDict
from ._types.dicts import UrlContextMetadataDict as UrlContextMetadataDict
from ._types.dicts import ValidateRewardResponseDict as ValidateRewardResponseDict
from ._types.dicts import VeoHyperParametersDict as VeoHyperParametersDict
from ._types.dicts import VeoLoraTuningSpecDict as VeoLoraTuningSpecDict
from ._types.dicts import VeoTuningSpecDict as VeoTuningSpecDict
from ._types.dicts import VideoDict as VideoDict
from ._types.dicts import VideoGenerationMaskDict as VideoGenerationMaskDict
from ._types.dicts import VideoGenerationReferenceImageDict as VideoGenerationReferenceImageDict
from ._types.dicts import VideoMetadataDict as VideoMetadataDict
from ._types.dicts import VoiceConfigDict as VoiceConfigDict
from ._types.dicts import WhiteSpaceConfigDict as WhiteSpaceConfigDict
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
from ._types.file_search_stores import ChunkingConfig as ChunkingConfig
from ._types.file_search_stores import CreateFileSearchStoreConfig as CreateFileSearchStoreConfig
from ._types.file_search_stores import CustomMetadata as CustomMetadata
from ._types.file_search_stores import DeleteDocumentConfig as DeleteDocumentConfig
from ._types.file_search_stores import DeleteFileSearchStoreConfig as DeleteFileSearchStoreConfig
from ._types.file_search_stores import Document as Document
from ._types.file_search_stores import DocumentState as DocumentState
from ._types.file_search_stores import DownloadMediaConfig as DownloadMediaConfig
from ._types.file_search_stores import FileSearchStore as FileSearchStore
from ._types.file_search_stores import GetDocumentConfig as GetDocumentConfig
from ._types.file_search_stores import GetFileSearchStoreConfig as GetFileSearchStoreConfig
from ._types.file_search_stores import ImportFileConfig as ImportFileConfig
from ._types.file_search_stores import ImportFileOperation as ImportFileOperation
from ._types.file_search_stores import ImportFileResponse as ImportFileResponse
from ._types.file_search_stores import ListDocumentsConfig as ListDocumentsConfig
from ._types.file_search_stores import ListDocumentsResponse as ListDocumentsResponse
from ._types.file_search_stores import ListFileSearchStoresConfig as ListFileSearchStoresConfig
from ._types.file_search_stores import ListFileSearchStoresResponse as ListFileSearchStoresResponse
from ._types.file_search_stores import RegisterFilesConfig as RegisterFilesConfig
from ._types.file_search_stores import RegisterFilesResponse as RegisterFilesResponse
from ._types.file_search_stores import StringList as StringList
from ._types.file_search_stores import (
    UploadToFileSearchStoreConfig as UploadToFileSearchStoreConfig,
)
from ._types.file_search_stores import (
    UploadToFileSearchStoreOperation as UploadToFileSearchStoreOperation,
)
from ._types.file_search_stores import (
    UploadToFileSearchStoreResponse as UploadToFileSearchStoreResponse,
)
from ._types.file_search_stores import (
    UploadToFileSearchStoreResumableResponse as UploadToFileSearchStoreResumableResponse,
)
from ._types.file_search_stores import WhiteSpaceConfig as WhiteSpaceConfig
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

UsageMetadata = GenerateContentResponseUsageMetadata
PromptFeedback = GenerateContentResponsePromptFeedback

__all__ = (
    "AdapterSize",
    "AutomaticFunctionCallingConfig",
    "AutomaticFunctionCallingConfigDict",
    "AutoraterConfig",
    "AutoraterConfigDict",
    "BatchJob",
    "BatchJobDestination",
    "BatchJobDestinationDict",
    "BatchJobDict",
    "BatchJobOutputInfo",
    "BatchJobOutputInfoDict",
    "BatchJobSource",
    "BatchJobSourceDict",
    "Behavior",
    "Blob",
    "BlobDict",
    "BlockedReason",
    "CachedContent",
    "CachedContentDict",
    "CachedContentUsageMetadata",
    "CachedContentUsageMetadataDict",
    "CancelBatchJobConfig",
    "CancelBatchJobConfigDict",
    "CancelTuningJobConfig",
    "CancelTuningJobConfigDict",
    "CancelTuningJobResponse",
    "CancelTuningJobResponseDict",
    "Candidate",
    "CandidateDict",
    "CaseInsensitiveEnum",
    "Checkpoint",
    "CheckpointDict",
    "ChunkingConfig",
    "ChunkingConfigDict",
    "Citation",
    "CitationDict",
    "CitationMetadata",
    "CitationMetadataDict",
    "CodeExecution",
    "CodeExecutionResult",
    "CodeExecutionResultDict",
    "CompletionStats",
    "CompletionStatsDict",
    "CompositeReinforcementTuningRewardConfigDict",
    "CompositeReinforcementTuningRewardConfigWeightedRewardConfigDict",
    "ComputeTokensConfig",
    "ComputeTokensConfigDict",
    "ComputeTokensResponse",
    "ComputeTokensResponseDict",
    "ComputerUse",
    "ComputerUseDict",
    "Content",
    "ContentDict",
    "ContentEmbedding",
    "ContentEmbeddingDict",
    "ContentEmbeddingStatistics",
    "ContentEmbeddingStatisticsDict",
    "ContentReferenceImage",
    "ContentReferenceImageDict",
    "ControlReferenceConfig",
    "ControlReferenceConfigDict",
    "ControlReferenceImage",
    "ControlReferenceImageDict",
    "ControlReferenceType",
    "CountTokensConfig",
    "CountTokensConfigDict",
    "CountTokensResponse",
    "CountTokensResponseDict",
    "CreateBatchJobConfig",
    "CreateBatchJobConfigDict",
    "CreateCachedContentConfig",
    "CreateCachedContentConfigDict",
    "CreateEmbeddingsBatchJobConfig",
    "CreateEmbeddingsBatchJobConfigDict",
    "CreateFileResponse",
    "CreateFileResponseDict",
    "CreateFileSearchStoreConfig",
    "CreateFileSearchStoreConfigDict",
    "CreateTuningJobConfig",
    "CreateTuningJobConfigDict",
    "CustomMetadata",
    "CustomMetadataDict",
    "DatasetDistribution",
    "DatasetDistributionDict",
    "DatasetDistributionDistributionBucketDict",
    "DatasetStats",
    "DatasetStatsDict",
    "DeleteBatchJobConfig",
    "DeleteBatchJobConfigDict",
    "DeleteCachedContentConfig",
    "DeleteCachedContentConfigDict",
    "DeleteCachedContentResponse",
    "DeleteCachedContentResponseDict",
    "DeleteDocumentConfig",
    "DeleteDocumentConfigDict",
    "DeleteFileConfig",
    "DeleteFileConfigDict",
    "DeleteFileResponse",
    "DeleteFileResponseDict",
    "DeleteFileSearchStoreConfig",
    "DeleteFileSearchStoreConfigDict",
    "DeleteModelConfig",
    "DeleteModelConfigDict",
    "DeleteModelResponse",
    "DeleteModelResponseDict",
    "DeleteResourceJob",
    "DeleteResourceJobDict",
    "DistillationDataStats",
    "DistillationDataStatsDict",
    "DistillationHyperParameters",
    "DistillationHyperParametersDict",
    "DistillationSamplingSpec",
    "DistillationSamplingSpecDict",
    "DistillationSpec",
    "DistillationSpecDict",
    "Document",
    "DocumentDict",
    "DocumentState",
    "DownloadFileConfig",
    "DownloadFileConfigDict",
    "DownloadMediaConfig",
    "DownloadMediaConfigDict",
    "DynamicRetrievalConfig",
    "DynamicRetrievalConfigDict",
    "DynamicRetrievalConfigMode",
    "EditImageConfig",
    "EditImageConfigDict",
    "EditImageResponse",
    "EditImageResponseDict",
    "EditMode",
    "EmbedContentBatch",
    "EmbedContentBatchDict",
    "EmbedContentConfig",
    "EmbedContentConfigDict",
    "EmbedContentMetadata",
    "EmbedContentMetadataDict",
    "EmbedContentResponse",
    "EmbedContentResponseDict",
    "EmbeddingsBatchJobSource",
    "EmbeddingsBatchJobSourceDict",
    "EncryptionSpec",
    "EncryptionSpecDict",
    "Endpoint",
    "EndpointDict",
    "EnterpriseWebSearch",
    "EnterpriseWebSearchDict",
    "EntityLabel",
    "EntityLabelDict",
    "Environment",
    "EvaluateDatasetRun",
    "EvaluateDatasetRunDict",
    "EvaluationConfig",
    "EvaluationConfigDict",
    "ExecutableCode",
    "ExecutableCodeDict",
    "FeatureSelectionPreference",
    "FetchPredictOperationConfig",
    "FetchPredictOperationConfigDict",
    "File",
    "FileData",
    "FileDataDict",
    "FileDict",
    "FileSearch",
    "FileSearchDict",
    "FileSearchStore",
    "FileSearchStoreDict",
    "FileSource",
    "FileState",
    "FileStatus",
    "FileStatusDict",
    "FinishReason",
    "FullFineTuningSpec",
    "FullFineTuningSpecDict",
    "FunctionCall",
    "FunctionCallDict",
    "FunctionCallingConfig",
    "FunctionCallingConfigDict",
    "FunctionCallingConfigMode",
    "FunctionDeclaration",
    "FunctionDeclarationDict",
    "FunctionResponse",
    "FunctionResponseDict",
    "FunctionResponseScheduling",
    "GcsDestination",
    "GcsDestinationDict",
    "GeminiPreferenceExample",
    "GeminiPreferenceExampleCompletion",
    "GeminiPreferenceExampleCompletionDict",
    "GeminiPreferenceExampleDict",
    "GenerateContentConfig",
    "GenerateContentConfigDict",
    "GenerateContentResponse",
    "GenerateContentResponseDict",
    "GenerateContentResponsePromptFeedback",
    "GenerateContentResponsePromptFeedbackDict",
    "GenerateContentResponseUsageMetadata",
    "GenerateContentResponseUsageMetadataDict",
    "GenerateImagesConfig",
    "GenerateImagesConfigDict",
    "GenerateImagesResponse",
    "GenerateImagesResponseDict",
    "GenerateVideosConfig",
    "GenerateVideosConfigDict",
    "GenerateVideosOperation",
    "GenerateVideosResponse",
    "GenerateVideosResponseDict",
    "GenerateVideosSource",
    "GenerateVideosSourceDict",
    "GeneratedImage",
    "GeneratedImageDict",
    "GeneratedImageMask",
    "GeneratedImageMaskDict",
    "GeneratedVideo",
    "GeneratedVideoDict",
    "GenerationConfig",
    "GenerationConfigDict",
    "GetBatchJobConfig",
    "GetBatchJobConfigDict",
    "GetCachedContentConfig",
    "GetCachedContentConfigDict",
    "GetDocumentConfig",
    "GetDocumentConfigDict",
    "GetFileConfig",
    "GetFileConfigDict",
    "GetFileSearchStoreConfig",
    "GetFileSearchStoreConfigDict",
    "GetModelConfig",
    "GetModelConfigDict",
    "GetOperationConfig",
    "GetOperationConfigDict",
    "GetTuningJobConfig",
    "GetTuningJobConfigDict",
    "GoogleMaps",
    "GoogleMapsDict",
    "GoogleRpcStatus",
    "GoogleRpcStatusDict",
    "GoogleSearch",
    "GoogleSearchDict",
    "GoogleSearchRetrieval",
    "GoogleSearchRetrievalDict",
    "GroundingMetadata",
    "GroundingMetadataDict",
    "HarmBlockMethod",
    "HarmBlockThreshold",
    "HarmCategory",
    "HarmProbability",
    "HarmSeverity",
    "HttpOptions",
    "HttpOptionsDict",
    "HttpResponse",
    "HttpResponseDict",
    "HttpRetryOptions",
    "HttpRetryOptionsDict",
    "Image",
    "ImageConfig",
    "ImageConfigDict",
    "ImageDict",
    "ImagePromptLanguage",
    "ImageResizeMode",
    "ImportFileConfig",
    "ImportFileConfigDict",
    "ImportFileOperation",
    "ImportFileResponse",
    "ImportFileResponseDict",
    "InlinedEmbedContentResponse",
    "InlinedEmbedContentResponseDict",
    "InlinedRequest",
    "InlinedRequestDict",
    "InlinedResponse",
    "InlinedResponseDict",
    "Interval",
    "IntervalDict",
    "JobError",
    "JobErrorDict",
    "JobState",
    "Language",
    "LatLng",
    "LatLngDict",
    "ListBatchJobsConfig",
    "ListBatchJobsConfigDict",
    "ListBatchJobsResponse",
    "ListBatchJobsResponseDict",
    "ListCachedContentsConfig",
    "ListCachedContentsConfigDict",
    "ListCachedContentsResponse",
    "ListCachedContentsResponseDict",
    "ListDocumentsConfig",
    "ListDocumentsConfigDict",
    "ListDocumentsResponse",
    "ListDocumentsResponseDict",
    "ListFileSearchStoresConfig",
    "ListFileSearchStoresConfigDict",
    "ListFileSearchStoresResponse",
    "ListFileSearchStoresResponseDict",
    "ListFilesConfig",
    "ListFilesConfigDict",
    "ListFilesResponse",
    "ListFilesResponseDict",
    "ListModelsConfig",
    "ListModelsConfigDict",
    "ListModelsResponse",
    "ListModelsResponseDict",
    "ListTuningJobsConfig",
    "ListTuningJobsConfigDict",
    "ListTuningJobsResponse",
    "ListTuningJobsResponseDict",
    "LogprobsResult",
    "LogprobsResultDict",
    "MaskReferenceConfig",
    "MaskReferenceConfigDict",
    "MaskReferenceImage",
    "MaskReferenceImageDict",
    "MaskReferenceMode",
    "MatchOperation",
    "MediaResolution",
    "Metric",
    "MetricDict",
    "Modality",
    "ModalityTokenCount",
    "ModalityTokenCountDict",
    "Model",
    "ModelContent",
    "ModelDict",
    "ModelSelectionConfig",
    "ModelSelectionConfigDict",
    "MultiSpeakerVoiceConfig",
    "MultiSpeakerVoiceConfigDict",
    "Operation",
    "Outcome",
    "OutputConfig",
    "OutputConfigDict",
    "Part",
    "PartDict",
    "PartMediaResolution",
    "PartMediaResolutionDict",
    "PartMediaResolutionLevel",
    "PartnerModelTuningSpec",
    "PartnerModelTuningSpecDict",
    "PersonGeneration",
    "PreTunedModel",
    "PreTunedModelDict",
    "PrebuiltVoiceConfig",
    "PrebuiltVoiceConfigDict",
    "PreferenceOptimizationDataStats",
    "PreferenceOptimizationDataStatsDict",
    "PreferenceOptimizationHyperParametersDict",
    "PreferenceOptimizationSpec",
    "PreferenceOptimizationSpecDict",
    "ProductImage",
    "ProductImageDict",
    "PromptFeedback",
    "RawReferenceImage",
    "RawReferenceImageDict",
    "RecontextImageConfig",
    "RecontextImageConfigDict",
    "RecontextImageResponse",
    "RecontextImageResponseDict",
    "RecontextImageSource",
    "RecontextImageSourceDict",
    "RegisterFilesConfig",
    "RegisterFilesConfigDict",
    "RegisterFilesResponse",
    "RegisterFilesResponseDict",
    "ReinforcementTuningAutoraterScorer",
    "ReinforcementTuningAutoraterScorerDict",
    "ReinforcementTuningAutoraterScorerExactMatchScorerDict",
    "ReinforcementTuningAutoraterScorerParsedResponseConversionScorerDict",
    "ReinforcementTuningCloudRunRewardScorerDict",
    "ReinforcementTuningCodeExecutionRewardScorerDict",
    "ReinforcementTuningExample",
    "ReinforcementTuningExampleDict",
    "ReinforcementTuningHyperParameters",
    "ReinforcementTuningHyperParametersDict",
    "ReinforcementTuningParseResponseConfigDict",
    "ReinforcementTuningRewardInfo",
    "ReinforcementTuningRewardInfoDict",
    "ReinforcementTuningSpec",
    "ReinforcementTuningSpecDict",
    "ReinforcementTuningStringMatchRewardScorerDict",
    "ReinforcementTuningStringMatchRewardScorerJsonMatchExpressionDict",
    "ReinforcementTuningStringMatchRewardScorerStringMatchExpressionDict",
    "ReinforcementTuningThinkingLevel",
    "ReinforcementTuningUserDatasetExamplesDict",
    "ResourceScope",
    "ResponseParseType",
    "Retrieval",
    "RetrievalConfig",
    "RetrievalConfigDict",
    "RetrievalDict",
    "SafetyAttributes",
    "SafetyAttributesDict",
    "SafetyFilterLevel",
    "SafetyRating",
    "SafetyRatingDict",
    "SafetySetting",
    "SafetySettingDict",
    "Schema",
    "SchemaDict",
    "ScribbleImage",
    "ScribbleImageDict",
    "SegmentImageConfig",
    "SegmentImageConfigDict",
    "SegmentImageResponse",
    "SegmentImageResponseDict",
    "SegmentImageSource",
    "SegmentImageSourceDict",
    "SegmentMode",
    "ServiceTier",
    "SingleEmbedContentResponse",
    "SingleEmbedContentResponseDict",
    "SingleReinforcementTuningRewardConfigDict",
    "SpeakerVoiceConfig",
    "SpeakerVoiceConfigDict",
    "SpeechConfig",
    "SpeechConfigDict",
    "StringList",
    "StringListDict",
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
    "SupervisedHyperParametersDict",
    "SupervisedTuningDataStats",
    "SupervisedTuningDataStatsDict",
    "SupervisedTuningDatasetDistributionDatasetBucketDict",
    "SupervisedTuningDatasetDistributionDict",
    "SupervisedTuningSpec",
    "SupervisedTuningSpecDict",
    "ThinkingConfig",
    "ThinkingConfigDict",
    "ThinkingLevel",
    "TokensInfo",
    "TokensInfoDict",
    "Tool",
    "ToolCodeExecution",
    "ToolCodeExecutionDict",
    "ToolConfig",
    "ToolConfigDict",
    "ToolDict",
    "TrafficType",
    "TunedModel",
    "TunedModelCheckpoint",
    "TunedModelCheckpointDict",
    "TunedModelDict",
    "TunedModelInfo",
    "TunedModelInfoDict",
    "TuningDataStats",
    "TuningDataStatsDict",
    "TuningDataset",
    "TuningDatasetDict",
    "TuningExample",
    "TuningExampleDict",
    "TuningJob",
    "TuningJobDict",
    "TuningJobMetadata",
    "TuningJobMetadataDict",
    "TuningMethod",
    "TuningMode",
    "TuningOperation",
    "TuningOperationDict",
    "TuningSpeed",
    "TuningTask",
    "TuningValidationDataset",
    "TuningValidationDatasetDict",
    "Type",
    "UpdateCachedContentConfig",
    "UpdateCachedContentConfigDict",
    "UpdateModelConfig",
    "UpdateModelConfigDict",
    "UploadFileConfig",
    "UploadFileConfigDict",
    "UploadToFileSearchStoreConfig",
    "UploadToFileSearchStoreConfigDict",
    "UploadToFileSearchStoreOperation",
    "UploadToFileSearchStoreResponse",
    "UploadToFileSearchStoreResponseDict",
    "UploadToFileSearchStoreResumableResponse",
    "UploadToFileSearchStoreResumableResponseDict",
    "UpscaleImageConfig",
    "UpscaleImageConfigDict",
    "UpscaleImageResponse",
    "UpscaleImageResponseDict",
    "UrlContext",
    "UrlContextDict",
    "UrlContextMetadata",
    "UrlContextMetadataDict",
    "UrlRetrievalStatus",
    "UsageMetadata",
    "UserContent",
    "ValidateRewardConfig",
    "ValidateRewardConfigDict",
    "ValidateRewardResponse",
    "ValidateRewardResponseDict",
    "VeoHyperParameters",
    "VeoHyperParametersDict",
    "VeoLoraTuningSpec",
    "VeoLoraTuningSpecDict",
    "VeoTuningSpec",
    "VeoTuningSpecDict",
    "VertexMultimodalDatasetDestination",
    "Video",
    "VideoCompressionQuality",
    "VideoDict",
    "VideoGenerationMask",
    "VideoGenerationMaskDict",
    "VideoGenerationMaskMode",
    "VideoGenerationReferenceImage",
    "VideoGenerationReferenceImageDict",
    "VideoGenerationReferenceType",
    "VideoMetadata",
    "VideoMetadataDict",
    "VideoOrientation",
    "VoiceConfig",
    "VoiceConfigDict",
    "WebhookConfig",
    "WebhookConfigDict",
    "WhiteSpaceConfig",
    "WhiteSpaceConfigDict",
)
