"""``client.tunings``: model tuning jobs (tune, get, cancel; list and validate_reward
on Vertex AI).

On Vertex AI a tuning is a ``tuningJobs/…`` resource; on the Gemini Developer
API it is a tuned model (``tunedModels/…``) that :meth:`AsyncTunings.get`
reports as a :class:`~genai_async.types.TuningJob`. Names are used as given:
a Vertex AI name without the ``projects/…/locations/…`` prefix is taken
relative to the client's project and location.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from ._blocking import SyncSurface
from ._types.tunings import (
    CancelTuningJobResponse,
    ListTuningJobsResponse,
    TuningJob,
    ValidateRewardResponse,
)
from ._unsupported import missing
from ._wire.convert import http_response
from ._wire.spec import Ctx
from ._wire.tunings import ONLY_HTTP_OPTIONS as _HTTP_OPTIONS_ONLY
from ._wire.tunings import (
    call_options,
    list_query,
    parse_list,
    parse_tuning_job,
    tune_request,
    tuning_job_from_operation,
    validate_reward_request,
)
from .pagers import AsyncPager, Pager, config_dict

if TYPE_CHECKING:
    from ._client import ClientCore

__all__ = ("AsyncTunings", "Tunings")

_VERTEX_ONLY = "is only supported on Vertex AI, not on the Gemini Developer API"


def _name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty str (a tuning job or tuned model name)")
    return name


class AsyncTunings:
    """``client.tunings``.

    Usage::

        job = await client.tunings.tune(
            base_model="gemini-2.5-flash",
            training_dataset={"gcs_uri": "gs://bucket/train.jsonl"},
            config={"epoch_count": 2, "tuned_model_display_name": "support bot"},
        )
        job = await client.tunings.get(name=job.name)
        async for j in await client.tunings.list(config={"page_size": 10}):  # Vertex AI
            print(j.name, j.state)
        await client.tunings.cancel(name=job.name)
    """

    def __init__(self, client: ClientCore, role: str) -> None:
        self._client = client
        self._role = role
        api = client._api
        self._vertexai = bool(api.vertexai)
        self._ctx = Ctx(self._vertexai, api.project, api.location)

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (else the Gemini Developer API)."""
        return self._vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("tunings", name)

    def _vertex_only(self, method: str) -> None:
        if not self._vertexai:
            raise ValueError(f"tunings.{method} {_VERTEX_ONLY}")

    async def get(self, *, name: str, config: Any = None) -> TuningJob:
        """A tuning job (Vertex AI) or a tuned model seen as a job (Gemini Developer API)."""
        _, options = call_options(_HTTP_OPTIONS_ONLY["GetTuningJobConfig"], config, self._ctx)
        data, headers = await self._client._call(
            "GET", _name(name), None, options.http_options, self._role
        )
        return parse_tuning_job(data, self._ctx, http_response(headers))

    async def tune(
        self, *, base_model: str, training_dataset: Any, config: Any = None
    ) -> TuningJob:
        """Start tuning ``base_model`` on ``training_dataset``.

        Vertex AI: ``training_dataset`` is ``{"gcs_uri": "gs://…jsonl"}`` (or a
        ``vertex_dataset_resource``); a ``base_model`` that is a tuned model
        (``projects/…/models/…``) is tuned further, from
        ``config.pre_tuned_model_checkpoint_id`` when set. Gemini Developer API:
        ``training_dataset`` is ``{"examples": [{"text_input": …, "output": …}]}``;
        the job returned holds the tuned model's name, queued.
        """
        path, body, options = tune_request(base_model, training_dataset, config, self._ctx)
        data, headers = await self._client._call(
            "POST", path, body, options.http_options, self._role
        )
        if self._vertexai:
            return parse_tuning_job(data, self._ctx, http_response(headers))
        return tuning_job_from_operation(data)

    async def cancel(self, *, name: str, config: Any = None) -> CancelTuningJobResponse:
        """Ask the service to cancel a tuning job."""
        _, options = call_options(_HTTP_OPTIONS_ONLY["CancelTuningJobConfig"], config, self._ctx)
        _, headers = await self._client._call(
            "POST", f"{_name(name)}:cancel", None, options.http_options, self._role
        )
        return CancelTuningJobResponse(sdk_http_response=http_response(headers))

    async def list(self, *, config: Any = None) -> AsyncPager[TuningJob]:
        """The tuning jobs, page by page (``page_size``, ``page_token``, ``filter``;
        Vertex AI)."""
        self._vertex_only("list")
        query, options = list_query(config, self._ctx)
        http_options = options.http_options
        base = [(k, v) for k, v in query if k != "pageToken"]
        first_token = next((v for k, v in query if k == "pageToken"), None)
        client, role, ctx = self._client, self._role, self._ctx

        async def fetch(token: str | None) -> ListTuningJobsResponse:
            params = [q for q in base if q[0] == "pageSize"]
            if token:
                params.append(("pageToken", token))
            params.extend(q for q in base if q[0] != "pageSize")
            path = "tuningJobs"
            if params:
                path += "?" + urlencode(params, quote_via=quote)
            data, headers = await client._call("GET", path, None, http_options, role)
            return parse_list(data, ctx, http_response(headers))

        first = await fetch(first_token)
        return AsyncPager("tuning_jobs", fetch, first, config_dict(config))

    async def validate_reward(
        self,
        *,
        parent: str,
        sample_response: Any,
        example: Any,
        single_reward_config: Any = None,
        composite_reward_config: Any = None,
        config: Any = None,
    ) -> ValidateRewardResponse:
        """Score ``sample_response`` to ``example`` with a reinforcement tuning reward,
        before tuning with it (Vertex AI). ``parent`` is ``projects/…/locations/…``."""
        self._vertex_only("validate_reward")
        _, options = call_options(_HTTP_OPTIONS_ONLY["ValidateRewardConfig"], config, self._ctx)
        body = validate_reward_request(
            sample_response, example, single_reward_config, composite_reward_config, self._ctx
        )
        path = f"{_name(parent)}/tuningJobs:validateReinforcementTuningReward"
        data, headers = await self._client._call(
            "POST", path, body, options.http_options, self._role
        )
        result = ValidateRewardResponse.model_validate(data if isinstance(data, dict) else {})
        result.sdk_http_response = http_response(headers)
        return result


