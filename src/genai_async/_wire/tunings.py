"""Request bodies and response parsing of ``client.tunings``.

Vertex AI creates ``tuningJobs``; the tuning method (``config.method``)
decides which spec - ``supervisedTuningSpec``, ``preferenceOptimizationSpec``,
``distillationSpec`` or ``reinforcementTuningSpec`` - holds the datasets and
the hyperparameters. The Gemini Developer API creates ``tunedModels`` with a
``tuningTask``, and reports a tuned model where Vertex AI reports a job: its
states (``CREATING``, ``ACTIVE``, ``FAILED``) are read as job states.
"""

from __future__ import annotations

from typing import Any

from .._types.batches import JobState
from .._types.response import HttpResponse
from .._types.tunings import ListTuningJobsResponse, TuningJob, TuningMethod
from .configs import GENERATION_CONFIG, tools_in_order
from .contents import content_to_wire
from .convert import CallOptions
from .spec import (
    GEMINI,
    VERTEX,
    Ctx,
    Spec,
    backend_error,
    convert,
    items_of,
    list_of,
    loose,
    nested,
    plain,
    spec,
    vertex_only,
)

__all__ = (
    "AUTORATER_CONFIG",
    "COMPOSITE_REWARD_CONFIG",
    "CREATE_TUNING_JOB_CONFIG",
    "EVALUATION_CONFIG",
    "LIST_TUNING_JOBS_CONFIG",
    "ONLY_HTTP_OPTIONS",
    "REINFORCEMENT_TUNING_EXAMPLE",
    "SINGLE_REWARD_CONFIG",
    "TUNING_DATASET",
    "TUNING_VALIDATION_DATASET",
    "call_options",
    "list_query",
    "parse_list",
    "parse_tuning_job",
    "set_fields",
    "tune_request",
    "tuning_job_from_operation",
    "validate_reward_request",
)


# -- nested objects ---------------------------------------------------------------------------

AUTORATER_CONFIG = spec(
    "AutoraterConfig",
    sampling_count=None,
    flip_enabled=None,
    autorater_model=None,
    generation_config=GENERATION_CONFIG,
)
_PARSE_RESPONSE_CONFIG = spec(
    "ReinforcementTuningParseResponseConfig", parse_type=None, regex_extract_expression=None
)
_STRING_MATCH_EXPRESSION = spec(
    "ReinforcementTuningStringMatchRewardScorerStringMatchExpression",
    match_operation=None,
    expression=None,
)
SINGLE_REWARD_CONFIG = spec(
    "SingleReinforcementTuningRewardConfig",
    autorater_scorer=spec(
        "ReinforcementTuningAutoraterScorer",
        autorater_config=AUTORATER_CONFIG,
        autorater_prompt=None,
        autorater_response_parse_config=_PARSE_RESPONSE_CONFIG,
        parsed_response_conversion_scorer=loose,
        exact_match_scorer=spec(
            "ReinforcementTuningAutoraterScorerExactMatchScorer",
            correct_answer_reward=None,
            wrong_answer_reward=None,
            expression=None,
        ),
    ),
    reward_name=None,
    parse_response_config=_PARSE_RESPONSE_CONFIG,
    code_execution_reward_scorer=spec(
        "ReinforcementTuningCodeExecutionRewardScorer", python_code_snippet=None
    ),
    string_match_reward_scorer=spec(
        "ReinforcementTuningStringMatchRewardScorer",
        wrong_answer_reward=None,
        correct_answer_reward=None,
        string_match_expression=_STRING_MATCH_EXPRESSION,
        json_match_expression=spec(
            "ReinforcementTuningStringMatchRewardScorerJsonMatchExpression",
            key_name=None,
            value_string_match_expression=_STRING_MATCH_EXPRESSION,
        ),
    ),
    cloud_run_reward_scorer=spec("ReinforcementTuningCloudRunRewardScorer", cloud_run_uri=None),
)
COMPOSITE_REWARD_CONFIG = spec(
    "CompositeReinforcementTuningRewardConfig",
    weighted_reward_configs=list_of(
        nested(
            spec(
                "CompositeReinforcementTuningRewardConfigWeightedRewardConfig",
                reward_config=SINGLE_REWARD_CONFIG,
                weight=None,
            )
        )
    ),
)

