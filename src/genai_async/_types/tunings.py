"""Types of model tuning (``client.tunings``): ``TuningJob``, its specs and statistics,
the datasets and ``CreateTuningJobConfig``.

Objects that travel both ways (a reward configuration is sent in a request and
read back in a tuning job) are response models: they keep the fields a newer
server adds.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, TypedDict

from pydantic import Field

from .._options import HttpOptions, HttpOptionsDict
from .base import CaseInsensitiveEnum, RequestModel, ResponseModel
from .batches import JobState
from .config import GenerationConfig
from .content import Content, WireContent
from .response import HttpResponse
from .tools import Tool

__all__ = (
    "AdapterSize",
    "AutoraterConfig",
    "CancelTuningJobConfig",
    "CancelTuningJobConfigDict",
    "CancelTuningJobResponse",
    "CompositeReinforcementTuningRewardConfig",
    "CompositeReinforcementTuningRewardConfigWeightedRewardConfig",
    "CreateTuningJobConfig",
    "CreateTuningJobConfigDict",
    "DatasetDistribution",
    "DatasetDistributionDistributionBucket",
    "DatasetStats",
    "DistillationDataStats",
    "DistillationHyperParameters",
    "DistillationSamplingSpec",
    "DistillationSpec",
    "EncryptionSpec",
    "EvaluateDatasetRun",
    "EvaluationConfig",
    "FullFineTuningSpec",
    "GcsDestination",
    "GeminiPreferenceExample",
    "GeminiPreferenceExampleCompletion",
    "GetTuningJobConfig",
    "GetTuningJobConfigDict",
    "GoogleRpcStatus",
    "ListTuningJobsConfig",
    "ListTuningJobsConfigDict",
    "ListTuningJobsResponse",
    "MatchOperation",
    "Metric",
    "OutputConfig",
    "PartnerModelTuningSpec",
    "PreTunedModel",
    "PreferenceOptimizationDataStats",
    "PreferenceOptimizationHyperParameters",
    "PreferenceOptimizationSpec",
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
    "ResponseParseType",
    "SingleReinforcementTuningRewardConfig",
    "SupervisedHyperParameters",
    "SupervisedTuningDataStats",
    "SupervisedTuningDatasetDistribution",
    "SupervisedTuningDatasetDistributionDatasetBucket",
    "SupervisedTuningSpec",
    "TunedModel",
    "TunedModelCheckpoint",
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
    "ValidateRewardConfig",
    "ValidateRewardConfigDict",
    "ValidateRewardResponse",
    "VeoHyperParameters",
    "VeoLoraTuningSpec",
    "VeoTuningSpec",
    "VideoOrientation",
)


# -- enums ------------------------------------------------------------------------------------


class TuningMethod(CaseInsensitiveEnum):
    """How a Vertex AI tuning job tunes (``CreateTuningJobConfig.method``)."""

    SUPERVISED_FINE_TUNING = "SUPERVISED_FINE_TUNING"
    PREFERENCE_TUNING = "PREFERENCE_TUNING"
    DISTILLATION = "DISTILLATION"
    REINFORCEMENT_TUNING = "REINFORCEMENT_TUNING"


class TuningMode(CaseInsensitiveEnum):
    """Full fine-tuning or a parameter-efficient adapter."""

    TUNING_MODE_UNSPECIFIED = "TUNING_MODE_UNSPECIFIED"
    TUNING_MODE_FULL = "TUNING_MODE_FULL"
    TUNING_MODE_PEFT_ADAPTER = "TUNING_MODE_PEFT_ADAPTER"


class AdapterSize(CaseInsensitiveEnum):
    """The size of a tuning adapter."""

    ADAPTER_SIZE_UNSPECIFIED = "ADAPTER_SIZE_UNSPECIFIED"
    ADAPTER_SIZE_ONE = "ADAPTER_SIZE_ONE"
    ADAPTER_SIZE_TWO = "ADAPTER_SIZE_TWO"
    ADAPTER_SIZE_FOUR = "ADAPTER_SIZE_FOUR"
    ADAPTER_SIZE_EIGHT = "ADAPTER_SIZE_EIGHT"
    ADAPTER_SIZE_SIXTEEN = "ADAPTER_SIZE_SIXTEEN"
    ADAPTER_SIZE_THIRTY_TWO = "ADAPTER_SIZE_THIRTY_TWO"


class ResponseParseType(CaseInsensitiveEnum):
    """How a reinforcement tuning reward reads the model's response."""

    RESPONSE_PARSE_TYPE_UNSPECIFIED = "RESPONSE_PARSE_TYPE_UNSPECIFIED"
    IDENTITY = "IDENTITY"
    REGEX_EXTRACT = "REGEX_EXTRACT"


