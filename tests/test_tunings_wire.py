"""client.tunings on both APIs: every request as google-genai 3.6.1 sends it, and the
tuning jobs both libraries read from the same responses."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from typing import Any

import pytest
from google import genai as google_genai
from google.genai import types as gtypes

import genai_async
from genai_async import types
from genai_async.testing import Fault, MockServer
from genai_async.tunings import AsyncTunings
from test_oracle import Creds, assert_same_request, normalise

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The SDK's tuning implementation is experimental"),
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Pair:
    def __init__(self, theirs: Any, ours: AsyncTunings, server: MockServer) -> None:
        self.theirs = theirs
        self.ours = ours
        self.server = server

    async def their_request(self, call: Any) -> Any:
        """Their request (the server may answer it 404: only the request counts)."""
        try:
            await call
        except Exception:  # the mock server does not know the route
            pass
        return self.server.requests[-1]

    def script(self, match: str, body: Any) -> None:
        self.server.inject(Fault(match=match, status=200, body=copy.deepcopy(body)))


async def _pair(vertexai: bool) -> AsyncIterator[Pair]:
    with MockServer() as server:
        if vertexai:
            common: dict[str, Any] = {
                "vertexai": True,
                "project": "p",
                "location": "us-central1",
                "http_options": {"base_url": server.url},
            }
            theirs = google_genai.Client(credentials=Creds(), **common)  # type: ignore[arg-type]
            client = genai_async.AsyncClient(credentials=Creds(), **common)
        else:
            theirs = google_genai.Client(
                api_key="k", http_options={"base_url": server.url, "api_version": "v1beta"}
            )
            client = genai_async.AsyncClient(api_key="k", http_options={"base_url": server.url})
        async with client:
            yield Pair(theirs.aio.tunings, AsyncTunings(client, "async"), server)
        await theirs.aio.aclose()


@pytest.fixture
async def vertex() -> AsyncIterator[Pair]:
    async for pair in _pair(True):
        yield pair


@pytest.fixture
async def gemini() -> AsyncIterator[Pair]:
    async for pair in _pair(False):
        yield pair


@pytest.fixture(params=["gemini", "vertex"])
async def both(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    async for pair in _pair(request.param == "vertex"):
        yield pair


def dump(result: Any) -> Any:
    extra = set(result.model_extra or ())
    data = result.model_dump(mode="json", exclude_none=True, exclude={"sdk_http_response", *extra})
    return normalise(data)


# -- responses --------------------------------------------------------------------------------

VERTEX_JOB: dict[str, Any] = {
    "name": "projects/p/locations/us-central1/tuningJobs/123",
    "tunedModelDisplayName": "support bot",
    "description": "a tuned model",
    "baseModel": "gemini-2.5-flash",
    "state": "JOB_STATE_SUCCEEDED",
    "createTime": "2025-03-01T10:00:00Z",
    "startTime": "2025-03-01T10:01:00Z",
    "endTime": "2025-03-01T12:00:00Z",
    "updateTime": "2025-03-01T12:00:01Z",
    "labels": {"team": "support"},
    "experiment": "projects/p/locations/us-central1/metadataStores/default/contexts/e1",
    "tunedModel": {
        "model": "projects/p/locations/us-central1/models/987@1",
        "endpoint": "projects/p/locations/us-central1/endpoints/555",
        "checkpoints": [
            {"checkpointId": "1", "epoch": 1, "step": 10, "endpoint": "projects/p/e/1"},
            {"checkpointId": "2", "epoch": 2, "step": 20, "endpoint": "projects/p/e/2"},
        ],
    },
    "supervisedTuningSpec": {
        "trainingDatasetUri": "gs://bucket/train.jsonl",
        "validationDatasetUri": "gs://bucket/validation.jsonl",
        "hyperParameters": {
            "epochCount": "3",
            "learningRateMultiplier": 1.5,
            "adapterSize": "ADAPTER_SIZE_FOUR",
        },
        "exportLastCheckpointOnly": True,
        "tuningMode": "TUNING_MODE_PEFT_ADAPTER",
    },
    "tuningDataStats": {
        "supervisedTuningDataStats": {
            "tuningDatasetExampleCount": "500",
            "totalTuningCharacterCount": "120000",
            "totalBillableTokenCount": "30000",
            "tuningStepCount": "60",
            "userInputTokenDistribution": {
                "sum": "20000",
                "min": 3,
                "max": 200,
                "mean": 40.5,
                "median": 38,
                "p5": 8,
                "p95": 120,
                "buckets": [{"count": 10, "left": 3, "right": 50}],
            },
            "userDatasetExamples": [
                {"role": "user", "parts": [{"text": "Where is my order?"}]},
                {"role": "model", "parts": [{"text": "Let me check."}]},
            ],
            "droppedExampleReasons": ["too long"],
        }
    },
    "encryptionSpec": {"kmsKeyName": "projects/p/locations/l/keyRings/r/cryptoKeys/k"},
    "error": {"code": 3, "message": "partial", "details": [{"@type": "x"}]},
    "serviceAccount": "sa@p.iam.gserviceaccount.com",
    "outputUri": "gs://bucket/out",
    "tuningJobMetadata": {"completedEpochCount": "3", "completedStepCount": "60"},
}

VERTEX_DISTILLATION_JOB: dict[str, Any] = {
    "name": "projects/p/locations/us-central1/tuningJobs/456",
    "state": "JOB_STATE_RUNNING",
    "baseModel": "gemini-2.5-flash",
    "distillationSpec": {
        "baseTeacherModel": "gemini-2.5-pro",
        "promptDatasetUri": "gs://bucket/prompts.jsonl",
        "hyperParameters": {"epochCount": "2", "learningRate": 0.001, "batchSize": 8},
        "tuningMode": "TUNING_MODE_FULL",
    },
    "preferenceOptimizationSpec": {
        "hyperParameters": {"beta": 0.1, "epochCount": "1"},
        "trainingDatasetUri": "gs://bucket/pref.jsonl",
    },
    "reinforcementTuningSpec": {
        "trainingDatasetUri": "gs://bucket/rl.jsonl",
        "hyperParameters": {"samplesPerPrompt": 4, "thinkingLevel": "LOW"},
        "singleRewardConfig": {
            "rewardName": "exact",
            "stringMatchRewardScorer": {
                "correctAnswerReward": 1,
                "wrongAnswerReward": 0,
                "stringMatchExpression": {"matchOperation": "EXACT_MATCH", "expression": "42"},
            },
        },
    },
    "preTunedModel": {"tunedModelName": "projects/p/locations/l/models/1", "checkpointId": "2"},
}

GEMINI_TUNED_MODEL: dict[str, Any] = {
    "name": "tunedModels/support-bot-abc",
    "displayName": "support bot",
    "description": "a tuned model",
    "baseModel": "models/gemini-1.5-flash-001-tuning",
    "state": "ACTIVE",
    "createTime": "2025-03-01T10:00:00Z",
    "updateTime": "2025-03-01T12:00:00Z",
    "tuningTask": {
        "startTime": "2025-03-01T10:01:00Z",
        "completeTime": "2025-03-01T11:59:00Z",
        "hyperparameters": {"epochCount": 5, "batchSize": 4, "learningRate": 0.001},
    },
    "temperature": 0.9,
}

GEMINI_OPERATION: dict[str, Any] = {
    "name": "tunedModels/support-bot-abc/operations/op1",
    "metadata": {
        "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.CreateTunedModelMetadata",
        "totalSteps": 38,
        "tunedModel": "tunedModels/support-bot-abc",
    },
}


# -- get --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "projects/p/locations/us-central1/tuningJobs/123",
        "tuningJobs/123",
        "locations/us-central1/tuningJobs/123",
    ],
)
async def test_get_vertex_request(vertex: Pair, name: str) -> None:
    config = {"http_options": {"headers": {"x-a": "1"}}}
    theirs = await vertex.their_request(vertex.theirs.get(name=name, config=config))
    vertex.script("tuningJobs", VERTEX_JOB)
    await vertex.ours.get(name=name, config=config)
    assert dict(theirs.headers)["x-a"] == "1"
    assert_same_request(vertex.server, (theirs, vertex.server.requests[-1]))


@pytest.mark.parametrize("name", ["tunedModels/support-bot-abc", "tunedModels/x-1"])
async def test_get_gemini_request(gemini: Pair, name: str) -> None:
    theirs = await gemini.their_request(gemini.theirs.get(name=name))
    gemini.script("tunedModels", GEMINI_TUNED_MODEL)
    await gemini.ours.get(name=name)
    assert_same_request(gemini.server, (theirs, gemini.server.requests[-1]))


@pytest.mark.parametrize(
    "body",
    [VERTEX_JOB, VERTEX_DISTILLATION_JOB, {"name": "tuningJobs/1", "state": "JOB_STATE_QUEUED"}],
    ids=["supervised", "other-specs", "bare"],
)
async def test_get_vertex_response(vertex: Pair, body: dict[str, Any]) -> None:
    vertex.script("tuningJobs", body)
    their_job = await vertex.theirs.get(name="tuningJobs/1")
    vertex.script("tuningJobs", body)
    our_job = await vertex.ours.get(name="tuningJobs/1")
    assert dump(our_job) == dump(their_job)
    assert our_job.has_ended == their_job.has_ended
    assert our_job.has_succeeded == their_job.has_succeeded
    assert our_job.sdk_http_response is not None


@pytest.mark.parametrize("state", ["ACTIVE", "CREATING", "FAILED", "STATE_UNSPECIFIED"])
async def test_get_gemini_response(gemini: Pair, state: str) -> None:
    body = {**GEMINI_TUNED_MODEL, "state": state}
    gemini.script("tunedModels", body)
    their_job = await gemini.theirs.get(name="tunedModels/support-bot-abc")
    gemini.script("tunedModels", body)
    our_job = await gemini.ours.get(name="tunedModels/support-bot-abc")
    assert dump(our_job) == dump(their_job)
    assert our_job.state == their_job.state
    assert our_job.has_ended == their_job.has_ended
    assert our_job.tuned_model is not None
    assert our_job.tuned_model.model == "tunedModels/support-bot-abc"
    # what a tuning job has no field for is kept, under its wire name
    assert our_job.model_extra is not None
    assert our_job.model_extra["displayName"] == "support bot"


# -- tune -------------------------------------------------------------------------------------

VERTEX_TUNES: dict[str, dict[str, Any]] = {
    "minimal": {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"gcs_uri": "gs://bucket/train.jsonl"},
    },
    "supervised": {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"gcs_uri": "gs://bucket/train.jsonl"},
        "config": {
            "validation_dataset": {"gcs_uri": "gs://bucket/validation.jsonl"},
            "tuned_model_display_name": "support bot",
            "description": "tuned for support",
            "epoch_count": 3,
            "learning_rate_multiplier": 1.5,
            "adapter_size": "ADAPTER_SIZE_FOUR",
            "export_last_checkpoint_only": True,
            "tuning_mode": "TUNING_MODE_PEFT_ADAPTER",
            "batch_size": 16,
            "learning_rate": 0.0002,
            "labels": {"team": "support"},
            "output_uri": "gs://bucket/out",
            "custom_base_model": "gs://bucket/base",
            "encryption_spec": {"kms_key_name": "projects/p/locations/l/keyRings/r/cryptoKeys/k"},
        },
    },
    "vertex-dataset": {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"vertex_dataset_resource": "projects/p/locations/l/datasets/1"},
        "config": {
            "validation_dataset": {"vertex_dataset_resource": "projects/p/locations/l/datasets/2"}
        },
    },
    "preference": {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"gcs_uri": "gs://bucket/pref.jsonl"},
        "config": {
            "method": "PREFERENCE_TUNING",
            "validation_dataset": {"gcs_uri": "gs://bucket/pref-val.jsonl"},
            "beta": 0.1,
            "epoch_count": 2,
            "adapter_size": "ADAPTER_SIZE_EIGHT",
            "export_last_checkpoint_only": False,
        },
    },
    "distillation": {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"gcs_uri": "gs://bucket/prompts.jsonl"},
        "config": {
            "method": "DISTILLATION",
            "validation_dataset": {"gcs_uri": "gs://bucket/val.jsonl"},
            "base_teacher_model": "gemini-2.5-pro",
            "tuned_teacher_model_source": "projects/p/locations/l/models/9",
            "sft_loss_weight_multiplier": 0.5,
            "learning_rate": 0.001,
            "batch_size": 8,
            "tuning_mode": "TUNING_MODE_FULL",
        },
    },
    "reinforcement": {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"gcs_uri": "gs://bucket/rl.jsonl"},
        "config": {
            "method": "REINFORCEMENT_TUNING",
            "epoch_count": 1,
            "batch_size": 4,
            "samples_per_prompt": 4,
            "evaluate_interval": 10,
            "checkpoint_interval": 20,
            "max_output_tokens": 1024,
            "thinking_level": "LOW",
            "validation_dataset_uri": "gs://bucket/rl-val.jsonl",
            "reward_config": {
                "reward_name": "exact",
                "string_match_reward_scorer": {
                    "correct_answer_reward": 1.0,
                    "wrong_answer_reward": 0.0,
                    "string_match_expression": {
                        "match_operation": "EXACT_MATCH",
                        "expression": "42",
                    },
                },
            },
        },
    },
    "reinforcement-composite": {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"gcs_uri": "gs://bucket/rl.jsonl"},
        "config": {
            "method": "REINFORCEMENT_TUNING",
            "composite_reward_config": {
                "weighted_reward_configs": [
                    {
                        "weight": 0.7,
                        "reward_config": {
                            "reward_name": "judge",
                            "autorater_scorer": {
                                "autorater_prompt": "Is it right?",
                                "autorater_config": {
                                    "autorater_model": "gemini-2.5-pro",
                                    "sampling_count": 2,
                                    "generation_config": {"temperature": 0.0},
                                },
                                "exact_match_scorer": {"expression": "yes"},
                            },
                        },
                    },
                    {
                        "weight": 0.3,
                        "reward_config": {
                            "code_execution_reward_scorer": {"python_code_snippet": "score=1"},
                            "parse_response_config": {
                                "parse_type": "REGEX_EXTRACT",
                                "regex_extract_expression": "(\\d+)",
                            },
                        },
                    },
                ]
            },
        },
    },
    "evaluation": {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"gcs_uri": "gs://bucket/train.jsonl"},
        "config": {
            "evaluation_config": {
                "metrics": [
                    {"name": "bleu"},
                    {"name": "rouge_1"},
                    {"name": "exact_match"},
                    {
                        "name": "helpfulness",
                        "prompt_template": "Rate {response}",
                        "judge_model_system_instruction": "Be strict.",
                        "return_raw_output": True,
                    },
                ],
                "output_config": {"gcs_destination": {"output_uri_prefix": "gs://bucket/eval"}},
                "autorater_config": {"autorater_model": "gemini-2.5-pro", "flip_enabled": True},
            }
        },
    },
    "pre-tuned": {
        "base_model": "projects/p/locations/us-central1/models/123",
        "training_dataset": {"gcs_uri": "gs://bucket/train.jsonl"},
        "config": gtypes.CreateTuningJobConfig(pre_tuned_model_checkpoint_id="3", epoch_count=1),
    },
}


def _ours(value: Any) -> Any:
    """A google-genai config as our config type (a dict stays a dict)."""
    if isinstance(value, gtypes.CreateTuningJobConfig):
        return types.CreateTuningJobConfig(**value.model_dump(exclude_none=True))
    return value


@pytest.mark.parametrize("case", sorted(VERTEX_TUNES))
async def test_tune_vertex_request(vertex: Pair, case: str) -> None:
    kwargs = VERTEX_TUNES[case]
    theirs = await vertex.their_request(vertex.theirs.tune(**copy.deepcopy(kwargs)))
    vertex.script("tuningJobs", VERTEX_JOB)
    ours_kwargs = {**kwargs, "config": _ours(kwargs.get("config"))}
    job = await vertex.ours.tune(**copy.deepcopy(ours_kwargs))
    assert_same_request(vertex.server, (theirs, vertex.server.requests[-1]))
    assert job.name == VERTEX_JOB["name"]


async def test_tune_vertex_typed_config(vertex: Pair) -> None:
    their_config = gtypes.CreateTuningJobConfig(
        method=gtypes.TuningMethod.PREFERENCE_TUNING,
        epoch_count=2,
        validation_dataset=gtypes.TuningValidationDataset(gcs_uri="gs://b/v.jsonl"),
        adapter_size=gtypes.AdapterSize.ADAPTER_SIZE_TWO,
    )
    theirs = await vertex.their_request(
        vertex.theirs.tune(
            base_model="gemini-2.5-flash",
            training_dataset=gtypes.TuningDataset(gcs_uri="gs://b/t.jsonl"),
            config=their_config,
        )
    )
    vertex.script("tuningJobs", VERTEX_JOB)
    await vertex.ours.tune(
        base_model="gemini-2.5-flash",
        training_dataset=types.TuningDataset(gcs_uri="gs://b/t.jsonl"),
        config=types.CreateTuningJobConfig(
            method=types.TuningMethod.PREFERENCE_TUNING,
            epoch_count=2,
            validation_dataset=types.TuningValidationDataset(gcs_uri="gs://b/v.jsonl"),
            adapter_size=types.AdapterSize.ADAPTER_SIZE_TWO,
        ),
    )
    assert_same_request(vertex.server, (theirs, vertex.server.requests[-1]))
    # google-genai's own config objects are read too
    vertex.script("tuningJobs", VERTEX_JOB)
    await vertex.ours.tune(
        base_model="gemini-2.5-flash",
        training_dataset=gtypes.TuningDataset(gcs_uri="gs://b/t.jsonl"),
        config=their_config,
    )
    assert_same_request(vertex.server, (theirs, vertex.server.requests[-1]))


async def test_tune_vertex_response(vertex: Pair) -> None:
    kwargs = VERTEX_TUNES["supervised"]
    vertex.script("tuningJobs", VERTEX_JOB)
    their_job = await vertex.theirs.tune(**copy.deepcopy(kwargs))
    vertex.script("tuningJobs", VERTEX_JOB)
    our_job = await vertex.ours.tune(**copy.deepcopy(kwargs))
    assert dump(our_job) == dump(their_job)


GEMINI_TUNES: dict[str, dict[str, Any]] = {
    "minimal": {"base_model": "models/gemini-1.5-flash-001-tuning", "training_dataset": {}},
    "hyperparameters": {
        "base_model": "models/gemini-1.5-flash-001-tuning",
        "training_dataset": {},
        "config": {
            "tuned_model_display_name": "support bot",
            "epoch_count": 5,
            "batch_size": 4,
            "learning_rate": 0.001,
        },
    },
}


@pytest.mark.parametrize("case", sorted(GEMINI_TUNES))
async def test_tune_gemini_request_and_response(gemini: Pair, case: str) -> None:
    kwargs = GEMINI_TUNES[case]
    gemini.script("tunedModels", GEMINI_OPERATION)
    their_job = await gemini.theirs.tune(**copy.deepcopy(kwargs))
    theirs = gemini.server.requests[-1]
    gemini.script("tunedModels", GEMINI_OPERATION)
    our_job = await gemini.ours.tune(**copy.deepcopy(kwargs))
    assert_same_request(gemini.server, (theirs, gemini.server.requests[-1]))
    assert dump(our_job) == dump(their_job)
    assert our_job.state == types.JobState.JOB_STATE_QUEUED


async def test_tune_gemini_operation_without_tuned_model(gemini: Pair) -> None:
    body = {"name": "tunedModels/abc/operations/op1", "metadata": {"totalSteps": 3}}
    kwargs: dict[str, Any] = {"base_model": "models/m", "training_dataset": {}}
    gemini.script("tunedModels", body)
    their_job = await gemini.theirs.tune(**kwargs)
    gemini.script("tunedModels", body)
    our_job = await gemini.ours.tune(**kwargs)
    assert dump(our_job) == dump(their_job)
    assert our_job.name == "tunedModels/abc"


async def test_tune_gemini_sends_examples_and_learning_rate_multiplier(gemini: Pair) -> None:
    """google-genai 3.6.1 drops these two; they are sent in the Gemini API's shape."""
    kwargs: dict[str, Any] = {
        "base_model": "models/gemini-1.5-flash-001-tuning",
        "training_dataset": {
            "examples": [
                {"text_input": "1", "output": "2"},
                types.TuningExample(text_input="3", output="4"),
            ]
        },
        "config": {"epoch_count": 2, "learning_rate_multiplier": 1.5},
    }
    gemini.script("tunedModels", GEMINI_OPERATION)
    await gemini.ours.tune(**kwargs)
    body = gemini.server.requests[-1].json()
    assert body == {
        "baseModel": "models/gemini-1.5-flash-001-tuning",
        "tuningTask": {
            "hyperparameters": {"epochCount": 2, "learningRateMultiplier": 1.5},
            "trainingData": {
                "examples": {
                    "examples": [
                        {"textInput": "1", "output": "2"},
                        {"textInput": "3", "output": "4"},
                    ]
                }
            },
        },
    }


