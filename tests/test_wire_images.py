"""The Imagen request builders and response parsers against google-genai.

Each call of a corpus goes through google-genai to the embedded server; the
recorded request's method suffix and body must equal what our builder makes
(bodies compared with keys camelCased and base64 decoded, as in
test_oracle). The same response JSON, answered to google-genai by the server
and given to our parser, must give the same typed result.
"""

from __future__ import annotations

import base64
import pickle
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from google import genai as google_genai
from google.genai import types as gtypes

from genai_async import types
from genai_async._types.response import HttpResponse
from genai_async._wire import images as wire
from genai_async._wire.spec import Ctx, camel
from genai_async.testing import Fault, MockServer
from test_oracle import Creds, normalise

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VERTEX = Ctx(True, "p", "us-central1")
GEMINI = Ctx(False)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(255, -1, -1))
MODEL_PATH = "projects/p/locations/us-central1/publishers/google/models/imagen"


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture(scope="module")
def vertex(server: MockServer) -> Iterator[Any]:
    client = google_genai.Client(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=Creds(),  # type: ignore[arg-type]
        http_options={"base_url": server.url},
    )
    yield client.models
    client.close()


@pytest.fixture(scope="module")
def gemini(server: MockServer) -> Iterator[Any]:
    client = google_genai.Client(
        api_key="k", http_options={"base_url": server.url, "api_version": "v1beta"}
    )
    yield client.models
    client.close()