class MatchOperation(CaseInsensitiveEnum):
    """How a string-match reward compares."""

    MATCH_OPERATION_UNSPECIFIED = "MATCH_OPERATION_UNSPECIFIED"
    REGEX_CONTAINS = "REGEX_CONTAINS"
    PARTIAL_MATCH = "PARTIAL_MATCH"
    EXACT_MATCH = "EXACT_MATCH"


class ReinforcementTuningThinkingLevel(CaseInsensitiveEnum):
    """The thinking depth of the model during reinforcement tuning."""

    REINFORCEMENT_TUNING_THINKING_LEVEL_UNSPECIFIED = (
        "REINFORCEMENT_TUNING_THINKING_LEVEL_UNSPECIFIED"
    )
    MINIMAL = "MINIMAL"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class TuningSpeed(CaseInsensitiveEnum):
    """Veo tuning speed."""

    TUNING_SPEED_UNSPECIFIED = "TUNING_SPEED_UNSPECIFIED"
    REGULAR = "REGULAR"
    FAST = "FAST"


class TuningTask(CaseInsensitiveEnum):
    """The Veo tuning task (image, text or reference to video)."""

    TUNING_TASK_UNSPECIFIED = "TUNING_TASK_UNSPECIFIED"
    TUNING_TASK_I2V = "TUNING_TASK_I2V"
    TUNING_TASK_T2V = "TUNING_TASK_T2V"
    TUNING_TASK_R2V = "TUNING_TASK_R2V"


class VideoOrientation(CaseInsensitiveEnum):
    """The orientation of Veo tuning videos."""

    VIDEO_ORIENTATION_UNSPECIFIED = "VIDEO_ORIENTATION_UNSPECIFIED"
    LANDSCAPE = "LANDSCAPE"
    PORTRAIT = "PORTRAIT"


# -- shared pieces ----------------------------------------------------------------------------

_Content = Annotated[WireContent | Content, Field(union_mode="left_to_right")]


class GoogleRpcStatus(ResponseModel):
    """An error: ``code``, ``message`` and ``details``."""

    code: int | None = None
    details: list[dict[str, Any]] | None = None
    message: str | None = None


class EncryptionSpec(ResponseModel):
    """The Cloud KMS key that protects a resource (Vertex AI)."""

    kms_key_name: str | None = None


class GcsDestination(ResponseModel):
    """A Cloud Storage prefix to write to."""

    output_uri_prefix: str | None = None


class OutputConfig(ResponseModel):
    """Where an evaluation writes its results."""

    gcs_destination: GcsDestination | None = None


class AutoraterConfig(ResponseModel):
    """The judge model of an evaluation or a reward."""

    sampling_count: int | None = None
    flip_enabled: bool | None = None
    autorater_model: str | None = None
    generation_config: GenerationConfig | dict[str, Any] | None = None


class Metric(RequestModel):
    """An evaluation metric by name (``exact_match``, ``bleu``, ``rouge_1``...) or a
    pointwise metric judged with ``prompt_template``."""

    name: str | None = None
    prompt_template: str | None = None
    judge_model_system_instruction: str | None = None
    return_raw_output: bool | None = None