# -- cancel -----------------------------------------------------------------------------------


async def test_cancel(both: Pair) -> None:
    name = (
        "projects/p/locations/us-central1/tuningJobs/123"
        if both.ours.vertexai
        else "tunedModels/abc"
    )
    both.script(":cancel", {})
    their_result = await both.theirs.cancel(name=name)
    theirs = both.server.requests[-1]
    both.script(":cancel", {})
    our_result = await both.ours.cancel(name=name)
    assert_same_request(both.server, (theirs, both.server.requests[-1]))
    assert dump(our_result) == dump(their_result)
    assert our_result.sdk_http_response is not None


# -- list -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [None, {"page_size": 2}, {"page_size": 2, "page_token": "t0", "filter": "state=RUNNING"}],
)
async def test_list_vertex_request_and_pages(vertex: Pair, config: Any) -> None:
    page1 = {"tuningJobs": [VERTEX_JOB, VERTEX_DISTILLATION_JOB], "nextPageToken": "t1"}
    page2 = {"tuningJobs": [{"name": "tuningJobs/3", "state": "JOB_STATE_FAILED"}]}
    vertex.script("tuningJobs", page1)
    vertex.script("tuningJobs", page2)
    their_pager = await vertex.theirs.list(config=copy.deepcopy(config))
    their_jobs = [job async for job in their_pager]
    their_requests = vertex.server.requests[-2:]
    vertex.script("tuningJobs", page1)
    vertex.script("tuningJobs", page2)
    our_pager = await vertex.ours.list(config=copy.deepcopy(config))
    our_jobs = [job async for job in our_pager]
    our_requests = vertex.server.requests[-2:]
    for theirs, ours in zip(their_requests, our_requests, strict=True):
        assert_same_request(vertex.server, (theirs, ours))
    assert [dump(j) for j in our_jobs] == [dump(j) for j in their_jobs]
    assert len(our_jobs) == 3


