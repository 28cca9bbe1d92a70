"""google-genai's README snippets for compute tokens, Imagen and Veo (Vertex AI).

Only the import changed, with two exceptions: images and videos are saved instead of
shown (``show()`` needs Pillow / a notebook), and the polls sleep less on the
embedded server. Run against Vertex AI with Application Default Credentials, or
against the embedded server as ``tests/test_examples.py`` does.
"""

import os
import time

import genai_async as genai
from genai_async import types
from genai_async.types import MaskReferenceImage, RawReferenceImage

client = genai.Client(vertexai=True, project="your-project-id", location="us-central1")
POLL_SECONDS = float(os.environ.get("EXAMPLE_POLL_SECONDS", "20"))

# Compute Tokens
response = client.models.compute_tokens(
    model="gemini-2.5-flash",
    contents="why is the sky blue?",
)
print(response)

# Generate Images
response1 = client.models.generate_images(
    model="imagen-4.0-generate-001",
    prompt="An umbrella in the foreground, and a rainy night sky in the background",
    config=types.GenerateImagesConfig(
        number_of_images=1,
        include_rai_reason=True,
        output_mime_type="image/jpeg",
    ),
)
response1.generated_images[0].image.save("umbrella.png")

# Upscale Image
response2 = client.models.upscale_image(
    model="imagen-4.0-upscale-preview",
    image=response1.generated_images[0].image,
    upscale_factor="x2",
    config=types.UpscaleImageConfig(
        include_rai_reason=True,
        output_mime_type="image/jpeg",
    ),
)
response2.generated_images[0].image.save("umbrella-x2.png")

# Edit Image
raw_ref_image = RawReferenceImage(
    reference_id=1,
    reference_image=response1.generated_images[0].image,
)
mask_ref_image = MaskReferenceImage(
    reference_id=2,
    config=types.MaskReferenceConfig(
        mask_mode="MASK_MODE_BACKGROUND",
        mask_dilation=0,
    ),
)
response3 = client.models.edit_image(
    model="imagen-3.0-capability-001",
    prompt="Sunlight and clear sky",
    reference_images=[raw_ref_image, mask_ref_image],
    config=types.EditImageConfig(
        edit_mode="EDIT_MODE_INPAINT_INSERTION",
        number_of_images=1,
        include_rai_reason=True,
        output_mime_type="image/jpeg",
    ),
)
response3.generated_images[0].image.save("umbrella-sunny.png")

# Generate Videos (Text to Video)
operation = client.models.generate_videos(
    model="veo-3.1-generate-001",
    source=types.GenerateVideosSource(
        prompt="A neon hologram of a cat driving at top speed",
    ),
    config=types.GenerateVideosConfig(
        number_of_videos=1,
        duration_seconds=5,
        enhance_prompt=True,
    ),
)
while not operation.done:
    time.sleep(POLL_SECONDS)
    operation = client.operations.get(operation)
video = operation.response.generated_videos[0].video
video.save("cat.mp4")

# Generate Videos (Image to Video)
image = types.Image.from_file(location="umbrella.png")
operation = client.models.generate_videos(
    model="veo-3.1-generate-001",
    source=types.GenerateVideosSource(prompt="Night sky", image=image),
    config=types.GenerateVideosConfig(number_of_videos=1, duration_seconds=5, enhance_prompt=True),
)
while not operation.done:
    time.sleep(POLL_SECONDS)
    operation = client.operations.get(operation)
operation.response.generated_videos[0].video.save("night.mp4")
print("videos:", os.path.getsize("cat.mp4") > 0, os.path.getsize("night.mp4") > 0)
client.close()
