"""The enums of the public types, named and valued as in ``google.genai.types``.

Every enum is a ``str`` enum: members compare equal to their wire strings,
values match in any case, and unknown values from newer servers are kept.
"""

from __future__ import annotations

from .base import CaseInsensitiveEnum

__all__ = (
    "Behavior",
    "BlockedReason",
    "DynamicRetrievalConfigMode",
    "Environment",
    "FeatureSelectionPreference",
    "FinishReason",
    "FunctionCallingConfigMode",
    "FunctionResponseScheduling",
    "HarmBlockMethod",
    "HarmBlockThreshold",
    "HarmCategory",
    "HarmProbability",
    "HarmSeverity",
    "Language",
    "MediaResolution",
    "Modality",
    "Outcome",
    "PartMediaResolutionLevel",
    "ServiceTier",
    "ThinkingLevel",
    "TrafficType",
    "Type",
    "UrlRetrievalStatus",
)


class Type(CaseInsensitiveEnum):
    """Data type of a :class:`Schema` node.

    Usage::

        types.Type.STRING
    """

    TYPE_UNSPECIFIED = "TYPE_UNSPECIFIED"
    STRING = "STRING"
    NUMBER = "NUMBER"
    INTEGER = "INTEGER"
    BOOLEAN = "BOOLEAN"
    ARRAY = "ARRAY"
    OBJECT = "OBJECT"
    NULL = "NULL"


class HarmCategory(CaseInsensitiveEnum):
    """Safety category of a rating or a setting.

    Usage::

        types.HarmCategory.HARM_CATEGORY_HARASSMENT
    """

    HARM_CATEGORY_UNSPECIFIED = "HARM_CATEGORY_UNSPECIFIED"
    HARM_CATEGORY_HARASSMENT = "HARM_CATEGORY_HARASSMENT"
    HARM_CATEGORY_HATE_SPEECH = "HARM_CATEGORY_HATE_SPEECH"
    HARM_CATEGORY_SEXUALLY_EXPLICIT = "HARM_CATEGORY_SEXUALLY_EXPLICIT"
    HARM_CATEGORY_DANGEROUS_CONTENT = "HARM_CATEGORY_DANGEROUS_CONTENT"
    HARM_CATEGORY_CIVIC_INTEGRITY = "HARM_CATEGORY_CIVIC_INTEGRITY"
    HARM_CATEGORY_JAILBREAK = "HARM_CATEGORY_JAILBREAK"
    HARM_CATEGORY_IMAGE_HATE = "HARM_CATEGORY_IMAGE_HATE"
    HARM_CATEGORY_IMAGE_DANGEROUS_CONTENT = "HARM_CATEGORY_IMAGE_DANGEROUS_CONTENT"
    HARM_CATEGORY_IMAGE_HARASSMENT = "HARM_CATEGORY_IMAGE_HARASSMENT"
    HARM_CATEGORY_IMAGE_SEXUALLY_EXPLICIT = "HARM_CATEGORY_IMAGE_SEXUALLY_EXPLICIT"


class HarmBlockThreshold(CaseInsensitiveEnum):
    """When a safety setting blocks content.

    Usage::

        types.HarmBlockThreshold.BLOCK_LOW_AND_ABOVE
    """

    HARM_BLOCK_THRESHOLD_UNSPECIFIED = "HARM_BLOCK_THRESHOLD_UNSPECIFIED"
    BLOCK_LOW_AND_ABOVE = "BLOCK_LOW_AND_ABOVE"
    BLOCK_MEDIUM_AND_ABOVE = "BLOCK_MEDIUM_AND_ABOVE"
    BLOCK_ONLY_HIGH = "BLOCK_ONLY_HIGH"
    BLOCK_NONE = "BLOCK_NONE"
    OFF = "OFF"


class HarmBlockMethod(CaseInsensitiveEnum):
    """Whether a safety setting uses probability or severity (Vertex AI).

    Usage::

        types.HarmBlockMethod.SEVERITY
    """

    HARM_BLOCK_METHOD_UNSPECIFIED = "HARM_BLOCK_METHOD_UNSPECIFIED"
    SEVERITY = "SEVERITY"
    PROBABILITY = "PROBABILITY"


class HarmProbability(CaseInsensitiveEnum):
    """Probability that content is harmful.

    Usage::

        types.HarmProbability.NEGLIGIBLE
    """

    HARM_PROBABILITY_UNSPECIFIED = "HARM_PROBABILITY_UNSPECIFIED"
    NEGLIGIBLE = "NEGLIGIBLE"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class HarmSeverity(CaseInsensitiveEnum):
    """Severity of harmful content (Vertex AI).

    Usage::

        types.HarmSeverity.HARM_SEVERITY_NEGLIGIBLE
    """

    HARM_SEVERITY_UNSPECIFIED = "HARM_SEVERITY_UNSPECIFIED"
    HARM_SEVERITY_NEGLIGIBLE = "HARM_SEVERITY_NEGLIGIBLE"
    HARM_SEVERITY_LOW = "HARM_SEVERITY_LOW"
    HARM_SEVERITY_MEDIUM = "HARM_SEVERITY_MEDIUM"
    HARM_SEVERITY_HIGH = "HARM_SEVERITY_HIGH"