# -- validate_reward --------------------------------------------------------------------------


async def test_validate_reward(vertex: Pair) -> None:
    kwargs: dict[str, Any] = {
        "parent": "projects/p/locations/us-central1",
        "sample_response": {"role": "model", "parts": [{"text": "42"}]},
        "example": {
            "contents": [{"role": "user", "parts": [{"text": "6 * 7?"}]}],
            "references": {"answer": "42", "Unit_Name": "none"},
            "system_instruction": {"parts": [{"text": "Answer with a number."}]},
        },
        "single_reward_config": {
            "reward_name": "exact",
            "string_match_reward_scorer": {
                "correct_answer_reward": 1.0,
                "string_match_expression": {"match_operation": "EXACT_MATCH", "expression": "42"},
            },
        },
    }
    response = {
        "overallReward": 1.0,
        "rewardInfoDetails": {
            "exact": {"reward": 1.0, "userRequestedAuxInfo": "ok"},
            "other": {"errorStatus": {"code": 3, "message": "bad"}},
        },
    }
    vertex.script("validateReinforcementTuningReward", response)
    their_result = await vertex.theirs.validate_reward(**copy.deepcopy(kwargs))
    theirs = vertex.server.requests[-1]
    vertex.script("validateReinforcementTuningReward", response)
    our_result = await vertex.ours.validate_reward(**copy.deepcopy(kwargs))
    ours = vertex.server.requests[-1]
    assert_same_request(vertex.server, (theirs, ours))
    # user keys of `references` are sent as they are
    assert ours.json()["example"]["references"] == {"answer": "42", "Unit_Name": "none"}
    assert dump(our_result) == dump(their_result)


