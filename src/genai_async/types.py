"""Public types, named as in ``google.genai.types``."""

from __future__ import annotations

from ._options import HttpOptions as HttpOptions
from ._options import HttpRetryOptions as HttpRetryOptions
from ._options import ResourceScope as ResourceScope

__all__ = ("HttpOptions", "HttpRetryOptions", "ResourceScope")