class Tunings(SyncSurface):
    """``Client.tunings``: the sync twin of :class:`AsyncTunings`."""

    __slots__ = ()

    _async: AsyncTunings

    @property
    def vertexai(self) -> bool:
        """Whether the client talks to Vertex AI (else the Gemini Developer API)."""
        return self._async.vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("tunings", name)

    def get(self, *, name: str, config: Any = None) -> TuningJob:
        """A tuning job."""
        return self._run(self._async.get, name=name, config=config)

    def tune(self, *, base_model: str, training_dataset: Any, config: Any = None) -> TuningJob:
        """Start tuning ``base_model`` on ``training_dataset``."""
        return self._run(
            self._async.tune,
            base_model=base_model,
            training_dataset=training_dataset,
            config=config,
        )

    def cancel(self, *, name: str, config: Any = None) -> CancelTuningJobResponse:
        """Ask the service to cancel a tuning job."""
        return self._run(self._async.cancel, name=name, config=config)

    def list(self, *, config: Any = None) -> Pager[TuningJob]:
        """The tuning jobs, page by page (Vertex AI)."""
        return Pager(self._lease, self._run(self._async.list, config=config))

    def validate_reward(
        self,
        *,
        parent: str,
        sample_response: Any,
        example: Any,
        single_reward_config: Any = None,
        composite_reward_config: Any = None,
        config: Any = None,
    ) -> ValidateRewardResponse:
        """Score a sample response with a reinforcement tuning reward (Vertex AI)."""
        return self._run(
            self._async.validate_reward,
            parent=parent,
            sample_response=sample_response,
            example=example,
            single_reward_config=single_reward_config,
            composite_reward_config=composite_reward_config,
            config=config,
        )