# -- refused before sending -------------------------------------------------------------------

GEMINI_REFUSED: dict[str, tuple[str, dict[str, Any]]] = {
    "list": ("list", {}),
    "validate_reward": (
        "validate_reward",
        {"parent": "projects/p/locations/l", "sample_response": "x", "example": {}},
    ),
    "gcs_uri": ("tune", {"base_model": "m", "training_dataset": {"gcs_uri": "gs://b"}}),
    "vertex_dataset_resource": (
        "tune",
        {"base_model": "m", "training_dataset": {"vertex_dataset_resource": "d"}},
    ),
}
GEMINI_VERTEX_ONLY_FIELDS = {
    "validation_dataset": {"gcs_uri": "gs://b/v"},
    "description": "d",
    "export_last_checkpoint_only": True,
    "pre_tuned_model_checkpoint_id": "1",
    "adapter_size": "ADAPTER_SIZE_ONE",
    "tuning_mode": "TUNING_MODE_FULL",
    "custom_base_model": "gs://b",
    "labels": {"a": "b"},
    "beta": 0.1,
    "base_teacher_model": "m",
    "tuned_teacher_model_source": "m",
    "sft_loss_weight_multiplier": 0.1,
    "output_uri": "gs://b",
    "encryption_spec": {"kms_key_name": "k"},
    "reward_config": {"reward_name": "r"},
    "composite_reward_config": {"weighted_reward_configs": []},
    "samples_per_prompt": 2,
    "evaluate_interval": 2,
    "checkpoint_interval": 2,
    "max_output_tokens": 2,
    "thinking_level": "LOW",
    "validation_dataset_uri": "gs://b",
    "evaluation_config": {"metrics": [{"name": "bleu"}]},
}