_AGGREGATIONS = ["AVERAGE", "STANDARD_DEVIATION"]
_METRIC = spec(
    "Metric",
    name=None,
    prompt_template=None,
    judge_model_system_instruction=None,
    return_raw_output=None,
)


def _metric(value: Any, ctx: Ctx) -> dict[str, Any]:
    """One evaluation metric: by name (``exact_match``, ``bleu``, ``rouge…``), a
    pointwise metric with its prompt template, or a metric already given by its
    spec (``bleu_spec``, ``pointwise_metric_spec``...)."""
    pairs = {k: v for k, v in items_of(value, "Metric") if v is not None}
    if "name" not in pairs and "prompt_template" not in pairs and "promptTemplate" not in pairs:
        wire = loose(pairs, ctx)
        return {**wire, "aggregationMetrics": list(_AGGREGATIONS)}
    fields = convert(_METRIC, pairs, ctx)
    name = str(fields.get("name") or "").lower()
    out: dict[str, Any] = {"aggregationMetrics": list(_AGGREGATIONS)}
    if name == "exact_match":
        out["exactMatchSpec"] = {}
    elif name == "bleu":
        out["bleuSpec"] = {}
    elif name.startswith("rouge"):
        out["rougeSpec"] = {"rougeType": name.replace("_", "")}
    elif fields.get("promptTemplate"):
        pointwise: dict[str, Any] = {"metricPromptTemplate": fields["promptTemplate"]}
        if fields.get("judgeModelSystemInstruction"):
            pointwise["systemInstruction"] = fields["judgeModelSystemInstruction"]
        if fields.get("returnRawOutput"):
            pointwise["customOutputFormatConfig"] = {"returnRawOutput": True}
        out["pointwiseMetricSpec"] = pointwise
    else:
        raise ValueError(
            f"evaluation_config.metrics: unsupported metric {name!r} (use exact_match, bleu, "
            "rouge_*, or a metric with a prompt_template)"
        )
    return out


EVALUATION_CONFIG = spec(
    "EvaluationConfig",
    metrics=list_of(_metric),
    output_config=loose,
    autorater_config=AUTORATER_CONFIG,
    inference_generation_config=GENERATION_CONFIG,
)


def _content(value: Any, ctx: Ctx) -> dict[str, Any]:
    return content_to_wire(value, ctx, what="content")


REINFORCEMENT_TUNING_EXAMPLE = spec(
    "ReinforcementTuningExample",
    contents=list_of(_content),
    references=plain,
    system_instruction=_content,
    tools=tools_in_order,
)
_TUNING_EXAMPLE = spec("TuningExample", text_input=None, output=None)
TUNING_DATASET = spec(
    "TuningDataset",
    gcs_uri=vertex_only(),
    vertex_dataset_resource=vertex_only(),
    examples={"conv": list_of(nested(_TUNING_EXAMPLE)), "only": GEMINI},
)
TUNING_VALIDATION_DATASET = spec(
    "TuningValidationDataset", gcs_uri=None, vertex_dataset_resource=None
)


# -- configs ----------------------------------------------------------------------------------

