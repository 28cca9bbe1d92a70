"""``client.models``: google-genai's ``client.aio.models`` calls on genai_async.

Every public method of google-genai 3.6.1's ``Models`` takes the same keyword
arguments and returns the same-named types from :mod:`genai_async.types`. One
difference: ``await generate_content_stream(...)`` sends the request (HTTP
errors raise there) and returns a :class:`GenerateContentStream`. Python
functions in ``config.tools`` are called for the model (automatic function
calling; see :mod:`._afc`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import orjson

from ._afc import Plan, call_functions, check_stream_config, plan_for, to_contents
from ._blocking import BlockingIterator, SyncSurface
from ._generate_stream import CallingStream, GenerateContentStream, first_content
from ._types.content import Content
from ._types.images import (
    EditImageResponse,
    GenerateImagesResponse,
    RecontextImageResponse,
    SegmentImageResponse,
    UpscaleImageResponse,
)
from ._types.model_info import (
    ComputeTokensResponse,
    CountTokensResponse,
    DeleteModelResponse,
    EmbedContentResponse,
    ListModelsResponse,
    Model,
)
from ._types.response import GenerateContentResponse
from ._types.videos import GenerateVideosOperation
from ._unsupported import missing
from ._urls import normalize_model
from ._wire import images, videos
from ._wire.configs import DELETE_MODEL_CONFIG
from ._wire.convert import (
    CallOptions,
    compute_tokens_request,
    count_tokens_request,
    embed_request,
    generate_request,
    http_response,
    list_query,
    method_options,
    parse_compute_tokens,
    parse_count_tokens,
    parse_embed,
    parse_generate,
    parse_list,
    parse_model,
    update_model_request,
)
from ._wire.spec import Ctx
from .pagers import AsyncPager, Pager, config_dict

if TYPE_CHECKING:
    from ._client import ClientCore

__all__ = (
    "AsyncModels",
    "AsyncPager",
    "GenerateContentStream",
    "Models",
    "Pager",
)  # pagers re-exported

logger = logging.getLogger("genai_async")


class AsyncModels:
    """The model methods of a client: ``client.models`` (google-genai's ``client.aio.models``).

    Usage::

        async with genai_async.AsyncClient(api_key="...") as client:
            response = await client.models.generate_content(
                model="gemini-2.5-flash",
                contents="Name three prime numbers.",
                config=types.GenerateContentConfig(temperature=0.2),
            )
            print(response.text)
    """

    def __init__(self, client: ClientCore, role: str) -> None:
        self._client = client
        self._role = role
        api = client._api
        self._vertexai = bool(api.vertexai)
        self._ctx = Ctx(self._vertexai, api.project, api.location)
        self._paths: dict[tuple[str, str], str] = {}

    @property
    def vertexai(self) -> bool:
        """Whether this client talks to Vertex AI (else the Gemini Developer API)."""
        return self._vertexai

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: google-genai methods we lack say so.
        raise missing("models", name)

    def _model(self, model: str) -> str:
        return normalize_model(model, vertexai=self._vertexai)

    def _path(self, model: str, method: str) -> str:
        """``<normalised model>:<method>``, remembered for the models a client uses."""
        if type(model) is not str:
            return f"{self._model(model)}:{method}"  # raises the model's TypeError
        key = (model, method)
        path = self._paths.get(key)
        if path is None:
            path = f"{self._model(model)}:{method}"
            if len(self._paths) < 256:
                self._paths[key] = path
        return path

    async def generate_content(
        self, *, model: str, contents: Any, config: Any = None
    ) -> GenerateContentResponse:
        """Generate a response (``POST …:generateContent``).

        Python functions in ``config.tools`` are called for the model (automatic
        function calling, up to ``maximum_remote_calls`` requests); the calls are
        in ``response.automatic_function_calling_history``.
        """
        path = self._path(model, "generateContent")
        body, options = generate_request(contents, config, self._ctx)
        plan = plan_for(config, self._vertexai)
        response, data = await self._generate(path, body, options)
        if plan is None or options.raw_http:
            return response
        if plan.functions:
            return await self._call_loop(path, body, options, plan, response, data)
        if plan.keep_history:
            response.automatic_function_calling_history = []
        return response

    async def _generate(
        self, path: str, body: dict[str, Any], options: CallOptions
    ) -> tuple[GenerateContentResponse, Any]:
        data, headers = await self._client._call(
            "POST", path, body, options.http_options, self._role
        )
        http = http_response(headers)
        if options.raw_http:
            http.body = orjson.dumps(data).decode()
            return GenerateContentResponse(sdk_http_response=http), data
        return parse_generate(data, http, options.schema), data

    async def _call_loop(
        self,
        path: str,
        body: dict[str, Any],
        options: CallOptions,
        plan: Plan,
        response: GenerateContentResponse,
        data: Any,
        on_turn: Callable[[GenerateContentResponse, Content, Content], None] | None = None,
    ) -> GenerateContentResponse:
        """The rest of automatic function calling once the first response is in.
        ``on_turn(response, its content, the function answers)`` sees each exchange
        before the answers are sent (a chat records it as a turn)."""
        remaining = plan.max_calls
        history: list[Content] = []
        contents: list[Any] = body["contents"]
        while True:
            content = first_content(response)
            if content is None or not content.parts:
                break
            remaining -= 1
            if remaining <= 0:
                logger.info("automatic function calling: reached maximum_remote_calls")
                break  # no request left to send the results with
            call_wire = data["candidates"][0]["content"]
            answers, typed = await call_functions(call_wire.get("parts") or (), plan)
            if not answers:
                break
            if not history:
                history.extend(to_contents(contents))
            reply = {"role": "user", "parts": answers}
            contents = [*contents, call_wire, reply]
            answered = Content(role="user", parts=typed)
            history.append(content)
            history.append(answered)
            if on_turn is not None:
                on_turn(response, content, answered)
            response, data = await self._generate(path, {**body, "contents": contents}, options)
        if plan.keep_history:
            response.automatic_function_calling_history = history
        return response

    async def generate_content_stream(
        self, *, model: str, contents: Any, config: Any = None
    ) -> GenerateContentStream:
        """Send a streaming request (``…:streamGenerateContent?alt=sse``); iterate the
        result for the chunks. Python functions in ``config.tools`` are called as
        their calls arrive, and the next request streams on in the same iterator."""
        path = self._path(model, "streamGenerateContent?alt=sse")
        body, options = generate_request(contents, config, self._ctx)
        if options.raw_http:
            raise ValueError("should_return_http_response is not supported for streams")
        plan = plan_for(config, self._vertexai)
        if plan is not None and plan.functions:
            check_stream_config(config)
        first = await self._open(path, body, options)
        if plan is None or not plan.functions:
            return first
        return CallingStream(self, path, body, options, plan, first)

    async def _open(
        self, path: str, body: dict[str, Any], options: CallOptions
    ) -> GenerateContentStream:
        events = await self._client._open_stream(
            "POST", path, body, options.http_options, self._role
        )
        return GenerateContentStream(events, options.schema)

    async def count_tokens(
        self, *, model: str, contents: Any, config: Any = None
    ) -> CountTokensResponse:
        """Count the tokens of ``contents`` (``…:countTokens``)."""
        path = self._path(model, "countTokens")
        body, options = count_tokens_request(contents, config, self._ctx)
        data, headers = await self._client._call(
            "POST", path, body, options.http_options, self._role
        )
        return parse_count_tokens(data, http_response(headers))

    async def _predict(self, model: str, built: tuple[str, dict[str, Any], CallOptions]) -> Any:
        method, body, options = built
        data, headers = await self._client._call(
            "POST", self._path(model, method), body, options.http_options, self._role
        )
        return data, http_response(headers)

    async def generate_images(
        self, *, model: str, prompt: str, config: Any = None
    ) -> GenerateImagesResponse:
        """Generate images from a prompt (Imagen, ``…:predict``; Vertex AI only in
        google-genai 3.6.1)."""
        built = images.generate_images_request(self._model(model), prompt, config, self._ctx)
        return images.parse_generate_images(*await self._predict(model, built))

    async def edit_image(
        self, *, model: str, prompt: str, reference_images: Any, config: Any = None
    ) -> EditImageResponse:
        """Edit an image with reference images (Imagen, Vertex AI)."""
        built = images.edit_image_request(
            self._model(model), prompt, reference_images, config, self._ctx
        )
        return images.parse_edit_image(*await self._predict(model, built))

    async def upscale_image(
        self, *, model: str, image: Any, upscale_factor: str, config: Any = None
    ) -> UpscaleImageResponse:
        """Upscale an image (``"x2"``, ``"x4"``; Imagen, Vertex AI)."""
        built = images.upscale_image_request(
            self._model(model), image, upscale_factor, config, self._ctx
        )
        return images.parse_upscale_image(*await self._predict(model, built))

    async def recontext_image(
        self, *, model: str, source: Any, config: Any = None
    ) -> RecontextImageResponse:
        """Recontextualise a product image or try on clothes (Vertex AI)."""
        built = images.recontext_image_request(self._model(model), source, config, self._ctx)
        return images.parse_recontext_image(*await self._predict(model, built))

    async def segment_image(
        self, *, model: str, source: Any, config: Any = None
    ) -> SegmentImageResponse:
        """Segment an image into masks (Vertex AI)."""
        built = images.segment_image_request(self._model(model), source, config, self._ctx)
        return images.parse_segment_image(*await self._predict(model, built))

    async def generate_videos(
        self,
        *,
        model: str,
        prompt: str | None = None,
        image: Any = None,
        video: Any = None,
        source: Any = None,
        config: Any = None,
    ) -> GenerateVideosOperation:
        """Start generating videos (Veo, ``…:predictLongRunning``, Vertex AI in
        google-genai 3.6.1); poll the operation with ``client.operations.get``."""
        method, body, options = videos.generate_videos_request(
            self._model(model), prompt, image, video, source, config, self._ctx
        )
        data, _ = await self._client._call(
            "POST", self._path(model, method), body, options.http_options, self._role
        )
        return GenerateVideosOperation.from_api_response(data, is_vertex_ai=self._vertexai)

    async def compute_tokens(
        self, *, model: str, contents: Any, config: Any = None
    ) -> ComputeTokensResponse:
        """The tokens of ``contents`` (``…:computeTokens``, Vertex AI only)."""
        if not self._vertexai:
            raise ValueError(
                "models.compute_tokens is only supported on Vertex AI, not on the Gemini "
                "Developer API (count_tokens works on both)"
            )
        path = self._path(model, "computeTokens")
        body, options = compute_tokens_request(contents, config, self._ctx)
        data, headers = await self._client._call(
            "POST", path, body, options.http_options, self._role
        )
        return parse_compute_tokens(data, http_response(headers))

    async def update(self, *, model: str, config: Any = None) -> Model:
        """Change a tuned model's ``display_name``, ``description`` or
        ``default_checkpoint_id`` (``PATCH``); returns the updated model."""
        body, options = update_model_request(config, self._ctx)
        data, _ = await self._client._call(
            "PATCH", self._model(model), body, options.http_options, self._role
        )
        return parse_model(data)

    async def delete(self, *, model: str, config: Any = None) -> DeleteModelResponse:
        """Delete a tuned model."""
        options = method_options(config, DELETE_MODEL_CONFIG)
        _, headers = await self._client._call(
            "DELETE", self._model(model), None, options.http_options, self._role
        )
        return DeleteModelResponse(sdk_http_response=http_response(headers))

    async def embed_content(
        self, *, model: str, contents: Any, config: Any = None
    ) -> EmbedContentResponse:
        """Embed one or several contents. Gemini API: ``:batchEmbedContents``; Vertex
        AI: ``:embedContent`` (Gemini embedding models, one content) or ``:predict``."""
        model_path = self._model(model)
        method, body, options = embed_request(model_path, contents, config, self._ctx)
        data, headers = await self._client._call(
            "POST", f"{model_path}:{method}", body, options.http_options, self._role
        )
        return parse_embed(data, http_response(headers))

    async def get(self, *, model: str, config: Any = None) -> Model:
        """Metadata of one model (base or tuned)."""
        options = method_options(config)
        data, _ = await self._client._call(
            "GET", self._model(model), None, options.http_options, self._role
        )
        return parse_model(data)

    async def list(self, *, config: Any = None) -> AsyncPager[Model]:
        """List base models (default) or tuned models (``query_base=False``), lazily
        page by page."""
        path, params, options = list_query(config, self._ctx)
        base_params = [(k, v) for k, v in params if k != "pageToken"]
        http_options = options.http_options
        client, role = self._client, self._role

        async def fetch(token: str | None) -> ListModelsResponse:
            query = base_params + ([("pageToken", token)] if token else [])
            url = f"{path}?{urlencode(query, quote_via=quote, safe='')}" if query else path
            data, headers = await client._call("GET", url, None, http_options, role)
            return parse_list(data, http_response(headers))

        first_token = next((v for k, v in params if k == "pageToken"), None)
        first = await fetch(first_token)
        return AsyncPager("models", fetch, first, config_dict(config))


class Models(SyncSurface):
    """``client.models`` of the sync ``Client``: each method blocks on the shared loop.

    The same methods, parameters and return types as :class:`AsyncModels`;
    streams are plain iterators (close them, or use ``with``, to stop early).
    """

    __slots__ = ()

    _async: AsyncModels

    @property
    def vertexai(self) -> bool:
        """Whether this client talks to Vertex AI (else the Gemini Developer API)."""
        return self._async.vertexai

    def __getattr__(self, name: str) -> Any:
        raise missing("models", name)

    def generate_content(
        self, *, model: str, contents: Any, config: Any = None
    ) -> GenerateContentResponse:
        """Generate a response (``POST …:generateContent``)."""
        return self._run(
            self._async.generate_content, model=model, contents=contents, config=config
        )

    def generate_content_stream(
        self, *, model: str, contents: Any, config: Any = None
    ) -> BlockingIterator[GenerateContentResponse]:
        """Send a streaming request; iterate the result for the chunks."""
        stream = self._run(
            self._async.generate_content_stream, model=model, contents=contents, config=config
        )
        return self._iterate(stream)

    def count_tokens(self, *, model: str, contents: Any, config: Any = None) -> CountTokensResponse:
        """Count the tokens of ``contents`` (``…:countTokens``)."""
        return self._run(self._async.count_tokens, model=model, contents=contents, config=config)

    def generate_images(
        self, *, model: str, prompt: str, config: Any = None
    ) -> GenerateImagesResponse:
        """Generate images from a prompt (Imagen)."""
        return self._run(self._async.generate_images, model=model, prompt=prompt, config=config)

    def edit_image(
        self, *, model: str, prompt: str, reference_images: Any, config: Any = None
    ) -> EditImageResponse:
        """Edit an image with reference images (Imagen)."""
        return self._run(
            self._async.edit_image,
            model=model,
            prompt=prompt,
            reference_images=reference_images,
            config=config,
        )

    def upscale_image(
        self, *, model: str, image: Any, upscale_factor: str, config: Any = None
    ) -> UpscaleImageResponse:
        """Upscale an image (Imagen)."""
        return self._run(
            self._async.upscale_image,
            model=model,
            image=image,
            upscale_factor=upscale_factor,
            config=config,
        )

    def recontext_image(
        self, *, model: str, source: Any, config: Any = None
    ) -> RecontextImageResponse:
        """Recontextualise a product image or try on clothes."""
        return self._run(self._async.recontext_image, model=model, source=source, config=config)

    def segment_image(self, *, model: str, source: Any, config: Any = None) -> SegmentImageResponse:
        """Segment an image into masks."""
        return self._run(self._async.segment_image, model=model, source=source, config=config)

    def generate_videos(
        self,
        *,
        model: str,
        prompt: str | None = None,
        image: Any = None,
        video: Any = None,
        source: Any = None,
        config: Any = None,
    ) -> GenerateVideosOperation:
        """Start generating videos (Veo); poll with ``client.operations.get``."""
        return self._run(
            self._async.generate_videos,
            model=model,
            prompt=prompt,
            image=image,
            video=video,
            source=source,
            config=config,
        )

    def compute_tokens(
        self, *, model: str, contents: Any, config: Any = None
    ) -> ComputeTokensResponse:
        """The tokens of ``contents`` (Vertex AI only)."""
        return self._run(self._async.compute_tokens, model=model, contents=contents, config=config)

    def update(self, *, model: str, config: Any = None) -> Model:
        """Change a tuned model's display name, description or default checkpoint."""
        return self._run(self._async.update, model=model, config=config)

    def delete(self, *, model: str, config: Any = None) -> DeleteModelResponse:
        """Delete a tuned model."""
        return self._run(self._async.delete, model=model, config=config)

    def embed_content(
        self, *, model: str, contents: Any, config: Any = None
    ) -> EmbedContentResponse:
        """Embed one or several contents."""
        return self._run(self._async.embed_content, model=model, contents=contents, config=config)

    def get(self, *, model: str, config: Any = None) -> Model:
        """Metadata of one model (base or tuned)."""
        return self._run(self._async.get, model=model, config=config)

    def list(self, *, config: Any = None) -> Pager[Model]:
        """List base models (default) or tuned models (``query_base=False``), page by page."""
        return Pager(self._lease, self._run(self._async.list, config=config))
