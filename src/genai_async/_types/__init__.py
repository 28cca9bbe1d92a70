"""The pydantic models behind ``genai_async.types`` (google-genai's names).

Layer: pure data, next to the option models (``_options``); the public facade
is ``genai_async.types``. Nothing here does I/O.
"""