class EvaluationConfig(ResponseModel):
    """Evaluation of the checkpoints during tuning (Vertex AI)."""

    metrics: list[Metric | dict[str, Any]] | None = None
    output_config: OutputConfig | None = None
    autorater_config: AutoraterConfig | None = None
    inference_generation_config: GenerationConfig | dict[str, Any] | None = None


# -- reinforcement tuning rewards -------------------------------------------------------------


class ReinforcementTuningParseResponseConfig(ResponseModel):
    """How the response is read before it is scored."""

    parse_type: ResponseParseType | None = None
    regex_extract_expression: str | None = None


class ReinforcementTuningAutoraterScorerParsedResponseConversionScorer(ResponseModel):
    """Use the parsed judge response as the reward."""


class ReinforcementTuningAutoraterScorerExactMatchScorer(ResponseModel):
    """Reward the judge response by an exact match."""

    correct_answer_reward: float | None = None
    wrong_answer_reward: float | None = None
    expression: str | None = None


class ReinforcementTuningAutoraterScorer(ResponseModel):
    """A reward given by a judge model."""

    autorater_config: AutoraterConfig | None = None
    autorater_prompt: str | None = None
    autorater_response_parse_config: ReinforcementTuningParseResponseConfig | None = None
    parsed_response_conversion_scorer: (
        ReinforcementTuningAutoraterScorerParsedResponseConversionScorer | None
    ) = None
    exact_match_scorer: ReinforcementTuningAutoraterScorerExactMatchScorer | None = None


class ReinforcementTuningCodeExecutionRewardScorer(ResponseModel):
    """A reward computed by Python code."""

    python_code_snippet: str | None = None


class ReinforcementTuningStringMatchRewardScorerStringMatchExpression(ResponseModel):
    """A string comparison."""

    match_operation: MatchOperation | None = None
    expression: str | None = None


class ReinforcementTuningStringMatchRewardScorerJsonMatchExpression(ResponseModel):
    """A comparison of one key of a JSON response."""

    key_name: str | None = None
    value_string_match_expression: (
        ReinforcementTuningStringMatchRewardScorerStringMatchExpression | None
    ) = None


class ReinforcementTuningStringMatchRewardScorer(ResponseModel):
    """A reward given by matching the response."""

    wrong_answer_reward: float | None = None
    correct_answer_reward: float | None = None
    string_match_expression: (
        ReinforcementTuningStringMatchRewardScorerStringMatchExpression | None
    ) = None
    json_match_expression: ReinforcementTuningStringMatchRewardScorerJsonMatchExpression | None = (
        None
    )


class ReinforcementTuningCloudRunRewardScorer(ResponseModel):
    """A reward computed by a Cloud Run service."""

    cloud_run_uri: str | None = None


class SingleReinforcementTuningRewardConfig(ResponseModel):
    """One reward function of reinforcement tuning."""

    autorater_scorer: ReinforcementTuningAutoraterScorer | None = None
    reward_name: str | None = None
    parse_response_config: ReinforcementTuningParseResponseConfig | None = None
    code_execution_reward_scorer: ReinforcementTuningCodeExecutionRewardScorer | None = None
    string_match_reward_scorer: ReinforcementTuningStringMatchRewardScorer | None = None
    cloud_run_reward_scorer: ReinforcementTuningCloudRunRewardScorer | None = None


class CompositeReinforcementTuningRewardConfigWeightedRewardConfig(ResponseModel):
    """One weighted reward of a composite reward."""

    reward_config: SingleReinforcementTuningRewardConfig | None = None
    weight: float | None = None


class CompositeReinforcementTuningRewardConfig(ResponseModel):
    """A weighted sum of rewards."""

    weighted_reward_configs: (
        list[CompositeReinforcementTuningRewardConfigWeightedRewardConfig] | None
    ) = None


class ReinforcementTuningExample(ResponseModel):
    """One prompt of a reinforcement tuning dataset (and of ``validate_reward``)."""

    contents: list[_Content] | None = None
    references: dict[str, str] | None = None
    system_instruction: _Content | None = None
    tools: list[Tool | dict[str, Any]] | None = None