CREATE_TUNING_JOB_CONFIG = spec(
    "CreateTuningJobConfig",
    http_options=None,
    method=None,
    validation_dataset=vertex_only(),
    tuned_model_display_name=None,
    description=vertex_only(),
    epoch_count=None,
    learning_rate_multiplier=None,
    export_last_checkpoint_only=vertex_only(),
    pre_tuned_model_checkpoint_id=vertex_only(),
    adapter_size=vertex_only(),
    tuning_mode=vertex_only(),
    custom_base_model=vertex_only(),
    batch_size=None,
    learning_rate=None,
    evaluation_config=vertex_only(),
    labels=vertex_only(),
    beta=vertex_only(),
    base_teacher_model=vertex_only(),
    tuned_teacher_model_source=vertex_only(),
    sft_loss_weight_multiplier=vertex_only(),
    output_uri=vertex_only(),
    encryption_spec=vertex_only(),
    reward_config=vertex_only(),
    composite_reward_config=vertex_only(),
    samples_per_prompt=vertex_only(),
    evaluate_interval=vertex_only(),
    checkpoint_interval=vertex_only(),
    max_output_tokens=vertex_only(),
    thinking_level=vertex_only(),
    validation_dataset_uri=vertex_only(),
)
LIST_TUNING_JOBS_CONFIG = spec(
    "ListTuningJobsConfig", http_options=None, page_size=None, page_token=None, filter=None
)
ONLY_HTTP_OPTIONS = {
    name: spec(name, http_options=None)
    for name in ("GetTuningJobConfig", "CancelTuningJobConfig", "ValidateRewardConfig")
}


def set_fields(spec_: Spec, value: Any, ctx: Ctx) -> dict[str, Any]:
    """The set fields of ``value`` by their snake_case names, checked against the
    spec (unknown names and fields of the other API raise ``ValueError``)."""
    out: dict[str, Any] = {}
    if value is None:
        return out
    for key, item in items_of(value, spec_.name):
        if item is None:
            continue
        f = spec_.fields.get(key)
        if f is None:
            raise spec_.unknown(key)
        if f.only is not None and (f.only == VERTEX) is not ctx.vertexai:
            raise backend_error(f, spec_, ctx)
        out[f.name] = item
    return out


def call_options(spec_: Spec, config: Any, ctx: Ctx) -> tuple[dict[str, Any], CallOptions]:
    """The set fields of a config, with ``http_options`` taken out into the options."""
    fields = set_fields(spec_, config, ctx)
    options = CallOptions()
    options.http_options = fields.pop("http_options", None)
    return fields, options


def _enum_value(value: Any) -> Any:
    return plain(value, Ctx(False))


# -- tune -------------------------------------------------------------------------------------

_SPEC_OF_METHOD = {
    TuningMethod.SUPERVISED_FINE_TUNING: "supervisedTuningSpec",
    TuningMethod.PREFERENCE_TUNING: "preferenceOptimizationSpec",
    TuningMethod.DISTILLATION: "distillationSpec",
    TuningMethod.REINFORCEMENT_TUNING: "reinforcementTuningSpec",
}
_SFT = TuningMethod.SUPERVISED_FINE_TUNING
_PREF = TuningMethod.PREFERENCE_TUNING
_DIST = TuningMethod.DISTILLATION
_RL = TuningMethod.REINFORCEMENT_TUNING
_ALL = frozenset(_SPEC_OF_METHOD)