@pytest.mark.parametrize("case", sorted(GEMINI_REFUSED))
async def test_gemini_refuses_before_sending(gemini: Pair, case: str) -> None:
    method, kwargs = GEMINI_REFUSED[case]
    with pytest.raises(ValueError):
        await getattr(gemini.theirs, method)(**kwargs)
    with pytest.raises(ValueError, match=f"{case}.*Vertex AI"):
        await getattr(gemini.ours, method)(**kwargs)
    assert gemini.server.requests == []


@pytest.mark.parametrize("field", sorted(GEMINI_VERTEX_ONLY_FIELDS))
async def test_gemini_refuses_vertex_only_config_fields(gemini: Pair, field: str) -> None:
    config = {field: GEMINI_VERTEX_ONLY_FIELDS[field]}
    kwargs: dict[str, Any] = {"base_model": "models/m", "training_dataset": {}}
    with pytest.raises(ValueError):
        await gemini.theirs.tune(**kwargs, config=copy.deepcopy(config))
    with pytest.raises(ValueError, match=f"{field}.*only supported on Vertex AI"):
        await gemini.ours.tune(**kwargs, config=config)
    assert gemini.server.requests == []


async def test_vertex_refuses_examples_before_sending(vertex: Pair) -> None:
    kwargs: dict[str, Any] = {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"examples": [{"text_input": "a", "output": "b"}]},
    }
    with pytest.raises(ValueError):
        await vertex.theirs.tune(**copy.deepcopy(kwargs))
    with pytest.raises(ValueError, match=r"examples.*only supported on the Gemini Developer API"):
        await vertex.ours.tune(**kwargs)
    assert vertex.server.requests == []