# -- request side -----------------------------------------------------------------------------


class TuningExample(RequestModel):
    """One example of a Gemini Developer API tuning dataset."""

    text_input: str | None = None
    output: str | None = None


class TuningDataset(RequestModel):
    """The training data: a JSONL file in Cloud Storage or a Vertex AI dataset
    (Vertex AI), or inline ``examples`` (Gemini Developer API)."""

    gcs_uri: str | None = None
    vertex_dataset_resource: str | None = None
    examples: list[TuningExample] | None = None


class TuningValidationDataset(RequestModel):
    """The validation data of a Vertex AI tuning job."""

    gcs_uri: str | None = None
    vertex_dataset_resource: str | None = None


class PreTunedModel(ResponseModel):
    """A tuned model to tune further (Vertex AI: ``tune(base_model="projects/…")``)."""

    base_model: str | None = None
    checkpoint_id: str | None = None
    tuned_model_name: str | None = None


class CreateTuningJobConfig(RequestModel):
    """How ``tunings.tune`` tunes.

    ``method`` (Vertex AI) picks the spec the hyperparameters go into; most
    fields exist on Vertex AI only. The Gemini Developer API takes
    ``tuned_model_display_name``, ``epoch_count``, ``batch_size``,
    ``learning_rate`` and ``learning_rate_multiplier``.
    """

    http_options: HttpOptions | None = None
    method: TuningMethod | None = None
    validation_dataset: TuningValidationDataset | None = None
    tuned_model_display_name: str | None = None
    description: str | None = None
    epoch_count: int | None = None
    learning_rate_multiplier: float | None = None
    export_last_checkpoint_only: bool | None = None
    pre_tuned_model_checkpoint_id: str | None = None
    adapter_size: AdapterSize | None = None
    tuning_mode: TuningMode | None = None
    custom_base_model: str | None = None
    batch_size: int | None = None
    learning_rate: float | None = None
    evaluation_config: EvaluationConfig | None = None
    labels: dict[str, str] | None = None
    beta: float | None = None
    base_teacher_model: str | None = None
    tuned_teacher_model_source: str | None = None
    sft_loss_weight_multiplier: float | None = None
    output_uri: str | None = None
    encryption_spec: EncryptionSpec | None = None
    reward_config: SingleReinforcementTuningRewardConfig | None = None
    composite_reward_config: CompositeReinforcementTuningRewardConfig | None = None
    samples_per_prompt: int | None = None
    evaluate_interval: int | None = None
    checkpoint_interval: int | None = None
    max_output_tokens: int | None = None
    thinking_level: ReinforcementTuningThinkingLevel | None = None
    validation_dataset_uri: str | None = None


class GetTuningJobConfig(RequestModel):
    """Options of ``tunings.get``."""

    http_options: HttpOptions | None = None


class CancelTuningJobConfig(RequestModel):
    """Options of ``tunings.cancel``."""

    http_options: HttpOptions | None = None


class ListTuningJobsConfig(RequestModel):
    """Options of ``tunings.list``: ``page_size``, ``page_token`` and ``filter``."""

    http_options: HttpOptions | None = None
    page_size: int | None = None
    page_token: str | None = None
    filter: str | None = None


class ValidateRewardConfig(RequestModel):
    """Options of ``tunings.validate_reward``."""

    http_options: HttpOptions | None = None


# -- response side: the tuning job ------------------------------------------------------------


class TunedModelCheckpoint(ResponseModel):
    """A checkpoint of a tuned model."""

    checkpoint_id: str | None = None
    epoch: int | None = None
    step: int | None = None
    endpoint: str | None = None


class TunedModel(ResponseModel):
    """The model a tuning job produced: its name and (Vertex AI) endpoint."""

    model: str | None = None
    endpoint: str | None = None
    checkpoints: list[TunedModelCheckpoint] | None = None