# Fields placed in the spec of the tuning method: (the methods that have them, path).
_BY_METHOD: dict[str, tuple[frozenset[TuningMethod], tuple[str, ...]]] = {
    "epoch_count": (_ALL, ("hyperParameters", "epochCount")),
    "learning_rate_multiplier": (_ALL, ("hyperParameters", "learningRateMultiplier")),
    "adapter_size": (_ALL, ("hyperParameters", "adapterSize")),
    "export_last_checkpoint_only": (frozenset({_SFT, _PREF, _DIST}), ("exportLastCheckpointOnly",)),
    "tuning_mode": (frozenset({_SFT, _DIST}), ("tuningMode",)),
    "batch_size": (frozenset({_SFT, _DIST, _RL}), ("hyperParameters", "batchSize")),
    "learning_rate": (frozenset({_SFT, _DIST}), ("hyperParameters", "learningRate")),
}
# Fields with one place whatever the method.
_FIXED: dict[str, tuple[str, ...]] = {
    "tuned_model_display_name": ("tunedModelDisplayName",),
    "description": ("description",),
    "custom_base_model": ("customBaseModel",),
    "labels": ("labels",),
    "output_uri": ("outputUri",),
    "beta": ("preferenceOptimizationSpec", "hyperParameters", "beta"),
    "base_teacher_model": ("distillationSpec", "baseTeacherModel"),
    "tuned_teacher_model_source": ("distillationSpec", "tunedTeacherModelSource"),
    "sft_loss_weight_multiplier": (
        "distillationSpec",
        "hyperParameters",
        "sftLossWeightMultiplier",
    ),
    "samples_per_prompt": ("reinforcementTuningSpec", "hyperParameters", "samplesPerPrompt"),
    "evaluate_interval": ("reinforcementTuningSpec", "hyperParameters", "evaluateInterval"),
    "checkpoint_interval": ("reinforcementTuningSpec", "hyperParameters", "checkpointInterval"),
    "max_output_tokens": ("reinforcementTuningSpec", "hyperParameters", "maxOutputTokens"),
    "thinking_level": ("reinforcementTuningSpec", "hyperParameters", "thinkingLevel"),
    "validation_dataset_uri": ("reinforcementTuningSpec", "validationDatasetUri"),
}
_FIXED_OBJECTS: dict[str, tuple[tuple[str, ...], Spec]] = {
    "encryption_spec": (("encryptionSpec",), spec("EncryptionSpec", kms_key_name=None)),
    "reward_config": (("reinforcementTuningSpec", "singleRewardConfig"), SINGLE_REWARD_CONFIG),
    "composite_reward_config": (
        ("reinforcementTuningSpec", "compositeRewardConfig"),
        COMPOSITE_REWARD_CONFIG,
    ),
}