def _decode_bytes(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: base64.b64decode(v) if k == "bytesBase64Encoded" else _decode_bytes(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_decode_bytes(v) for v in value]
    return value


def norm(body: Any) -> Any:
    return _decode_bytes(normalise(body))


def their_request(server: MockServer, call: Callable[[], Any]) -> tuple[str, Any]:
    """google-genai's request for ``call``: the method suffix and the normalised body."""
    before = len(server.requests)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call()
        except Exception as exc:  # the server's predict answers embeddings
            failure: Exception | None = exc
        else:
            failure = None
    assert len(server.requests) == before + 1, f"google-genai sent no request: {failure!r}"
    request = server.requests[-1]
    assert request.method == "POST"
    assert request.path.startswith("/v1beta1/projects/p/locations/us-central1/")
    return request.path.rsplit(":", 1)[1], norm(request.json())


def their_response(server: MockServer, call: Callable[[], Any], body: Any) -> Any:
    server.inject(Fault(match=":predict", status=200, body=body))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


def camel_keys(config: Any) -> Any:
    if not isinstance(config, dict):
        return config
    return {camel(k): v for k, v in config.items()}


# Each case builds its arguments from a types module: google-genai's for google-genai;
# ours, google-genai's, plain dicts and camelCase dicts for our builder.
Case = Callable[[ModuleType], dict[str, Any]]
FORMS = ("ours", "foreign")


def _module(form: str) -> ModuleType:
    return types if form == "ours" else gtypes


def _model(t: ModuleType, name: str, **fields: Any) -> Any:
    return getattr(t, name)(**fields)


# -- generate_images --------------------------------------------------------------------------

FULL_GENERATE = {
    "output_gcs_uri": "gs://bucket/out/",
    "negative_prompt": "blurry",
    "number_of_images": 3,
    "aspect_ratio": "16:9",
    "guidance_scale": 7.5,
    "seed": 42,
    "safety_filter_level": "BLOCK_ONLY_HIGH",
    "person_generation": "ALLOW_ADULT",
    "include_safety_attributes": True,
    "include_rai_reason": True,
    "language": "ja",
    "output_mime_type": "image/jpeg",
    "output_compression_quality": 80,
    "add_watermark": False,
    "labels": {"team": "imaging", "env": "test"},
    "image_size": "2K",
    "enhance_prompt": True,
}

GENERATE_CASES: dict[str, Case] = {
    "no-config": lambda t: {"prompt": "a cat", "config": None},
    "empty-config": lambda t: {"prompt": "a cat", "config": {}},
    "full-dict": lambda t: {"prompt": "a cat on a mat", "config": dict(FULL_GENERATE)},
    "full-model": lambda t: {
        "prompt": "a cat",
        "config": _model(t, "GenerateImagesConfig", **FULL_GENERATE),
    },
    "enum-members": lambda t: {
        "prompt": "a dog",
        "config": t.GenerateImagesConfig(
            safety_filter_level=t.SafetyFilterLevel.BLOCK_LOW_AND_ABOVE,
            person_generation=t.PersonGeneration.DONT_ALLOW,
            language=t.ImagePromptLanguage.auto,
        ),
    },
    "enum-lower-case": lambda t: {
        "prompt": "a dog",
        "config": {
            "safety_filter_level": "block_none",
            "person_generation": "allow_all",
            "language": "KO",
        },
    },
    "each-enum-value": lambda t: {
        "prompt": "x",
        "config": {"safety_filter_level": "BLOCK_MEDIUM_AND_ABOVE", "language": "es"},
    },
    "output-options-only-quality": lambda t: {
        "prompt": "x",
        "config": {"output_compression_quality": 10, "number_of_images": 1},
    },
    "http-options-only": lambda t: {"prompt": "x", "config": {"http_options": {"timeout": 5000}}},
    "unicode-prompt": lambda t: {"prompt": "猫が マットの上に 🐈", "config": {"seed": 0}},
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", GENERATE_CASES)
def test_generate_images_request(server: MockServer, vertex: Any, case: str, form: str) -> None:
    build = GENERATE_CASES[case]
    theirs = build(gtypes)
    suffix, body = their_request(
        server, lambda: vertex.generate_images(model="imagen-4.0-generate-001", **theirs)
    )
    args = build(_module(form))
    our_suffix, our_body, options = wire.generate_images_request(
        MODEL_PATH, args["prompt"], args["config"], VERTEX
    )
    assert (our_suffix, norm(our_body)) == (suffix, body)
    if case == "http-options-only":
        assert options.http_options == {"timeout": 5000}


@pytest.mark.parametrize("case", ["full-dict", "enum-lower-case", "http-options-only"])
def test_generate_images_camel_case_dict(server: MockServer, vertex: Any, case: str) -> None:
    args = GENERATE_CASES[case](gtypes)
    suffix, body = their_request(
        server, lambda: vertex.generate_images(model="imagen-4.0-generate-001", **args)
    )
    ours = wire.generate_images_request(
        MODEL_PATH, args["prompt"], camel_keys(args["config"]), VERTEX
    )
    assert (ours[0], norm(ours[1])) == (suffix, body)


GENERATE_RESPONSES: dict[str, dict[str, Any]] = {
    "empty": {},
    "no-predictions": {"predictions": []},
    "images": {
        "predictions": [
            {"bytesBase64Encoded": base64.b64encode(PNG).decode(), "mimeType": "image/png"},
            {"bytesBase64Encoded": base64.b64encode(JPEG).decode(), "mimeType": "image/jpeg"},
        ]
    },
    "gcs-output": {
        "predictions": [{"gcsUri": "gs://bucket/out/sample_0.png", "mimeType": "image/png"}]
    },
    "safety-and-positive-prompt": {
        "predictions": [
            {
                "bytesBase64Encoded": base64.b64encode(PNG).decode(),
                "mimeType": "image/png",
                "prompt": "an enhanced prompt",
                "safetyAttributes": {"categories": ["Violence"], "scores": [0.1]},
                "contentType": "image/png",
            },
            {"raiFilteredReason": "filtered: people"},
            {
                "safetyAttributes": {"categories": ["Porn", "Violence"], "scores": [0.2, 0.3]},
                "contentType": "Positive Prompt",
            },
        ]
    },
    "only-positive-prompt": {
        "predictions": [
            {"safetyAttributes": {"categories": [], "scores": []}, "contentType": "Positive Prompt"}
        ]
    },
    "top-level-positive-without-predictions": {
        "positivePromptSafetyAttributes": {
            "safetyAttributes": {"categories": ["Hate"], "scores": [0.5]},
            "contentType": "Positive Prompt",
        }
    },
}


def _dump(response: Any) -> Any:
    return response.model_dump(exclude_none=True, exclude={"sdk_http_response"})


@pytest.mark.parametrize("case", GENERATE_RESPONSES)
def test_parse_generate_images(server: MockServer, vertex: Any, case: str) -> None:
    data = GENERATE_RESPONSES[case]
    theirs = their_response(
        server,
        lambda: vertex.generate_images(model="imagen-4.0-generate-001", prompt="a cat"),
        data,
    )
    ours = wire.parse_generate_images(data, None)
    assert _dump(ours) == _dump(theirs)
    assert isinstance(ours, types.GenerateImagesResponse)
    assert ours.images == [g.image for g in ours.generated_images or ()]


def test_parse_generate_images_keeps_what_google_genai_drops() -> None:
    """The HTTP response and a top-level positive-prompt entry stay beside the images;
    unknown fields are kept where they were."""
    data = {
        "predictions": [{"bytesBase64Encoded": "YWJj", "mimeType": "image/png", "newField": 1}],
        "positivePromptSafetyAttributes": {
            "safetyAttributes": {"categories": ["Hate"], "scores": [0.5], "extra": "x"},
            "contentType": "Positive Prompt",
        },
        "metadata": {"model": "m"},
    }
    http = HttpResponse(headers={"x-a": "1"})
    ours = wire.parse_generate_images(data, http)
    assert ours.sdk_http_response is http
    assert ours.positive_prompt_safety_attributes is not None
    assert ours.positive_prompt_safety_attributes.categories == ["Hate"]
    assert ours.positive_prompt_safety_attributes.model_extra == {"extra": "x"}
    assert ours.generated_images is not None
    image = ours.generated_images[0]
    assert image.image == types.Image(image_bytes=b"abc", mime_type="image/png")
    assert image.model_extra == {"newField": 1}
    assert ours.model_extra == {"metadata": {"model": "m"}}


# -- edit_image -------------------------------------------------------------------------------


def _png(t: ModuleType) -> Any:
    return t.Image(image_bytes=PNG, mime_type="image/png")


FULL_EDIT = {
    "output_gcs_uri": "gs://bucket/edits/",
    "negative_prompt": "text",
    "number_of_images": 2,
    "aspect_ratio": "1:1",
    "guidance_scale": 12.0,
    "seed": 7,
    "safety_filter_level": "BLOCK_MEDIUM_AND_ABOVE",
    "person_generation": "ALLOW_ALL",
    "include_safety_attributes": True,
    "include_rai_reason": False,
    "language": "en",
    "output_mime_type": "image/png",
    "output_compression_quality": 95,
    "add_watermark": True,
    "labels": {"k": "v"},
    "edit_mode": "EDIT_MODE_INPAINT_INSERTION",
    "base_steps": 35,
}

EDIT_CASES: dict[str, Case] = {
    "raw-and-generated-mask": lambda t: {
        "prompt": "a dog instead of the cat",
        "reference_images": [
            t.RawReferenceImage(reference_id=1, reference_image=_png(t)),
            t.MaskReferenceImage(
                reference_id=2,
                config=t.MaskReferenceConfig(
                    mask_mode=t.MaskReferenceMode.MASK_MODE_FOREGROUND, mask_dilation=0.06
                ),
            ),
        ],
        "config": t.EditImageConfig(
            edit_mode=t.EditMode.EDIT_MODE_INPAINT_INSERTION,
            number_of_images=1,
            include_rai_reason=True,
        ),
    },
    "user-mask-image": lambda t: {
        "prompt": "remove it",
        "reference_images": [
            t.RawReferenceImage(reference_id=1, reference_image=t.Image(gcs_uri="gs://b/raw.png")),
            t.MaskReferenceImage(
                reference_id=2,
                reference_image=t.Image(image_bytes=JPEG, mime_type="image/jpeg"),
                config={"mask_mode": "MASK_MODE_USER_PROVIDED", "mask_dilation": 0},
            ),
        ],
        "config": {"edit_mode": "EDIT_MODE_INPAINT_REMOVAL"},
    },
    "semantic-mask": lambda t: {
        "prompt": "recolour the cars",
        "reference_images": [
            t.RawReferenceImage(reference_id=0, reference_image=_png(t)),
            t.MaskReferenceImage(
                reference_id=1,
                config=t.MaskReferenceConfig(
                    mask_mode="MASK_MODE_SEMANTIC", segmentation_classes=[175, 176]
                ),
            ),
        ],
        "config": None,
    },
    "background-outpaint": lambda t: {
        "prompt": "a beach",
        "reference_images": [
            t.RawReferenceImage(reference_id=1, reference_image=_png(t)),
            t.MaskReferenceImage(
                reference_id=2, config=t.MaskReferenceConfig(mask_mode="mask_mode_background")
            ),
        ],
        "config": {"edit_mode": "EDIT_MODE_OUTPAINT", "base_steps": 10},
    },
    "control-canny-computed": lambda t: {
        "prompt": "a house",
        "reference_images": [
            t.ControlReferenceImage(
                reference_id=1,
                reference_image=_png(t),
                config=t.ControlReferenceConfig(
                    control_type=t.ControlReferenceType.CONTROL_TYPE_CANNY,
                    enable_control_image_computation=True,
                ),
            )
        ],
        "config": {"edit_mode": "EDIT_MODE_CONTROLLED_EDITING"},
    },
    "control-scribble-and-face-mesh": lambda t: {
        "prompt": "a face",
        "reference_images": [
            t.ControlReferenceImage(
                reference_id=1,
                reference_image=_png(t),
                config={"control_type": "CONTROL_TYPE_SCRIBBLE"},
            ),
            t.ControlReferenceImage(
                reference_id=2,
                reference_image=_png(t),
                config={
                    "control_type": "CONTROL_TYPE_FACE_MESH",
                    "enable_control_image_computation": False,
                },
            ),
            t.ControlReferenceImage(reference_id=3, reference_image=_png(t)),
        ],
        "config": None,
    },
    "style-gcs": lambda t: {
        "prompt": "in the style of [1]",
        "reference_images": [
            t.StyleReferenceImage(
                reference_id=1,
                reference_image=t.Image(gcs_uri="gs://b/style.png", mime_type="image/png"),
                config=t.StyleReferenceConfig(style_description="watercolour"),
            )
        ],
        "config": {"edit_mode": "EDIT_MODE_STYLE"},
    },
    "subject-and-content": lambda t: {
        "prompt": "[1] on the moon",
        "reference_images": [
            t.SubjectReferenceImage(
                reference_id=1,
                reference_image=_png(t),
                config=t.SubjectReferenceConfig(
                    subject_type=t.SubjectReferenceType.SUBJECT_TYPE_PERSON,
                    subject_description="a woman with short hair",
                ),
            ),
            t.SubjectReferenceImage(
                reference_id=2,
                reference_image=_png(t),
                config={"subject_type": "SUBJECT_TYPE_ANIMAL"},
            ),
            t.SubjectReferenceImage(
                reference_id=3,
                reference_image=_png(t),
                config={"subject_type": "subject_type_product"},
            ),
            t.SubjectReferenceImage(
                reference_id=4, config={"subject_type": "SUBJECT_TYPE_DEFAULT"}
            ),
            t.ContentReferenceImage(reference_id=5, reference_image=_png(t)),
        ],
        "config": {"edit_mode": "EDIT_MODE_PRODUCT_IMAGE"},
    },
    "full-config": lambda t: {
        "prompt": "x",
        "reference_images": [t.RawReferenceImage(reference_id=1, reference_image=_png(t))],
        "config": _model(t, "EditImageConfig", **FULL_EDIT),
    },
    "full-config-dict-bgswap": lambda t: {
        "prompt": "x",
        "reference_images": [t.RawReferenceImage(reference_id=1, reference_image=_png(t))],
        "config": {
            **FULL_EDIT,
            "edit_mode": "EDIT_MODE_BGSWAP",
            "http_options": {"timeout": 61_000},
        },
    },
    "api-form-dicts": lambda t: {
        "prompt": "x",
        "reference_images": [
            {
                "reference_image": {"image_bytes": PNG, "mime_type": "image/png"},
                "reference_id": 1,
                "reference_type": "REFERENCE_TYPE_RAW",
            },
            {
                "reference_id": 2,
                "reference_type": "REFERENCE_TYPE_MASK",
                "mask_image_config": {"mask_mode": "MASK_MODE_DEFAULT"},
            },
        ],
        "config": {"edit_mode": "EDIT_MODE_DEFAULT"},
    },
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", EDIT_CASES)
def test_edit_image_request(server: MockServer, vertex: Any, case: str, form: str) -> None:
    build = EDIT_CASES[case]
    theirs = build(gtypes)
    suffix, body = their_request(
        server, lambda: vertex.edit_image(model="imagen-3.0-capability-001", **theirs)
    )
    args = build(_module(form))
    our_suffix, our_body, options = wire.edit_image_request(
        MODEL_PATH, args["prompt"], args["reference_images"], args["config"], VERTEX
    )
    assert (our_suffix, norm(our_body)) == (suffix, body)
    if case == "full-config-dict-bgswap":
        assert options.http_options == {"timeout": 61_000}


def test_edit_image_dicts_with_config_follow_their_reference_type() -> None:
    """A dict with ``config`` (the form of ``MaskReferenceImageDict``) is sent like the
    model; without a reference_type the config's kind is unknown, and that is said."""
    as_model = wire.edit_image_request(
        "m",
        "x",
        [types.MaskReferenceImage(reference_id=2, config={"mask_mode": "MASK_MODE_BACKGROUND"})],
        None,
        VERTEX,
    )
    as_dict = wire.edit_image_request(
        "m",
        "x",
        [
            {
                "referenceId": 2,
                "referenceType": "REFERENCE_TYPE_MASK",
                "config": {"maskMode": "MASK_MODE_BACKGROUND"},
            }
        ],
        None,
        VERTEX,
    )
    assert as_dict[1] == as_model[1]
    with pytest.raises(ValueError, match=r"reference_images\[0\]\.config: a config needs"):
        wire.edit_image_request(
            "m", "x", [{"reference_id": 1, "config": {"mask_mode": "x"}}], None, VERTEX
        )


def test_edit_image_bad_reference_images_are_named() -> None:
    with pytest.raises(
        TypeError, match=r"reference_images\[1\]\.mask_image_config\.mask_dilation: expected"
    ):
        wire.edit_image_request(
            "m",
            "x",
            [
                types.RawReferenceImage(reference_id=1),
                types.MaskReferenceImage.model_construct(
                    mask_image_config={"mask_dilation": "wide"}
                ),
            ],
            None,
            VERTEX,
        )
    with pytest.raises(TypeError, match=r"edit_image: reference_images: expected a list"):
        wire.edit_image_request("m", "x", types.RawReferenceImage(), None, VERTEX)
    with pytest.raises(ValueError, match=r"reference_images\[0\]: unknown ReferenceImage"):
        wire.edit_image_request("m", "x", [{"refrence_id": 1}], None, VERTEX)


def test_reference_image_types_set_their_type() -> None:
    assert types.RawReferenceImage().reference_type == "REFERENCE_TYPE_RAW"
    mask = types.MaskReferenceImage(config={"mask_mode": "MASK_MODE_FOREGROUND"})
    assert mask.mask_image_config == mask.config
    assert mask.reference_type == gtypes.MaskReferenceImage().reference_type
    with pytest.raises(ValueError, match="reference_type is set by StyleReferenceImage"):
        types.StyleReferenceImage(reference_type="REFERENCE_TYPE_RAW")
    foreign = gtypes.SubjectReferenceImage(
        reference_id=1, config={"subject_type": "SUBJECT_TYPE_PERSON"}
    )
    ours = types.SubjectReferenceImage.model_validate(foreign)
    assert ours.model_dump(exclude_none=True, mode="json") == foreign.model_dump(
        exclude_none=True, mode="json"
    )


EDIT_RESPONSES: dict[str, dict[str, Any]] = {
    "empty": {},
    "images": {
        "predictions": [
            {
                "bytesBase64Encoded": base64.b64encode(PNG).decode(),
                "mimeType": "image/png",
                "prompt": "enhanced",
            },
            {"raiFilteredReason": "blocked"},
            {"gcsUri": "gs://b/edits/0.png", "mimeType": "image/png"},
        ]
    },
}


@pytest.mark.parametrize("case", EDIT_RESPONSES)
def test_parse_edit_image(server: MockServer, vertex: Any, case: str) -> None:
    data = EDIT_RESPONSES[case]
    theirs = their_response(
        server,
        lambda: vertex.edit_image(**EDIT_CASES["semantic-mask"](gtypes), model="imagen"),
        data,
    )
    ours = wire.parse_edit_image(data, HttpResponse(headers={"a": "b"}))
    assert _dump(ours) == _dump(theirs)
    assert ours.sdk_http_response is not None


# -- upscale_image ----------------------------------------------------------------------------

FULL_UPSCALE = {
    "output_gcs_uri": "gs://bucket/up/",
    "safety_filter_level": "BLOCK_LOW_AND_ABOVE",
    "person_generation": "DONT_ALLOW",
    "include_rai_reason": True,
    "output_mime_type": "image/jpeg",
    "output_compression_quality": 70,
    "enhance_input_image": True,
    "image_preservation_factor": 0.6,
    "labels": {"job": "upscale"},
}

UPSCALE_CASES: dict[str, Case] = {
    "bytes-x2": lambda t: {"image": _png(t), "upscale_factor": "x2", "config": None},
    "gcs-x4": lambda t: {
        "image": t.Image(gcs_uri="gs://b/small.png"),
        "upscale_factor": "x4",
        "config": {},
    },
    "full-dict": lambda t: {
        "image": t.Image(image_bytes=JPEG),
        "upscale_factor": "x2",
        "config": dict(FULL_UPSCALE),
    },
    "full-model": lambda t: {
        "image": _png(t),
        "upscale_factor": "x4",
        "config": _model(t, "UpscaleImageConfig", **FULL_UPSCALE),
    },
    "image-dict-and-enums": lambda t: {
        "image": {"image_bytes": PNG, "mime_type": "image/png"},
        "upscale_factor": "x2",
        "config": {
            "safety_filter_level": t.SafetyFilterLevel.BLOCK_NONE,
            "person_generation": t.PersonGeneration.ALLOW_ALL,
            "enhance_input_image": False,
        },
    },
    "http-options-only": lambda t: {
        "image": _png(t),
        "upscale_factor": "x2",
        "config": {"http_options": {"timeout": 69_000}},
    },
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", UPSCALE_CASES)
def test_upscale_image_request(server: MockServer, vertex: Any, case: str, form: str) -> None:
    build = UPSCALE_CASES[case]
    theirs = build(gtypes)
    suffix, body = their_request(
        server, lambda: vertex.upscale_image(model="imagen-4.0-upscale-preview", **theirs)
    )
    args = build(_module(form))
    our_suffix, our_body, options = wire.upscale_image_request(
        MODEL_PATH, args["image"], args["upscale_factor"], args["config"], VERTEX
    )
    assert (our_suffix, norm(our_body)) == (suffix, body)
    if case == "http-options-only":
        assert options.http_options == {"timeout": 69_000}


def test_upscale_image_takes_no_generation_fields() -> None:
    """``mode`` and ``number_of_images`` are fixed by the method, not options."""
    for name in ("mode", "number_of_images"):
        with pytest.raises(ValueError, match=rf"unknown UpscaleImageConfig field '{name}'"):
            wire.upscale_image_request("m", {"gcs_uri": "gs://b/a"}, "x2", {name: 1}, VERTEX)
    with pytest.raises(TypeError, match=r"upscale_image: image: is required"):
        wire.upscale_image_request("m", None, "x2", None, VERTEX)
    with pytest.raises(TypeError, match=r"upscale_image: upscale_factor: expected a string"):
        wire.upscale_image_request("m", {"gcs_uri": "gs://b/a"}, 2, None, VERTEX)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"image\.image_bytes: expected bytes"):
        wire.upscale_image_request("m", {"image_bytes": 5}, "x2", None, VERTEX)


UPSCALE_RESPONSES: dict[str, dict[str, Any]] = {
    "empty": {},
    "one-image": {
        "predictions": [
            {"bytesBase64Encoded": base64.b64encode(JPEG).decode(), "mimeType": "image/jpeg"}
        ]
    },
    "filtered": {"predictions": [{"raiFilteredReason": "person"}]},
}


@pytest.mark.parametrize("case", UPSCALE_RESPONSES)
def test_parse_upscale_image(server: MockServer, vertex: Any, case: str) -> None:
    data = UPSCALE_RESPONSES[case]
    theirs = their_response(
        server,
        lambda: vertex.upscale_image(**UPSCALE_CASES["bytes-x2"](gtypes), model="imagen"),
        data,
    )
    ours = wire.parse_upscale_image(data, None)
    assert _dump(ours) == _dump(theirs)


# -- recontext_image --------------------------------------------------------------------------

FULL_RECONTEXT = {
    "number_of_images": 2,
    "base_steps": 32,
    "output_gcs_uri": "gs://bucket/tryon/",
    "seed": 3,
    "safety_filter_level": "BLOCK_ONLY_HIGH",
    "person_generation": "ALLOW_ADULT",
    "add_watermark": False,
    "output_mime_type": "image/jpeg",
    "output_compression_quality": 60,
    "enhance_prompt": False,
    "labels": {"a": "b"},
}

RECONTEXT_CASES: dict[str, Case] = {
    "virtual-try-on": lambda t: {
        "source": t.RecontextImageSource(
            person_image=_png(t),
            product_images=[t.ProductImage(product_image=t.Image(image_bytes=JPEG))],
        ),
        "config": t.RecontextImageConfig(number_of_images=1),
    },
    "product-recontext-gcs": lambda t: {
        "source": t.RecontextImageSource(
            prompt="on a marble table",
            product_images=[
                t.ProductImage(product_image=t.Image(gcs_uri="gs://b/p1.png")),
                t.ProductImage(product_image=t.Image(gcs_uri="gs://b/p2.png")),
            ],
        ),
        "config": None,
    },
    "dict-source-full-config": lambda t: {
        "source": {
            "prompt": "a model",
            "person_image": {"gcs_uri": "gs://b/person.png", "mime_type": "image/png"},
            "product_images": [{"product_image": {"image_bytes": PNG}}],
        },
        "config": dict(FULL_RECONTEXT),
    },
    "model-config": lambda t: {
        "source": t.RecontextImageSource(person_image=_png(t), product_images=[]),
        "config": _model(t, "RecontextImageConfig", **FULL_RECONTEXT),
    },
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", RECONTEXT_CASES)
def test_recontext_image_request(server: MockServer, vertex: Any, case: str, form: str) -> None:
    build = RECONTEXT_CASES[case]
    theirs = build(gtypes)
    suffix, body = their_request(
        server, lambda: vertex.recontext_image(model="virtual-try-on-001", **theirs)
    )
    args = build(_module(form))
    our_suffix, our_body, _ = wire.recontext_image_request(
        MODEL_PATH, args["source"], args["config"], VERTEX
    )
    assert (our_suffix, norm(our_body)) == (suffix, body)


RECONTEXT_RESPONSES: dict[str, dict[str, Any]] = {
    "empty": {},
    "images": {
        "predictions": [
            {"bytesBase64Encoded": base64.b64encode(PNG).decode(), "mimeType": "image/png"},
            {"gcsUri": "gs://bucket/tryon/1.jpg", "mimeType": "image/jpeg"},
        ]
    },
}


@pytest.mark.parametrize("case", RECONTEXT_RESPONSES)
def test_parse_recontext_image(server: MockServer, vertex: Any, case: str) -> None:
    data = RECONTEXT_RESPONSES[case]
    theirs = their_response(
        server,
        lambda: vertex.recontext_image(**RECONTEXT_CASES["virtual-try-on"](gtypes), model="m"),
        data,
    )
    ours = wire.parse_recontext_image(data, None)
    assert _dump(ours) == _dump(theirs)


# -- segment_image ----------------------------------------------------------------------------

SEGMENT_CASES: dict[str, Case] = {
    "image-only": lambda t: {"source": t.SegmentImageSource(image=_png(t)), "config": None},
    "prompt-mode": lambda t: {
        "source": t.SegmentImageSource(image=_png(t), prompt="the sofa"),
        "config": t.SegmentImageConfig(mode=t.SegmentMode.PROMPT, max_predictions=3),
    },
    "semantic": lambda t: {
        "source": {"image": {"gcs_uri": "gs://b/room.png"}, "prompt": "chair, table"},
        "config": {"mode": "semantic", "confidence_threshold": 0.4},
    },
    "interactive-scribble": lambda t: {
        "source": t.SegmentImageSource(
            image=_png(t), scribble_image=t.ScribbleImage(image=t.Image(image_bytes=JPEG))
        ),
        "config": {
            "mode": "INTERACTIVE",
            "mask_dilation": 0.02,
            "binary_color_threshold": 96.0,
            "labels": {"x": "y"},
        },
    },
    "background-foreground": lambda t: {
        "source": t.SegmentImageSource(image=_png(t)),
        "config": t.SegmentImageConfig(mode="BACKGROUND", max_predictions=1),
    },
    "foreground-all-fields": lambda t: {
        "source": t.SegmentImageSource(image=_png(t)),
        "config": {
            "mode": t.SegmentMode.FOREGROUND,
            "max_predictions": 2,
            "confidence_threshold": 0.5,
            "mask_dilation": 0.1,
            "binary_color_threshold": 128,
            "labels": {"k": "v"},
            "http_options": {"timeout": 63_000},
        },
    },
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", SEGMENT_CASES)
def test_segment_image_request(server: MockServer, vertex: Any, case: str, form: str) -> None:
    build = SEGMENT_CASES[case]
    theirs = build(gtypes)
    suffix, body = their_request(
        server, lambda: vertex.segment_image(model="image-segmentation-001", **theirs)
    )
    args = build(_module(form))
    our_suffix, our_body, options = wire.segment_image_request(
        MODEL_PATH, args["source"], args["config"], VERTEX
    )
    assert (our_suffix, norm(our_body)) == (suffix, body)
    if case == "foreground-all-fields":
        assert options.http_options == {"timeout": 63_000}


def test_segment_image_bad_source_is_named() -> None:
    with pytest.raises(TypeError, match=r"segment_image: source: is required"):
        wire.segment_image_request("m", None, None, VERTEX)
    with pytest.raises(ValueError, match=r"source\.scribble_image: unknown ScribbleImage field"):
        wire.segment_image_request("m", {"scribble_image": {"img": 1}}, None, VERTEX)
    with pytest.raises(TypeError, match=r"config\.max_predictions: expected an integer"):
        wire.segment_image_request("m", {"prompt": "x"}, {"max_predictions": True}, VERTEX)


SEGMENT_RESPONSES: dict[str, dict[str, Any]] = {
    "empty": {},
    "masks": {
        "predictions": [
            {
                "bytesBase64Encoded": base64.b64encode(PNG).decode(),
                "mimeType": "image/png",
                "labels": [{"label": "sofa", "score": 0.93}, {"label": "chair", "score": 0.4}],
            },
            {"bytesBase64Encoded": base64.b64encode(JPEG).decode(), "mimeType": "image/jpeg"},
        ]
    },
}


@pytest.mark.parametrize("case", SEGMENT_RESPONSES)
def test_parse_segment_image(server: MockServer, vertex: Any, case: str) -> None:
    data = SEGMENT_RESPONSES[case]
    theirs = their_response(
        server,
        lambda: vertex.segment_image(**SEGMENT_CASES["image-only"](gtypes), model="m"),
        data,
    )
    ours = wire.parse_segment_image(data, HttpResponse(headers={}))
    assert _dump(ours) == _dump(theirs)
    assert ours.sdk_http_response is not None


def test_parse_segment_image_keeps_unknown_fields() -> None:
    data = {
        "predictions": [
            {
                "bytesBase64Encoded": "YWJj",
                "labels": [{"label": "a", "score": 1, "box": [1]}],
                "z": 1,
            }
        ]
    }
    ours = wire.parse_segment_image(data, None)
    assert ours.generated_masks is not None
    mask = ours.generated_masks[0]
    assert mask.mask == types.Image(image_bytes=b"abc")
    assert mask.model_extra == {"z": 1}
    assert mask.labels is not None
    assert mask.labels[0].model_extra == {"box": [1]}


# -- every method on the Gemini Developer API -------------------------------------------------


def _gemini_calls(models: Any) -> dict[str, Callable[[], Any]]:
    image = gtypes.Image(image_bytes=PNG)
    return {
        "generate_images": lambda: models.generate_images(model="imagen", prompt="x"),
        "edit_image": lambda: models.edit_image(
            model="imagen",
            prompt="x",
            reference_images=[gtypes.RawReferenceImage(reference_id=1, reference_image=image)],
        ),
        "upscale_image": lambda: models.upscale_image(
            model="imagen", image=image, upscale_factor="x2"
        ),
        "recontext_image": lambda: models.recontext_image(
            model="imagen", source=gtypes.RecontextImageSource(person_image=image)
        ),
        "segment_image": lambda: models.segment_image(
            model="imagen", source=gtypes.SegmentImageSource(image=image)
        ),
    }


def _our_calls(ctx: Ctx) -> dict[str, Callable[[], Any]]:
    image = types.Image(image_bytes=PNG)
    return {
        "generate_images": lambda: wire.generate_images_request("m", "x", None, ctx),
        "edit_image": lambda: wire.edit_image_request(
            "m", "x", [types.RawReferenceImage(reference_id=1, reference_image=image)], None, ctx
        ),
        "upscale_image": lambda: wire.upscale_image_request("m", image, "x2", None, ctx),
        "recontext_image": lambda: wire.recontext_image_request(
            "m", {"person_image": image}, None, ctx
        ),
        "segment_image": lambda: wire.segment_image_request("m", {"image": image}, None, ctx),
    }


@pytest.mark.parametrize(
    "method",
    ["generate_images", "edit_image", "upscale_image", "recontext_image", "segment_image"],
)
def test_gemini_developer_api_is_refused(server: MockServer, gemini: Any, method: str) -> None:
    before = len(server.requests)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="only supported in Gemini Enterprise"):
            _gemini_calls(gemini)[method]()
    assert len(server.requests) == before
    with pytest.raises(ValueError, match=rf"^{method} is only supported on Vertex AI"):
        _our_calls(GEMINI)[method]()
    _our_calls(VERTEX)[method]()  # and it is fine on Vertex AI


# -- bad input --------------------------------------------------------------------------------


def test_unknown_config_field_is_named() -> None:
    with pytest.raises(ValueError, match=r"generate_images: config: unknown .*'numbr_of_images'"):
        wire.generate_images_request("m", "x", {"numbr_of_images": 2}, VERTEX)


def test_wrong_value_kinds_are_named() -> None:
    with pytest.raises(TypeError, match=r"config\.number_of_images: expected an integer"):
        wire.generate_images_request("m", "x", {"number_of_images": "2"}, VERTEX)
    with pytest.raises(TypeError, match=r"config\.add_watermark: expected True or False"):
        wire.generate_images_request("m", "x", {"add_watermark": 1}, VERTEX)
    with pytest.raises(TypeError, match=r"config\.labels: label 'a'"):
        wire.generate_images_request("m", "x", {"labels": {"a": 1}}, VERTEX)
    with pytest.raises(TypeError, match=r"generate_images: prompt: expected a string"):
        wire.generate_images_request("m", 3, None, VERTEX)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"config: expected a dict or a types.GenerateImagesConf"):
        wire.generate_images_request("m", "x", ["seed"], VERTEX)


def test_models_reject_unknown_fields() -> None:
    with pytest.raises(ValueError, match="numbr_of_images"):
        types.GenerateImagesConfig(numbr_of_images=2)  # type: ignore[call-arg]


# -- Image ------------------------------------------------------------------------------------


def test_image_save_and_from_file_round_trip(tmp_path: Path) -> None:
    image = types.Image(image_bytes=PNG, mime_type="image/png")
    target = tmp_path / "out.png"
    image.save(target)
    assert target.read_bytes() == PNG
    loaded = types.Image.from_file(str(target))
    assert loaded == image
    assert types.Image.from_file(location=target, mime_type="image/x-mine").mime_type == (
        "image/x-mine"
    )
    theirs = gtypes.Image.from_file(location=str(target))
    assert loaded.model_dump() == theirs.model_dump()


@pytest.mark.parametrize(
    "location", ["gs://bucket/a/b.png", "https://storage.googleapis.com/bucket/a%20b.png"]
)
def test_image_from_cloud_storage(location: str) -> None:
    ours = types.Image.from_file(location)
    assert ours.image_bytes is None
    assert ours.model_dump() == gtypes.Image.from_file(location=location).model_dump()


def test_image_without_bytes_cannot_be_saved(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no image_bytes"):
        types.Image(gcs_uri="gs://b/a.png").save(tmp_path / "x.png")


def test_image_show_without_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        types.Image(image_bytes=PNG).show()


def test_image_bytes_accept_base64_text() -> None:
    assert types.Image(image_bytes=base64.b64encode(PNG).decode()).image_bytes == PNG


# -- the types have google-genai's names and fields -------------------------------------------

IMAGE_TYPES = [
    name for name in types.__all__ if getattr(types, name).__module__ == "genai_async._types.images"
]
OUR_ADDITIONS = {
    # Every response of this library carries its HTTP response.
    "RecontextImageResponse": {"sdk_http_response"},
    "SegmentImageResponse": {"sdk_http_response"},
}


@pytest.mark.parametrize("name", IMAGE_TYPES)
def test_type_matches_google_genai(name: str) -> None:
    ours = getattr(types, name)
    theirs = getattr(gtypes, name)
    if name.endswith("Dict"):
        assert set(ours.__annotations__) == set(theirs.__annotations__)
    elif isinstance(ours, type) and issubclass(ours, types.CaseInsensitiveEnum):
        assert {m.name: m.value for m in ours} == {m.name: m.value for m in theirs}
    else:
        extra = OUR_ADDITIONS.get(name, set())
        assert set(ours.model_fields) == set(theirs.model_fields) | extra


def test_input_errors_survive_pickling() -> None:
    with pytest.raises(TypeError) as caught:
        wire.segment_image_request("m", {"prompt": "x"}, {"max_predictions": "3"}, VERTEX)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(copy, TypeError)
    assert str(copy) == str(caught.value)
    assert str(copy).startswith("segment_image: config.max_predictions: expected an integer")