class FinishReason(CaseInsensitiveEnum):
    """Why a candidate stopped.

    Usage::

        types.FinishReason.STOP
    """

    FINISH_REASON_UNSPECIFIED = "FINISH_REASON_UNSPECIFIED"
    STOP = "STOP"
    MAX_TOKENS = "MAX_TOKENS"
    SAFETY = "SAFETY"
    RECITATION = "RECITATION"
    LANGUAGE = "LANGUAGE"
    OTHER = "OTHER"
    BLOCKLIST = "BLOCKLIST"
    PROHIBITED_CONTENT = "PROHIBITED_CONTENT"
    SPII = "SPII"
    MALFORMED_FUNCTION_CALL = "MALFORMED_FUNCTION_CALL"
    IMAGE_SAFETY = "IMAGE_SAFETY"
    IMAGE_PROHIBITED_CONTENT = "IMAGE_PROHIBITED_CONTENT"
    IMAGE_OTHER = "IMAGE_OTHER"
    NO_IMAGE = "NO_IMAGE"
    IMAGE_RECITATION = "IMAGE_RECITATION"
    UNEXPECTED_TOOL_CALL = "UNEXPECTED_TOOL_CALL"
    TOO_MANY_TOOL_CALLS = "TOO_MANY_TOOL_CALLS"
    MISSING_THOUGHT_SIGNATURE = "MISSING_THOUGHT_SIGNATURE"
    MALFORMED_RESPONSE = "MALFORMED_RESPONSE"
    ESCALATION = "ESCALATION"
    PUP_LIMITED_DISABLED = "PUP_LIMITED_DISABLED"
    CONTINUATION = "CONTINUATION"
    MODEL_ARMOR = "MODEL_ARMOR"


class BlockedReason(CaseInsensitiveEnum):
    """Why a prompt was blocked.

    Usage::

        types.BlockedReason.SAFETY
    """

    BLOCKED_REASON_UNSPECIFIED = "BLOCKED_REASON_UNSPECIFIED"
    SAFETY = "SAFETY"
    OTHER = "OTHER"
    BLOCKLIST = "BLOCKLIST"
    PROHIBITED_CONTENT = "PROHIBITED_CONTENT"
    IMAGE_SAFETY = "IMAGE_SAFETY"
    MODEL_ARMOR = "MODEL_ARMOR"
    JAILBREAK = "JAILBREAK"


class Modality(CaseInsensitiveEnum):
    """A content modality.

    Usage::

        types.Modality.TEXT
    """

    MODALITY_UNSPECIFIED = "MODALITY_UNSPECIFIED"
    TEXT = "TEXT"
    IMAGE = "IMAGE"
    AUDIO = "AUDIO"
    VIDEO = "VIDEO"


class MediaResolution(CaseInsensitiveEnum):
    """Resolution used for media input.

    Usage::

        types.MediaResolution.MEDIA_RESOLUTION_LOW
    """

    MEDIA_RESOLUTION_UNSPECIFIED = "MEDIA_RESOLUTION_UNSPECIFIED"
    MEDIA_RESOLUTION_LOW = "MEDIA_RESOLUTION_LOW"
    MEDIA_RESOLUTION_MEDIUM = "MEDIA_RESOLUTION_MEDIUM"
    MEDIA_RESOLUTION_HIGH = "MEDIA_RESOLUTION_HIGH"


class FunctionCallingConfigMode(CaseInsensitiveEnum):
    """How the model may call functions.

    Usage::

        types.FunctionCallingConfigMode.AUTO
    """

    MODE_UNSPECIFIED = "MODE_UNSPECIFIED"
    AUTO = "AUTO"
    ANY = "ANY"
    NONE = "NONE"
    VALIDATED = "VALIDATED"


class Language(CaseInsensitiveEnum):
    """Programming language of executable code.

    Usage::

        types.Language.PYTHON
    """

    LANGUAGE_UNSPECIFIED = "LANGUAGE_UNSPECIFIED"
    PYTHON = "PYTHON"


class Outcome(CaseInsensitiveEnum):
    """Result of a code execution.

    Usage::

        types.Outcome.OUTCOME_OK
    """

    OUTCOME_UNSPECIFIED = "OUTCOME_UNSPECIFIED"
    OUTCOME_OK = "OUTCOME_OK"
    OUTCOME_FAILED = "OUTCOME_FAILED"
    OUTCOME_DEADLINE_EXCEEDED = "OUTCOME_DEADLINE_EXCEEDED"


class ThinkingLevel(CaseInsensitiveEnum):
    """Amount of thinking for models that support levels.

    Usage::

        types.ThinkingLevel.MINIMAL
    """

    THINKING_LEVEL_UNSPECIFIED = "THINKING_LEVEL_UNSPECIFIED"
    MINIMAL = "MINIMAL"
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    XHIGH = "XHIGH"


