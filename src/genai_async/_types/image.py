"""``Image``: an image's bytes or Cloud Storage URI and MIME type (``save``, ``show``).

A leaf of the types package: contents (``Part.as_image``), Imagen and Veo use it.
"""

from __future__ import annotations

import importlib
import io
import mimetypes
import os
import pathlib
import sys
import urllib.parse
from typing import Any, TypedDict

from .base import RequestModel, WireBytes

__all__ = ("Image", "ImageDict")


class Image(RequestModel):
    """An image: its bytes or a Cloud Storage URI, and its MIME type.

    Usage::

        image = types.Image.from_file("cat.png")
        response.generated_images[0].image.save("out.png")
    """

    image_bytes: WireBytes | None = None
    gcs_uri: str | None = None
    mime_type: str | None = None

    @classmethod
    def from_file(cls, location: str | os.PathLike[str], mime_type: str | None = None) -> Image:
        """An image read from a local file, or one that refers to a Cloud Storage object
        (``gs://bucket/name`` or ``https://storage.googleapis.com/bucket/name``). The MIME
        type of a local file is guessed from its name when not given."""
        text = os.fspath(location)
        url = urllib.parse.urlparse(text)
        if url.scheme == "https" and url.netloc == "storage.googleapis.com":
            return cls(gcs_uri="gs://" + urllib.parse.unquote(url.path).lstrip("/"))
        if url.scheme == "gs":
            return cls(gcs_uri=text)
        data = pathlib.Path(text).read_bytes()
        if mime_type is None:
            mime_type = mimetypes.guess_type(text)[0]
        return cls(image_bytes=data, mime_type=mime_type)

    def save(self, location: str | os.PathLike[str]) -> None:
        """Write the image bytes to a local file."""
        if self.image_bytes is None:
            raise ValueError("the image has no image_bytes to save")
        pathlib.Path(location).write_bytes(self.image_bytes)

    def show(self) -> None:
        """Display the image: inline in a notebook, else in the system viewer (needs Pillow)."""
        if self.image_bytes is None:
            raise ValueError("the image has no image_bytes to show")
        try:
            pil_image: Any = importlib.import_module("PIL.Image")
        except ImportError:
            raise ImportError(
                "Image.show() needs Pillow, which is not installed: pip install pillow"
            ) from None
        picture = pil_image.open(io.BytesIO(self.image_bytes))
        if "ipykernel" in sys.modules:
            try:
                display: Any = importlib.import_module("IPython.display")
            except ImportError:
                pass
            else:
                display.display(picture)
                return
        picture.show()


class ImageDict(TypedDict, total=False):
    """The dict form of :class:`Image`."""

    image_bytes: bytes | None
    gcs_uri: str | None
    mime_type: str | None
