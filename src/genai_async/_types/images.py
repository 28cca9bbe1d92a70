"""Types of the Imagen methods: ``generate_images``, ``edit_image``, ``upscale_image``,
``recontext_image`` and ``segment_image`` (Vertex AI).

Named and shaped as google-genai's. Request-side models reject unknown fields;
response-side ones keep them. Each request type has a ``...Dict`` twin (a
``TypedDict``) for callers who pass plain dicts.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypedDict

from pydantic import model_validator
from pydantic.alias_generators import to_camel

from .._options import HttpOptionsDict
from .base import CaseInsensitiveEnum, RequestModel, ResponseModel, read_foreign
from .image import Image, ImageDict
from .response import HttpResponse

__all__ = (
    "ContentReferenceImage",
    "ContentReferenceImageDict",
    "ControlReferenceConfig",
    "ControlReferenceConfigDict",
    "ControlReferenceImage",
    "ControlReferenceImageDict",
    "ControlReferenceType",
    "EditImageConfig",
    "EditImageConfigDict",
    "EditImageResponse",
    "EditMode",
    "EntityLabel",
    "GenerateImagesConfig",
    "GenerateImagesConfigDict",
    "GenerateImagesResponse",
    "GeneratedImage",
    "GeneratedImageMask",
    "Image",
    "ImageDict",
    "ImagePromptLanguage",
    "MaskReferenceConfig",
    "MaskReferenceConfigDict",
    "MaskReferenceImage",
    "MaskReferenceImageDict",
    "MaskReferenceMode",
    "PersonGeneration",
    "ProductImage",
    "ProductImageDict",
    "RawReferenceImage",
    "RawReferenceImageDict",
    "RecontextImageConfig",
    "RecontextImageConfigDict",
    "RecontextImageResponse",
    "RecontextImageSource",
    "RecontextImageSourceDict",
    "SafetyAttributes",
    "SafetyFilterLevel",
    "ScribbleImage",
    "ScribbleImageDict",
    "SegmentImageConfig",
    "SegmentImageConfigDict",
    "SegmentImageResponse",
    "SegmentImageSource",
    "SegmentImageSourceDict",
    "SegmentMode",
    "StyleReferenceConfig",
    "StyleReferenceConfigDict",
    "StyleReferenceImage",
    "StyleReferenceImageDict",
    "SubjectReferenceConfig",
    "SubjectReferenceConfigDict",
    "SubjectReferenceImage",
    "SubjectReferenceImageDict",
    "SubjectReferenceType",
    "UpscaleImageConfig",
    "UpscaleImageConfigDict",
    "UpscaleImageResponse",
)


# -- enums ------------------------------------------------------------------------------------


class PersonGeneration(CaseInsensitiveEnum):
    """Whether generated images may show people.

    Usage::

        types.GenerateImagesConfig(person_generation=types.PersonGeneration.ALLOW_ADULT)
    """

    DONT_ALLOW = "DONT_ALLOW"
    ALLOW_ADULT = "ALLOW_ADULT"
    ALLOW_ALL = "ALLOW_ALL"


class SafetyFilterLevel(CaseInsensitiveEnum):
    """How strictly objectionable output is filtered.

    Usage::

        types.GenerateImagesConfig(safety_filter_level="BLOCK_ONLY_HIGH")
    """

    BLOCK_LOW_AND_ABOVE = "BLOCK_LOW_AND_ABOVE"
    BLOCK_MEDIUM_AND_ABOVE = "BLOCK_MEDIUM_AND_ABOVE"
    BLOCK_ONLY_HIGH = "BLOCK_ONLY_HIGH"
    BLOCK_NONE = "BLOCK_NONE"


class ImagePromptLanguage(CaseInsensitiveEnum):
    """The language of the prompt (member names are the language codes, as in google-genai).

    Usage::

        types.GenerateImagesConfig(language=types.ImagePromptLanguage.ja)
    """

    auto = "auto"
    en = "en"
    ja = "ja"
    ko = "ko"
    hi = "hi"
    zh = "zh"
    pt = "pt"
    es = "es"


class MaskReferenceMode(CaseInsensitiveEnum):
    """Where the mask of a :class:`MaskReferenceImage` comes from.

    Usage::

        types.MaskReferenceConfig(mask_mode="MASK_MODE_FOREGROUND")
    """

    MASK_MODE_DEFAULT = "MASK_MODE_DEFAULT"
    MASK_MODE_USER_PROVIDED = "MASK_MODE_USER_PROVIDED"
    MASK_MODE_BACKGROUND = "MASK_MODE_BACKGROUND"
    MASK_MODE_FOREGROUND = "MASK_MODE_FOREGROUND"
    MASK_MODE_SEMANTIC = "MASK_MODE_SEMANTIC"


class ControlReferenceType(CaseInsensitiveEnum):
    """The kind of a :class:`ControlReferenceImage`.

    Usage::

        types.ControlReferenceConfig(control_type="CONTROL_TYPE_CANNY")
    """

    CONTROL_TYPE_DEFAULT = "CONTROL_TYPE_DEFAULT"
    CONTROL_TYPE_CANNY = "CONTROL_TYPE_CANNY"
    CONTROL_TYPE_SCRIBBLE = "CONTROL_TYPE_SCRIBBLE"
    CONTROL_TYPE_FACE_MESH = "CONTROL_TYPE_FACE_MESH"


class SubjectReferenceType(CaseInsensitiveEnum):
    """The subject of a :class:`SubjectReferenceImage`.

    Usage::

        types.SubjectReferenceConfig(subject_type="SUBJECT_TYPE_PERSON")
    """

    SUBJECT_TYPE_DEFAULT = "SUBJECT_TYPE_DEFAULT"
    SUBJECT_TYPE_PERSON = "SUBJECT_TYPE_PERSON"
    SUBJECT_TYPE_ANIMAL = "SUBJECT_TYPE_ANIMAL"
    SUBJECT_TYPE_PRODUCT = "SUBJECT_TYPE_PRODUCT"


class EditMode(CaseInsensitiveEnum):
    """The kind of edit ``edit_image`` makes.

    Usage::

        types.EditImageConfig(edit_mode=types.EditMode.EDIT_MODE_INPAINT_INSERTION)
    """

    EDIT_MODE_DEFAULT = "EDIT_MODE_DEFAULT"
    EDIT_MODE_INPAINT_REMOVAL = "EDIT_MODE_INPAINT_REMOVAL"
    EDIT_MODE_INPAINT_INSERTION = "EDIT_MODE_INPAINT_INSERTION"
    EDIT_MODE_OUTPAINT = "EDIT_MODE_OUTPAINT"
    EDIT_MODE_CONTROLLED_EDITING = "EDIT_MODE_CONTROLLED_EDITING"
    EDIT_MODE_STYLE = "EDIT_MODE_STYLE"
    EDIT_MODE_BGSWAP = "EDIT_MODE_BGSWAP"
    EDIT_MODE_PRODUCT_IMAGE = "EDIT_MODE_PRODUCT_IMAGE"


class SegmentMode(CaseInsensitiveEnum):
    """What ``segment_image`` separates.

    Usage::

        types.SegmentImageConfig(mode="FOREGROUND")
    """

    FOREGROUND = "FOREGROUND"
    BACKGROUND = "BACKGROUND"
    PROMPT = "PROMPT"
    SEMANTIC = "SEMANTIC"
    INTERACTIVE = "INTERACTIVE"


# -- the image --------------------------------------------------------------------------------


# -- responses --------------------------------------------------------------------------------


class SafetyAttributes(ResponseModel):
    """Responsible-AI categories and scores of an image or of the prompt.

    Usage::

        response.generated_images[0].safety_attributes.scores
    """

    categories: list[str] | None = None
    scores: list[float] | None = None
    content_type: str | None = None


class GeneratedImage(ResponseModel):
    """One output image, or why it was filtered out.

    Usage::

        response.generated_images[0].image.save("out.png")
    """

    image: Image | None = None
    rai_filtered_reason: str | None = None
    safety_attributes: SafetyAttributes | None = None
    enhanced_prompt: str | None = None


class GenerateImagesResponse(ResponseModel):
    """The result of ``generate_images``.

    Usage::

        for image in response.images:
            image.save(...)
    """

    sdk_http_response: HttpResponse | None = None
    generated_images: list[GeneratedImage] | None = None
    positive_prompt_safety_attributes: SafetyAttributes | None = None

    @property
    def images(self) -> list[Image | None]:
        """The image of each generated image, in order."""
        return [generated.image for generated in self.generated_images or ()]


class EditImageResponse(ResponseModel):
    """The result of ``edit_image``.

    Usage::

        response.generated_images[0].image
    """

    sdk_http_response: HttpResponse | None = None
    generated_images: list[GeneratedImage] | None = None


class UpscaleImageResponse(ResponseModel):
    """The result of ``upscale_image``.

    Usage::

        response.generated_images[0].image
    """

    sdk_http_response: HttpResponse | None = None
    generated_images: list[GeneratedImage] | None = None


class RecontextImageResponse(ResponseModel):
    """The result of ``recontext_image``.

    Usage::

        response.generated_images[0].image
    """

    sdk_http_response: HttpResponse | None = None
    generated_images: list[GeneratedImage] | None = None


class EntityLabel(ResponseModel):
    """A label of a segmented entity and its confidence.

    Usage::

        response.generated_masks[0].labels[0].label
    """

    label: str | None = None
    score: float | None = None


class GeneratedImageMask(ResponseModel):
    """One mask produced by ``segment_image``, with its labels.

    Usage::

        response.generated_masks[0].mask.save("mask.png")
    """

    mask: Image | None = None
    labels: list[EntityLabel] | None = None


class SegmentImageResponse(ResponseModel):
    """The result of ``segment_image``.

    Usage::

        response.generated_masks[0].mask
    """

    sdk_http_response: HttpResponse | None = None
    generated_masks: list[GeneratedImageMask] | None = None


# -- method configs ---------------------------------------------------------------------------


class GenerateImagesConfig(RequestModel):
    """Options of ``generate_images``.

    Usage::

        types.GenerateImagesConfig(number_of_images=2, aspect_ratio="16:9",
                                   include_rai_reason=True)
    """

    http_options: Any = None
    output_gcs_uri: str | None = None
    negative_prompt: str | None = None
    number_of_images: int | None = None
    aspect_ratio: str | None = None
    guidance_scale: float | None = None
    seed: int | None = None
    safety_filter_level: SafetyFilterLevel | None = None
    person_generation: PersonGeneration | None = None
    include_safety_attributes: bool | None = None
    include_rai_reason: bool | None = None
    language: ImagePromptLanguage | None = None
    output_mime_type: str | None = None
    output_compression_quality: int | None = None
    add_watermark: bool | None = None
    labels: dict[str, str] | None = None
    image_size: str | None = None
    enhance_prompt: bool | None = None


class GenerateImagesConfigDict(TypedDict, total=False):
    """The dict form of :class:`GenerateImagesConfig`."""

    http_options: HttpOptionsDict | None
    output_gcs_uri: str | None
    negative_prompt: str | None
    number_of_images: int | None
    aspect_ratio: str | None
    guidance_scale: float | None
    seed: int | None
    safety_filter_level: SafetyFilterLevel | str | None
    person_generation: PersonGeneration | str | None
    include_safety_attributes: bool | None
    include_rai_reason: bool | None
    language: ImagePromptLanguage | str | None
    output_mime_type: str | None
    output_compression_quality: int | None
    add_watermark: bool | None
    labels: dict[str, str] | None
    image_size: str | None
    enhance_prompt: bool | None


class EditImageConfig(RequestModel):
    """Options of ``edit_image``.

    Usage::

        types.EditImageConfig(edit_mode="EDIT_MODE_INPAINT_INSERTION", number_of_images=1)
    """

    http_options: Any = None
    output_gcs_uri: str | None = None
    negative_prompt: str | None = None
    number_of_images: int | None = None
    aspect_ratio: str | None = None
    guidance_scale: float | None = None
    seed: int | None = None
    safety_filter_level: SafetyFilterLevel | None = None
    person_generation: PersonGeneration | None = None
    include_safety_attributes: bool | None = None
    include_rai_reason: bool | None = None
    language: ImagePromptLanguage | None = None
    output_mime_type: str | None = None
    output_compression_quality: int | None = None
    add_watermark: bool | None = None
    labels: dict[str, str] | None = None
    edit_mode: EditMode | None = None
    base_steps: int | None = None


class EditImageConfigDict(TypedDict, total=False):
    """The dict form of :class:`EditImageConfig`."""

    http_options: HttpOptionsDict | None
    output_gcs_uri: str | None
    negative_prompt: str | None
    number_of_images: int | None
    aspect_ratio: str | None
    guidance_scale: float | None
    seed: int | None
    safety_filter_level: SafetyFilterLevel | str | None
    person_generation: PersonGeneration | str | None
    include_safety_attributes: bool | None
    include_rai_reason: bool | None
    language: ImagePromptLanguage | str | None
    output_mime_type: str | None
    output_compression_quality: int | None
    add_watermark: bool | None
    labels: dict[str, str] | None
    edit_mode: EditMode | str | None
    base_steps: int | None


class UpscaleImageConfig(RequestModel):
    """Options of ``upscale_image``.

    Usage::

        types.UpscaleImageConfig(output_mime_type="image/jpeg", enhance_input_image=True)
    """

    http_options: Any = None
    output_gcs_uri: str | None = None
    safety_filter_level: SafetyFilterLevel | None = None
    person_generation: PersonGeneration | None = None
    include_rai_reason: bool | None = None
    output_mime_type: str | None = None
    output_compression_quality: int | None = None
    enhance_input_image: bool | None = None
    image_preservation_factor: float | None = None
    labels: dict[str, str] | None = None


class UpscaleImageConfigDict(TypedDict, total=False):
    """The dict form of :class:`UpscaleImageConfig`."""

    http_options: HttpOptionsDict | None
    output_gcs_uri: str | None
    safety_filter_level: SafetyFilterLevel | str | None
    person_generation: PersonGeneration | str | None
    include_rai_reason: bool | None
    output_mime_type: str | None
    output_compression_quality: int | None
    enhance_input_image: bool | None
    image_preservation_factor: float | None
    labels: dict[str, str] | None


class ProductImage(RequestModel):
    """A product to show on a person (``recontext_image``).

    Usage::

        types.ProductImage(product_image=types.Image.from_file("shirt.png"))
    """

    product_image: Image | None = None


class ProductImageDict(TypedDict, total=False):
    """The dict form of :class:`ProductImage`."""

    product_image: ImageDict | None


class RecontextImageSource(RequestModel):
    """The inputs of ``recontext_image``: a person image and product images.

    Usage::

        types.RecontextImageSource(
            person_image=types.Image.from_file("person.png"),
            product_images=[types.ProductImage(product_image=types.Image.from_file("shirt.png"))],
        )
    """

    prompt: str | None = None
    person_image: Image | None = None
    product_images: list[ProductImage] | None = None


class RecontextImageSourceDict(TypedDict, total=False):
    """The dict form of :class:`RecontextImageSource`."""

    prompt: str | None
    person_image: ImageDict | None
    product_images: list[ProductImageDict] | None


class RecontextImageConfig(RequestModel):
    """Options of ``recontext_image``.

    Usage::

        types.RecontextImageConfig(number_of_images=1, base_steps=32)
    """

    http_options: Any = None
    number_of_images: int | None = None
    base_steps: int | None = None
    output_gcs_uri: str | None = None
    seed: int | None = None
    safety_filter_level: SafetyFilterLevel | None = None
    person_generation: PersonGeneration | None = None
    add_watermark: bool | None = None
    output_mime_type: str | None = None
    output_compression_quality: int | None = None
    enhance_prompt: bool | None = None
    labels: dict[str, str] | None = None


class RecontextImageConfigDict(TypedDict, total=False):
    """The dict form of :class:`RecontextImageConfig`."""

    http_options: HttpOptionsDict | None
    number_of_images: int | None
    base_steps: int | None
    output_gcs_uri: str | None
    seed: int | None
    safety_filter_level: SafetyFilterLevel | str | None
    person_generation: PersonGeneration | str | None
    add_watermark: bool | None
    output_mime_type: str | None
    output_compression_quality: int | None
    enhance_prompt: bool | None
    labels: dict[str, str] | None


class ScribbleImage(RequestModel):
    """A scribble marking what to segment (``segment_image``, interactive mode).

    Usage::

        types.ScribbleImage(image=types.Image.from_file("scribble.png"))
    """

    image: Image | None = None


class ScribbleImageDict(TypedDict, total=False):
    """The dict form of :class:`ScribbleImage`."""

    image: ImageDict | None


class SegmentImageSource(RequestModel):
    """The inputs of ``segment_image``: the image, and a prompt or a scribble by mode.

    Usage::

        types.SegmentImageSource(image=types.Image.from_file("room.png"), prompt="the sofa")
    """

    prompt: str | None = None
    image: Image | None = None
    scribble_image: ScribbleImage | None = None


class SegmentImageSourceDict(TypedDict, total=False):
    """The dict form of :class:`SegmentImageSource`."""

    prompt: str | None
    image: ImageDict | None
    scribble_image: ScribbleImageDict | None


class SegmentImageConfig(RequestModel):
    """Options of ``segment_image``.

    Usage::

        types.SegmentImageConfig(mode="PROMPT", max_predictions=3)
    """

    http_options: Any = None
    mode: SegmentMode | None = None
    max_predictions: int | None = None
    confidence_threshold: float | None = None
    mask_dilation: float | None = None
    binary_color_threshold: float | None = None
    labels: dict[str, str] | None = None


class SegmentImageConfigDict(TypedDict, total=False):
    """The dict form of :class:`SegmentImageConfig`."""

    http_options: HttpOptionsDict | None
    mode: SegmentMode | str | None
    max_predictions: int | None
    confidence_threshold: float | None
    mask_dilation: float | None
    binary_color_threshold: float | None
    labels: dict[str, str] | None


# -- reference images (edit_image) ------------------------------------------------------------


class MaskReferenceConfig(RequestModel):
    """How the mask of a :class:`MaskReferenceImage` is made or used.

    Usage::

        types.MaskReferenceConfig(mask_mode="MASK_MODE_FOREGROUND", mask_dilation=0.06)
    """

    mask_mode: MaskReferenceMode | None = None
    segmentation_classes: list[int] | None = None
    mask_dilation: float | None = None


class MaskReferenceConfigDict(TypedDict, total=False):
    """The dict form of :class:`MaskReferenceConfig`."""

    mask_mode: MaskReferenceMode | str | None
    segmentation_classes: list[int] | None
    mask_dilation: float | None


class ControlReferenceConfig(RequestModel):
    """The kind of a :class:`ControlReferenceImage`, and whether the server computes it.

    Usage::

        types.ControlReferenceConfig(control_type="CONTROL_TYPE_SCRIBBLE")
    """

    control_type: ControlReferenceType | None = None
    enable_control_image_computation: bool | None = None


class ControlReferenceConfigDict(TypedDict, total=False):
    """The dict form of :class:`ControlReferenceConfig`."""

    control_type: ControlReferenceType | str | None
    enable_control_image_computation: bool | None


class StyleReferenceConfig(RequestModel):
    """A description of the style of a :class:`StyleReferenceImage`.

    Usage::

        types.StyleReferenceConfig(style_description="watercolour")
    """

    style_description: str | None = None


class StyleReferenceConfigDict(TypedDict, total=False):
    """The dict form of :class:`StyleReferenceConfig`."""

    style_description: str | None


class SubjectReferenceConfig(RequestModel):
    """The subject of a :class:`SubjectReferenceImage`.

    Usage::

        types.SubjectReferenceConfig(subject_type="SUBJECT_TYPE_PERSON",
                                     subject_description="a woman")
    """

    subject_type: SubjectReferenceType | None = None
    subject_description: str | None = None


class SubjectReferenceConfigDict(TypedDict, total=False):
    """The dict form of :class:`SubjectReferenceConfig`."""

    subject_type: SubjectReferenceType | str | None
    subject_description: str | None


def _field(data: dict[str, Any], name: str, alias: str) -> Any:
    return data.get(name, data.get(alias))


class _ReferenceImage(RequestModel):
    """What every reference image has. ``reference_type`` is set by the class; a
    ``config`` is also kept under its wire name (``mask_image_config``, ...)."""

    _REFERENCE_TYPE: ClassVar[str] = ""
    _CONFIG_FIELD: ClassVar[str | None] = None

    reference_image: Image | None = None
    reference_id: int | None = None
    reference_type: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _set_reference_type(cls, data: Any) -> Any:
        data = read_foreign(data)
        if not isinstance(data, dict):
            return data
        data = dict(data)
        given = _field(data, "reference_type", "referenceType")
        if given is not None and str(given) != cls._REFERENCE_TYPE:
            raise ValueError(
                f"reference_type is set by {cls.__name__} ({cls._REFERENCE_TYPE}), not {given!r}"
            )
        data.pop("referenceType", None)
        data["reference_type"] = cls._REFERENCE_TYPE
        wire_name = cls._CONFIG_FIELD
        if wire_name is not None:
            alias = to_camel(wire_name)
            config = data.get("config")
            existing = _field(data, wire_name, alias)
            data.pop(alias, None)
            data[wire_name] = config if config is not None else existing
            if config is None and existing is not None:
                data["config"] = existing
        return data


class RawReferenceImage(_ReferenceImage):
    """The base image to edit.

    Usage::

        types.RawReferenceImage(reference_id=1, reference_image=types.Image.from_file("a.png"))
    """

    _REFERENCE_TYPE = "REFERENCE_TYPE_RAW"


class MaskReferenceImage(_ReferenceImage):
    """A mask of where to edit: given as an image, or made by the model per ``config``.

    Usage::

        types.MaskReferenceImage(
            reference_id=2,
            config=types.MaskReferenceConfig(mask_mode="MASK_MODE_BACKGROUND"),
        )
    """

    _REFERENCE_TYPE = "REFERENCE_TYPE_MASK"
    _CONFIG_FIELD = "mask_image_config"

    config: MaskReferenceConfig | None = None
    mask_image_config: MaskReferenceConfig | None = None


class ControlReferenceImage(_ReferenceImage):
    """A control image (canny edges, scribble, face mesh), or an image to compute one from.

    Usage::

        types.ControlReferenceImage(
            reference_id=1,
            reference_image=types.Image.from_file("sketch.png"),
            config=types.ControlReferenceConfig(control_type="CONTROL_TYPE_SCRIBBLE"),
        )
    """

    _REFERENCE_TYPE = "REFERENCE_TYPE_CONTROL"
    _CONFIG_FIELD = "control_image_config"

    config: ControlReferenceConfig | None = None
    control_image_config: ControlReferenceConfig | None = None


class StyleReferenceImage(_ReferenceImage):
    """An image whose style the output takes.

    Usage::

        types.StyleReferenceImage(
            reference_id=1,
            reference_image=types.Image.from_file("style.png"),
            config=types.StyleReferenceConfig(style_description="oil painting"),
        )
    """

    _REFERENCE_TYPE = "REFERENCE_TYPE_STYLE"
    _CONFIG_FIELD = "style_image_config"

    config: StyleReferenceConfig | None = None
    style_image_config: StyleReferenceConfig | None = None


class SubjectReferenceImage(_ReferenceImage):
    """An image of a subject (person, animal, product) to put in the output.

    Usage::

        types.SubjectReferenceImage(
            reference_id=1,
            reference_image=types.Image.from_file("dog.png"),
            config=types.SubjectReferenceConfig(subject_type="SUBJECT_TYPE_ANIMAL"),
        )
    """

    _REFERENCE_TYPE = "REFERENCE_TYPE_SUBJECT"
    _CONFIG_FIELD = "subject_image_config"

    config: SubjectReferenceConfig | None = None
    subject_image_config: SubjectReferenceConfig | None = None


class ContentReferenceImage(_ReferenceImage):
    """A subject to reference, alongside a style reference image.

    Usage::

        types.ContentReferenceImage(reference_id=1, reference_image=types.Image(gcs_uri="gs://b/a.png"))
    """

    _REFERENCE_TYPE = "REFERENCE_TYPE_CONTENT"


class RawReferenceImageDict(TypedDict, total=False):
    """The dict form of :class:`RawReferenceImage`."""

    reference_image: ImageDict | None
    reference_id: int | None
    reference_type: str | None


class MaskReferenceImageDict(TypedDict, total=False):
    """The dict form of :class:`MaskReferenceImage`."""

    reference_image: ImageDict | None
    reference_id: int | None
    reference_type: str | None
    config: MaskReferenceConfigDict | None


class ControlReferenceImageDict(TypedDict, total=False):
    """The dict form of :class:`ControlReferenceImage`."""

    reference_image: ImageDict | None
    reference_id: int | None
    reference_type: str | None
    config: ControlReferenceConfigDict | None


class StyleReferenceImageDict(TypedDict, total=False):
    """The dict form of :class:`StyleReferenceImage`."""

    reference_image: ImageDict | None
    reference_id: int | None
    reference_type: str | None
    config: StyleReferenceConfigDict | None


class SubjectReferenceImageDict(TypedDict, total=False):
    """The dict form of :class:`SubjectReferenceImage`."""

    reference_image: ImageDict | None
    reference_id: int | None
    reference_type: str | None
    config: SubjectReferenceConfigDict | None


class ContentReferenceImageDict(TypedDict, total=False):
    """The dict form of :class:`ContentReferenceImage`."""

    reference_image: ImageDict | None
    reference_id: int | None
    reference_type: str | None