class SupervisedHyperParameters(ResponseModel):
    """Hyperparameters of supervised fine-tuning."""

    adapter_size: AdapterSize | None = None
    batch_size: int | None = None
    epoch_count: int | None = None
    learning_rate: float | None = None
    learning_rate_multiplier: float | None = None


class SupervisedTuningSpec(ResponseModel):
    """Supervised fine-tuning: datasets and hyperparameters."""

    export_last_checkpoint_only: bool | None = None
    hyper_parameters: SupervisedHyperParameters | None = None
    training_dataset_uri: str | None = None
    tuning_mode: TuningMode | None = None
    validation_dataset_uri: str | None = None


class PreferenceOptimizationHyperParameters(ResponseModel):
    """Hyperparameters of preference tuning."""

    adapter_size: AdapterSize | None = None
    beta: float | None = None
    epoch_count: int | None = None
    learning_rate_multiplier: float | None = None


class PreferenceOptimizationSpec(ResponseModel):
    """Preference tuning: datasets and hyperparameters."""

    export_last_checkpoint_only: bool | None = None
    hyper_parameters: PreferenceOptimizationHyperParameters | None = None
    training_dataset_uri: str | None = None
    validation_dataset_uri: str | None = None


class DistillationHyperParameters(ResponseModel):
    """Hyperparameters of distillation."""

    adapter_size: AdapterSize | None = None
    epoch_count: int | None = None
    learning_rate_multiplier: float | None = None
    generation_config: GenerationConfig | dict[str, Any] | None = None
    learning_rate: float | None = None
    batch_size: int | None = None


class DistillationSpec(ResponseModel):
    """Distillation from a teacher model."""

    prompt_dataset_uri: str | None = None
    base_teacher_model: str | None = None
    hyper_parameters: DistillationHyperParameters | None = None
    pipeline_root_directory: str | None = None
    student_model: str | None = None
    training_dataset_uri: str | None = None
    tuned_teacher_model_source: str | None = None
    validation_dataset_uri: str | None = None
    tuning_mode: TuningMode | None = None


class DistillationSamplingSpec(ResponseModel):
    """How the teacher's responses of a distillation job are sampled."""

    base_teacher_model: str | None = None
    tuned_teacher_model_source: str | None = None
    validation_dataset_uri: str | None = None
    prompt_dataset_uri: str | None = None
    hyperparameters: DistillationHyperParameters | None = None


class ReinforcementTuningHyperParameters(ResponseModel):
    """Hyperparameters of reinforcement tuning."""

    epoch_count: int | None = None
    learning_rate_multiplier: float | None = None
    adapter_size: AdapterSize | None = None
    samples_per_prompt: int | None = None
    batch_size: int | None = None
    evaluate_interval: int | None = None
    checkpoint_interval: int | None = None
    max_output_tokens: int | None = None
    thinking_level: ReinforcementTuningThinkingLevel | None = None
    thinking_budget: int | None = None
    step_count: int | None = None


class ReinforcementTuningSpec(ResponseModel):
    """Reinforcement tuning: datasets, rewards and hyperparameters."""

    composite_reward_config: CompositeReinforcementTuningRewardConfig | None = None
    training_dataset_uri: str | None = None
    validation_dataset_uri: str | None = None
    hyper_parameters: ReinforcementTuningHyperParameters | None = None
    single_reward_config: SingleReinforcementTuningRewardConfig | None = None


class FullFineTuningSpec(ResponseModel):
    """Full fine-tuning."""

    hyper_parameters: SupervisedHyperParameters | None = None
    training_dataset_uri: str | None = None
    validation_dataset_uri: str | None = None


class PartnerModelTuningSpec(ResponseModel):
    """Tuning of a partner model."""

    hyper_parameters: dict[str, Any] | None = None
    training_dataset_uri: str | None = None
    validation_dataset_uri: str | None = None