@pytest.mark.parametrize(
    "evaluation_config",
    [{"metrics": [{"name": "bleu"}]}, {"output_config": {"gcs_destination": {}}}],
)
async def test_vertex_evaluation_config_needs_metrics_and_output(
    vertex: Pair, evaluation_config: dict[str, Any]
) -> None:
    kwargs: dict[str, Any] = {
        "base_model": "gemini-2.5-flash",
        "training_dataset": {"gcs_uri": "gs://b/t"},
    }
    # google-genai checks a config object (a dict config it sends unchecked)
    their_config = gtypes.CreateTuningJobConfig(evaluation_config=evaluation_config)
    with pytest.raises(ValueError):
        await vertex.theirs.tune(**kwargs, config=their_config)
    for config in ({"evaluation_config": evaluation_config}, _ours(their_config)):
        with pytest.raises(ValueError, match="evaluation_config"):
            await vertex.ours.tune(**kwargs, config=config)
    assert vertex.server.requests == []


@pytest.mark.parametrize(
    ("method", "field", "value"),
    [
        ("PREFERENCE_TUNING", "batch_size", 4),
        ("PREFERENCE_TUNING", "tuning_mode", "TUNING_MODE_FULL"),
        ("REINFORCEMENT_TUNING", "learning_rate", 0.1),
        ("REINFORCEMENT_TUNING", "export_last_checkpoint_only", True),
    ],
)
async def test_vertex_refuses_fields_the_method_has_not(
    vertex: Pair, method: str, field: str, value: Any
) -> None:
    """google-genai leaves these out of the request without a word; we say so."""
    with pytest.raises(ValueError, match=f"{field}.*{method}"):
        await vertex.ours.tune(
            base_model="gemini-2.5-flash",
            training_dataset={"gcs_uri": "gs://b/t"},
            config={"method": method, field: value},
        )
    assert vertex.server.requests == []


async def test_unknown_config_field(both: Pair) -> None:
    with pytest.raises(ValueError, match="unknown CreateTuningJobConfig field 'epoch_cont'"):
        await both.ours.tune(base_model="m", training_dataset={}, config={"epoch_cont": 1})
    if both.ours.vertexai:
        with pytest.raises(ValueError, match="unknown ListTuningJobsConfig field"):
            await both.ours.list(config={"size": 1})
    assert both.server.requests == []


def test_sync_tunings() -> None:
    from genai_async.tunings import Tunings

    with (
        MockServer() as server,
        genai_async.Client(api_key="k", http_options={"base_url": server.url}) as client,
    ):
        tunings = Tunings(client._lease, AsyncTunings(client._aio, "sync"))
        server.inject(Fault(match="tunedModels", status=200, body=GEMINI_TUNED_MODEL))
        job = tunings.get(name="tunedModels/support-bot-abc")
        assert job.state == types.JobState.JOB_STATE_SUCCEEDED
        with pytest.raises(ValueError, match=r"tunings\.list"):
            tunings.list()