def _put(body: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = body
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _dataset_uri(fields: dict[str, Any], what: str) -> str | None:
    uri = fields.get("gcs_uri")
    resource = fields.get("vertex_dataset_resource")
    if uri is not None and resource is not None and uri != resource:
        raise ValueError(f"{what}: set one of gcs_uri and vertex_dataset_resource, not both")
    return uri if uri is not None else resource


def _method(fields: dict[str, Any]) -> TuningMethod:
    value = fields.get("method")
    if value is None:
        return TuningMethod.SUPERVISED_FINE_TUNING
    method = TuningMethod(_enum_value(value))
    if method not in _SPEC_OF_METHOD:
        raise ValueError(
            f"unknown tuning method {method.value!r} (CreateTuningJobConfig.method); expected "
            + ", ".join(m.value for m in TuningMethod)
        )
    return method


def _evaluation_config(value: Any, ctx: Ctx) -> dict[str, Any]:
    wire = convert(EVALUATION_CONFIG, value, ctx)
    if not wire.get("metrics") or not wire.get("outputConfig"):
        raise ValueError(
            "evaluation_config (CreateTuningJobConfig) must have at least one metric "
            "and an output_config"
        )
    return wire


def tune_request(
    base_model: str, training_dataset: Any, config: Any, ctx: Ctx
) -> tuple[str, dict[str, Any], CallOptions]:
    """The collection path (``tuningJobs`` or ``tunedModels``), body and options of
    ``tunings.tune``."""
    if not isinstance(base_model, str) or not base_model:
        raise ValueError("tunings.tune: base_model must be a non-empty str")
    fields, options = call_options(CREATE_TUNING_JOB_CONFIG, config, ctx)
    if training_dataset is None:
        raise ValueError("tunings.tune: training_dataset is required")
    dataset = set_fields(TUNING_DATASET, training_dataset, ctx)
    if ctx.vertexai:
        return "tuningJobs", _vertex_tune(base_model, dataset, fields, ctx), options
    return "tunedModels", _gemini_tune(base_model, dataset, fields, ctx), options


def _vertex_tune(
    base_model: str, dataset: dict[str, Any], fields: dict[str, Any], ctx: Ctx
) -> dict[str, Any]:
    method = _method(fields)
    method_spec = _SPEC_OF_METHOD[method]
    body: dict[str, Any] = {}
    checkpoint = fields.pop("pre_tuned_model_checkpoint_id", None)
    if base_model.startswith("projects/"):
        pre_tuned: dict[str, Any] = {"tunedModelName": base_model}
        if checkpoint is not None:
            pre_tuned["checkpointId"] = str(checkpoint)
        body["preTunedModel"] = pre_tuned
    else:
        if checkpoint is not None:
            raise ValueError(
                "pre_tuned_model_checkpoint_id (CreateTuningJobConfig) needs base_model to be "
                "a tuned model (projects/…/models/…)"
            )
        body["baseModel"] = base_model
    uri = _dataset_uri(dataset, "training_dataset")
    if uri is not None:
        key = "promptDatasetUri" if method is _DIST else "trainingDatasetUri"
        _put(body, (method_spec, key), uri)
    for name, value in fields.items():
        if name == "method":
            continue
        if name == "validation_dataset":
            found = set_fields(TUNING_VALIDATION_DATASET, value, ctx)
            validation = _dataset_uri(found, "validation_dataset")
            if validation is not None:
                _put(body, (method_spec, "validationDatasetUri"), validation)
        elif name == "evaluation_config":
            if method not in (_SFT, _PREF, _DIST):
                raise _not_for_method(name, method)
            # A new tuning checks its evaluation settings; tuning a tuned model does not.
            if "baseModel" in body:
                wire = _evaluation_config(value, ctx)
            else:
                wire = convert(EVALUATION_CONFIG, value, ctx)
            _put(body, (method_spec, "evaluationConfig"), wire)
        elif name in _BY_METHOD:
            methods, path = _BY_METHOD[name]
            if method not in methods:
                raise _not_for_method(name, method)
            _put(body, (method_spec, *path), _enum_value(value))
        elif name in _FIXED:
            _put(body, _FIXED[name], _enum_value(value))
        else:
            path, object_spec = _FIXED_OBJECTS[name]
            _put(body, path, convert(object_spec, value, ctx))
    return body


def _not_for_method(name: str, method: TuningMethod) -> ValueError:
    return ValueError(
        f"{name} (CreateTuningJobConfig) is not a setting of {method.value} tuning jobs"
    )


_GEMINI_HYPERPARAMETERS = {
    "epoch_count": "epochCount",
    "batch_size": "batchSize",
    "learning_rate": "learningRate",
    "learning_rate_multiplier": "learningRateMultiplier",
}


def _gemini_tune(
    base_model: str, dataset: dict[str, Any], fields: dict[str, Any], ctx: Ctx
) -> dict[str, Any]:
    body: dict[str, Any] = {"baseModel": base_model}
    method = _method(fields)
    if method is not _SFT:
        raise ValueError(
            f"method={method.value} (CreateTuningJobConfig) is only supported on Vertex AI; "
            "the Gemini Developer API tunes by supervised fine-tuning"
        )
    name = fields.get("tuned_model_display_name")
    if name is not None:
        body["displayName"] = name
    hyper = {wire: fields[k] for k, wire in _GEMINI_HYPERPARAMETERS.items() if k in fields}
    if hyper:
        _put(body, ("tuningTask", "hyperparameters"), hyper)
    examples = dataset.get("examples")
    if examples is not None:
        wire = [convert(_TUNING_EXAMPLE, item, ctx) for item in examples]
        _put(body, ("tuningTask", "trainingData", "examples", "examples"), wire)
    return body


# -- list, validate_reward --------------------------------------------------------------------


def list_query(config: Any, ctx: Ctx) -> tuple[list[tuple[str, str]], CallOptions]:
    """The query parameters (``pageSize``, ``pageToken``, ``filter``) and options of
    ``tunings.list``."""
    fields, options = call_options(LIST_TUNING_JOBS_CONFIG, config, ctx)
    query: list[tuple[str, str]] = []
    if fields.get("page_size") is not None:
        query.append(("pageSize", str(int(fields["page_size"]))))
    if fields.get("page_token"):
        query.append(("pageToken", str(fields["page_token"])))
    if fields.get("filter"):
        query.append(("filter", str(fields["filter"])))
    return query, options


def validate_reward_request(
    sample_response: Any,
    example: Any,
    single_reward_config: Any,
    composite_reward_config: Any,
    ctx: Ctx,
) -> dict[str, Any]:
    """The body of ``tunings.validate_reward`` (Vertex AI)."""
    body: dict[str, Any] = {
        "sampleResponse": content_to_wire(sample_response, ctx, what="sample_response"),
        "example": convert(REINFORCEMENT_TUNING_EXAMPLE, example, ctx),
    }
    if single_reward_config is not None:
        body["singleRewardConfig"] = convert(SINGLE_REWARD_CONFIG, single_reward_config, ctx)
    if composite_reward_config is not None:
        body["compositeRewardConfig"] = convert(
            COMPOSITE_REWARD_CONFIG, composite_reward_config, ctx
        )
    return body


# -- responses --------------------------------------------------------------------------------

_TUNED_MODEL_STATES = {
    "STATE_UNSPECIFIED": JobState.JOB_STATE_UNSPECIFIED,
    "CREATING": JobState.JOB_STATE_RUNNING,
    "ACTIVE": JobState.JOB_STATE_SUCCEEDED,
    "FAILED": JobState.JOB_STATE_FAILED,
}


def _state(value: Any) -> Any:
    if isinstance(value, str):
        return _TUNED_MODEL_STATES.get(value, value)
    return value


def _from_tuned_model(data: dict[str, Any]) -> dict[str, Any]:
    """A Gemini Developer API tuned model in the fields of a tuning job; what has no
    such field (``displayName``, ``tuningTask``...) is kept as it is."""
    out = dict(data)
    task = data.get("tuningTask")
    if isinstance(task, dict):
        if task.get("startTime") is not None:
            out["startTime"] = task["startTime"]
        if task.get("completeTime") is not None:
            out["endTime"] = task["completeTime"]
    name = data.get("name")
    if name is not None:
        out["tunedModel"] = {"model": name, "endpoint": name}
    return out


def parse_tuning_job(data: Any, ctx: Ctx, http: HttpResponse | None) -> TuningJob:
    """A tuning job (Vertex AI) or tuned model (Gemini Developer API) as a :class:`TuningJob`."""
    if type(data) is not dict:
        data = {}
    out = dict(data) if ctx.vertexai else _from_tuned_model(data)
    if "state" in out:
        out["state"] = _state(out["state"])
    job = TuningJob.model_validate(out)
    if http is not None:
        job.sdk_http_response = http
    return job


def parse_list(data: Any, ctx: Ctx, http: HttpResponse | None) -> ListTuningJobsResponse:
    """One page of ``tunings.list``."""
    if type(data) is not dict:
        data = {}
    jobs = [parse_tuning_job(item, ctx, None) for item in data.get("tuningJobs") or ()]
    rest = {k: v for k, v in data.items() if k != "tuningJobs"}
    page = ListTuningJobsResponse.model_validate(rest)
    page.tuning_jobs = jobs
    page.sdk_http_response = http
    return page


def tuning_job_from_operation(data: Any) -> TuningJob:
    """The job that a Gemini Developer API tuning operation started: the tuned model
    it names, queued."""
    if type(data) is not dict:
        data = {}
    metadata = data.get("metadata")
    name: Any = None
    if isinstance(metadata, dict) and "tunedModel" in metadata:
        name = metadata["tunedModel"]
    else:
        operation = data.get("name")
        if operation is None:
            raise ValueError("the tuning operation has no name")
        name = str(operation).partition("/operations/")[0]
    return TuningJob(name=name, state=JobState.JOB_STATE_QUEUED)