class TrafficType(CaseInsensitiveEnum):
    """Traffic type of a request (Vertex AI).

    Usage::

        types.TrafficType.ON_DEMAND
    """

    TRAFFIC_TYPE_UNSPECIFIED = "TRAFFIC_TYPE_UNSPECIFIED"
    ON_DEMAND = "ON_DEMAND"
    ON_DEMAND_PRIORITY = "ON_DEMAND_PRIORITY"
    ON_DEMAND_FLEX = "ON_DEMAND_FLEX"
    ON_DEMAND_OFFPEAK = "ON_DEMAND_OFFPEAK"
    PROVISIONED_THROUGHPUT = "PROVISIONED_THROUGHPUT"


class DynamicRetrievalConfigMode(CaseInsensitiveEnum):
    """Mode of dynamic retrieval.

    Usage::

        types.DynamicRetrievalConfigMode.MODE_DYNAMIC
    """

    MODE_UNSPECIFIED = "MODE_UNSPECIFIED"
    MODE_DYNAMIC = "MODE_DYNAMIC"


class Behavior(CaseInsensitiveEnum):
    """Whether a function blocks the conversation.

    Usage::

        types.Behavior.BLOCKING
    """

    UNSPECIFIED = "UNSPECIFIED"
    BLOCKING = "BLOCKING"
    NON_BLOCKING = "NON_BLOCKING"


class FeatureSelectionPreference(CaseInsensitiveEnum):
    """Model selection preference (Vertex AI).

    Usage::

        types.FeatureSelectionPreference.PRIORITIZE_QUALITY
    """

    FEATURE_SELECTION_PREFERENCE_UNSPECIFIED = "FEATURE_SELECTION_PREFERENCE_UNSPECIFIED"
    PRIORITIZE_QUALITY = "PRIORITIZE_QUALITY"
    BALANCED = "BALANCED"
    PRIORITIZE_COST = "PRIORITIZE_COST"


class ServiceTier(CaseInsensitiveEnum):
    """Service tier of a request.

    Usage::

        types.ServiceTier.FLEX
    """

    UNSPECIFIED = "unspecified"
    FLEX = "flex"
    STANDARD = "standard"
    PRIORITY = "priority"


class FunctionResponseScheduling(CaseInsensitiveEnum):
    """When a non-blocking function response is handled.

    Usage::

        types.FunctionResponseScheduling.SILENT
    """

    SCHEDULING_UNSPECIFIED = "SCHEDULING_UNSPECIFIED"
    SILENT = "SILENT"
    WHEN_IDLE = "WHEN_IDLE"
    INTERRUPT = "INTERRUPT"


class Environment(CaseInsensitiveEnum):
    """Environment of a computer-use tool.

    Usage::

        types.Environment.ENVIRONMENT_BROWSER
    """

    ENVIRONMENT_UNSPECIFIED = "ENVIRONMENT_UNSPECIFIED"
    ENVIRONMENT_BROWSER = "ENVIRONMENT_BROWSER"
    ENVIRONMENT_MOBILE = "ENVIRONMENT_MOBILE"
    ENVIRONMENT_DESKTOP = "ENVIRONMENT_DESKTOP"


class UrlRetrievalStatus(CaseInsensitiveEnum):
    """Status of a URL retrieved by the URL context tool.

    Usage::

        types.UrlRetrievalStatus.URL_RETRIEVAL_STATUS_SUCCESS
    """

    URL_RETRIEVAL_STATUS_UNSPECIFIED = "URL_RETRIEVAL_STATUS_UNSPECIFIED"
    URL_RETRIEVAL_STATUS_SUCCESS = "URL_RETRIEVAL_STATUS_SUCCESS"
    URL_RETRIEVAL_STATUS_ERROR = "URL_RETRIEVAL_STATUS_ERROR"
    URL_RETRIEVAL_STATUS_PAYWALL = "URL_RETRIEVAL_STATUS_PAYWALL"
    URL_RETRIEVAL_STATUS_UNSAFE = "URL_RETRIEVAL_STATUS_UNSAFE"


class PartMediaResolutionLevel(CaseInsensitiveEnum):
    """Per-part media resolution level.

    Usage::

        types.PartMediaResolutionLevel.MEDIA_RESOLUTION_LOW
    """

    MEDIA_RESOLUTION_UNSPECIFIED = "MEDIA_RESOLUTION_UNSPECIFIED"
    MEDIA_RESOLUTION_LOW = "MEDIA_RESOLUTION_LOW"
    MEDIA_RESOLUTION_MEDIUM = "MEDIA_RESOLUTION_MEDIUM"
    MEDIA_RESOLUTION_HIGH = "MEDIA_RESOLUTION_HIGH"
    MEDIA_RESOLUTION_ULTRA_HIGH = "MEDIA_RESOLUTION_ULTRA_HIGH"