class VeoHyperParameters(ResponseModel):
    """Hyperparameters of Veo tuning."""

    epoch_count: int | None = None
    learning_rate_multiplier: float | None = None
    tuning_task: TuningTask | None = None
    veo_data_mixture_ratio: float | None = None
    adapter_size: AdapterSize | None = None
    tuning_speed: TuningSpeed | None = None


class VeoTuningSpec(ResponseModel):
    """Veo tuning."""

    hyper_parameters: VeoHyperParameters | None = None
    training_dataset_uri: str | None = None
    validation_dataset_uri: str | None = None


class VeoLoraTuningSpec(ResponseModel):
    """Veo LoRA tuning."""

    hyper_parameters: VeoHyperParameters | None = None
    training_dataset_uri: str | None = None
    validation_dataset_uri: str | None = None
    video_orientation: VideoOrientation | None = None


class TuningJobMetadata(ResponseModel):
    """Progress of a tuning job."""

    completed_epoch_count: int | None = None
    completed_step_count: int | None = None


class EvaluateDatasetRun(ResponseModel):
    """One evaluation run of a checkpoint."""

    checkpoint_id: str | None = None
    error: GoogleRpcStatus | None = None
    evaluate_dataset_response: dict[str, Any] | None = None
    evaluation_run: str | None = None
    operation_name: str | None = None


# -- response side: dataset statistics --------------------------------------------------------


class SupervisedTuningDatasetDistributionDatasetBucket(ResponseModel):
    """One bucket of a distribution."""

    count: float | None = None
    left: float | None = None
    right: float | None = None


class SupervisedTuningDatasetDistribution(ResponseModel):
    """A distribution over the examples of a supervised tuning dataset."""

    billable_sum: int | None = None
    buckets: list[SupervisedTuningDatasetDistributionDatasetBucket] | None = None
    max: float | None = None
    mean: float | None = None
    median: float | None = None
    min: float | None = None
    p5: float | None = None
    p95: float | None = None
    sum: int | None = None


class SupervisedTuningDataStats(ResponseModel):
    """Statistics of a supervised tuning dataset."""

    dropped_example_reasons: list[str] | None = None
    total_billable_character_count: int | None = None
    total_billable_token_count: int | None = None
    total_truncated_example_count: int | None = None
    total_tuning_character_count: int | None = None
    truncated_example_indices: list[int] | None = None
    tuning_dataset_example_count: int | None = None
    tuning_step_count: int | None = None
    user_dataset_examples: list[_Content] | None = None
    user_input_token_distribution: SupervisedTuningDatasetDistribution | None = None
    user_message_per_example_distribution: SupervisedTuningDatasetDistribution | None = None
    user_output_token_distribution: SupervisedTuningDatasetDistribution | None = None


class DatasetDistributionDistributionBucket(ResponseModel):
    """One bucket of a distribution."""

    count: int | None = None
    left: float | None = None
    right: float | None = None


class DatasetDistribution(ResponseModel):
    """A distribution over the examples of a dataset."""

    buckets: list[DatasetDistributionDistributionBucket] | None = None
    max: float | None = None
    mean: float | None = None
    median: float | None = None
    min: float | None = None
    p5: float | None = None
    p95: float | None = None
    sum: float | None = None


class ReinforcementTuningUserDatasetExamples(ResponseModel):
    """Sample prompts of a reinforcement tuning dataset."""

    user_dataset_examples: list[ReinforcementTuningExample] | None = None


class DatasetStats(ResponseModel):
    """Statistics of a tuning dataset."""

    dropped_example_indices: list[int] | None = None
    dropped_example_reasons: list[str] | None = None
    total_billable_character_count: int | None = None
    total_tuning_character_count: int | None = None
    tuning_dataset_example_count: int | None = None
    tuning_step_count: int | None = None
    user_dataset_examples: list[_Content] | None = None
    user_input_token_distribution: DatasetDistribution | None = None
    user_message_per_example_distribution: DatasetDistribution | None = None
    user_output_token_distribution: DatasetDistribution | None = None
    contents_per_example_distribution: DatasetDistribution | None = None
    reinforcement_tuning_user_dataset_examples: ReinforcementTuningUserDatasetExamples | None = None
    total_billable_token_count: int | None = None


class DistillationDataStats(ResponseModel):
    """Statistics of a distillation dataset."""

    training_dataset_stats: DatasetStats | None = None


class GeminiPreferenceExampleCompletion(ResponseModel):
    """A scored completion of a preference example."""

    completion: _Content | None = None
    score: float | None = None


class GeminiPreferenceExample(ResponseModel):
    """A preference tuning example."""

    completions: list[GeminiPreferenceExampleCompletion] | None = None
    contents: list[_Content] | None = None


class PreferenceOptimizationDataStats(ResponseModel):
    """Statistics of a preference tuning dataset."""

    dropped_example_indices: list[int] | None = None
    dropped_example_reasons: list[str] | None = None
    score_variance_per_example_distribution: DatasetDistribution | None = None
    scores_distribution: DatasetDistribution | None = None
    total_billable_token_count: int | None = None
    tuning_dataset_example_count: int | None = None
    tuning_step_count: int | None = None
    user_dataset_examples: list[GeminiPreferenceExample] | None = None
    user_input_token_distribution: DatasetDistribution | None = None
    user_output_token_distribution: DatasetDistribution | None = None


class TuningDataStats(ResponseModel):
    """Statistics of the training data of a tuning job, by tuning method."""

    distillation_data_stats: DistillationDataStats | None = None
    preference_optimization_data_stats: PreferenceOptimizationDataStats | None = None
    supervised_tuning_data_stats: SupervisedTuningDataStats | None = None
    reinforcement_tuning_data_stats: DatasetStats | None = None


_ENDED = frozenset(
    {
        "JOB_STATE_SUCCEEDED",
        "JOB_STATE_FAILED",
        "JOB_STATE_CANCELLED",
        "JOB_STATE_EXPIRED",
        "ACTIVE",
        "FAILED",
    }
)
_SUCCEEDED = frozenset({"JOB_STATE_SUCCEEDED", "ACTIVE"})


class TuningJob(ResponseModel):
    """A tuning job (Vertex AI ``tuningJobs/…``; on the Gemini Developer API a tuned
    model ``tunedModels/…`` seen as a job).

    Usage::

        job = await client.tunings.tune(
            base_model="gemini-2.5-flash",
            training_dataset={"gcs_uri": "gs://bucket/train.jsonl"},
            config={"epoch_count": 2, "tuned_model_display_name": "support bot"},
        )
        while not job.has_ended:
            await asyncio.sleep(60)
            job = await client.tunings.get(name=job.name)
        print(job.state, job.tuned_model.endpoint)
    """

    sdk_http_response: HttpResponse | None = None
    name: str | None = None
    state: JobState | None = None
    create_time: datetime.datetime | None = None
    start_time: datetime.datetime | None = None
    end_time: datetime.datetime | None = None
    update_time: datetime.datetime | None = None
    error: GoogleRpcStatus | None = None
    description: str | None = None
    base_model: str | None = None
    tuned_model: TunedModel | None = None
    pre_tuned_model: PreTunedModel | None = None
    supervised_tuning_spec: SupervisedTuningSpec | None = None
    preference_optimization_spec: PreferenceOptimizationSpec | None = None
    distillation_spec: DistillationSpec | None = None
    reinforcement_tuning_spec: ReinforcementTuningSpec | None = None
    tuning_data_stats: TuningDataStats | None = None
    encryption_spec: EncryptionSpec | None = None
    partner_model_tuning_spec: PartnerModelTuningSpec | None = None
    evaluation_config: EvaluationConfig | None = None
    custom_base_model: str | None = None
    evaluate_dataset_runs: list[EvaluateDatasetRun] | None = None
    experiment: str | None = None
    full_fine_tuning_spec: FullFineTuningSpec | None = None
    labels: dict[str, str] | None = None
    output_uri: str | None = None
    pipeline_job: str | None = None
    service_account: str | None = None
    tuned_model_display_name: str | None = None
    tuning_job_state: str | None = None
    veo_tuning_spec: VeoTuningSpec | None = None
    tuning_job_metadata: TuningJobMetadata | None = None
    veo_lora_tuning_spec: VeoLoraTuningSpec | None = None
    distillation_sampling_spec: DistillationSamplingSpec | None = None
    gcs_metrics_uri: str | None = None

    @property
    def has_ended(self) -> bool:
        """Whether the job has ended (succeeded, failed, cancelled or expired)."""
        return self.state is not None and self.state.value in _ENDED

    @property
    def has_succeeded(self) -> bool:
        """Whether the job has succeeded."""
        return self.state is not None and self.state.value in _SUCCEEDED


class ListTuningJobsResponse(ResponseModel):
    """One page of ``tunings.list``."""

    sdk_http_response: HttpResponse | None = None
    next_page_token: str | None = None
    tuning_jobs: list[TuningJob] | None = None


class CancelTuningJobResponse(ResponseModel):
    """The result of ``tunings.cancel``: only the HTTP response."""

    sdk_http_response: HttpResponse | None = None


class TuningOperation(ResponseModel):
    """The long-running operation of a Gemini Developer API tuning."""

    sdk_http_response: HttpResponse | None = None
    name: str | None = None
    metadata: dict[str, Any] | None = None
    done: bool | None = None
    error: dict[str, Any] | None = None


class ReinforcementTuningRewardInfo(ResponseModel):
    """The reward one reward function gave."""

    reward: float | None = None
    user_requested_aux_info: str | None = None
    error_status: GoogleRpcStatus | None = None


class ValidateRewardResponse(ResponseModel):
    """The result of ``tunings.validate_reward``: the overall reward and each reward's."""

    sdk_http_response: HttpResponse | None = None
    overall_reward: float | None = None
    error: str | None = None
    reward_info_details: dict[str, ReinforcementTuningRewardInfo] | None = None


# -- TypedDict twins of the request side ------------------------------------------------------


class TuningExampleDict(TypedDict, total=False):
    text_input: str
    output: str


class TuningDatasetDict(TypedDict, total=False):
    gcs_uri: str
    vertex_dataset_resource: str
    examples: list[TuningExampleDict | TuningExample]


class TuningValidationDatasetDict(TypedDict, total=False):
    gcs_uri: str
    vertex_dataset_resource: str


class CreateTuningJobConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    method: TuningMethod | str
    validation_dataset: TuningValidationDatasetDict | TuningValidationDataset
    tuned_model_display_name: str
    description: str
    epoch_count: int
    learning_rate_multiplier: float
    export_last_checkpoint_only: bool
    pre_tuned_model_checkpoint_id: str
    adapter_size: AdapterSize | str
    tuning_mode: TuningMode | str
    custom_base_model: str
    batch_size: int
    learning_rate: float
    evaluation_config: EvaluationConfig | dict[str, Any]
    labels: dict[str, str]
    beta: float
    base_teacher_model: str
    tuned_teacher_model_source: str
    sft_loss_weight_multiplier: float
    output_uri: str
    encryption_spec: EncryptionSpec | dict[str, Any]
    reward_config: SingleReinforcementTuningRewardConfig | dict[str, Any]
    composite_reward_config: CompositeReinforcementTuningRewardConfig | dict[str, Any]
    samples_per_prompt: int
    evaluate_interval: int
    checkpoint_interval: int
    max_output_tokens: int
    thinking_level: ReinforcementTuningThinkingLevel | str
    validation_dataset_uri: str


class GetTuningJobConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class CancelTuningJobConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions


class ListTuningJobsConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
    page_size: int
    page_token: str
    filter: str


class ValidateRewardConfigDict(TypedDict, total=False):
    http_options: HttpOptionsDict | HttpOptions
