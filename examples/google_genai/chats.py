"""google-genai's README chat snippets, with only the import changed.

Run against the API with GEMINI_API_KEY set, or against the embedded server:
``genai-async serve-mock`` in one shell, then
``GEMINI_API_KEY=k GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:8765 python examples/google_genai/chats.py``.
"""

import asyncio

import genai_async as genai

client = genai.Client()

# Send Message (Synchronous Non-Streaming)
chat = client.chats.create(model="gemini-3.8-flash")
response = chat.send_message("tell me a story")
print(response.text)
response = chat.send_message("summarize the story you told me in 1 sentence")
print(response.text)

# Send Message (Synchronous Streaming)
chat = client.chats.create(model="gemini-3.8-flash")
for chunk in chat.send_message_stream("tell me a story"):
    print(chunk.text)


async def main() -> None:
    # Send Message (Asynchronous Non-Streaming)
    chat = client.aio.chats.create(model="gemini-3.8-flash")
    response = await chat.send_message("tell me a story")
    print(response.text)

    # Send Message (Asynchronous Streaming)
    chat = client.aio.chats.create(model="gemini-3.8-flash")
    async for chunk in await chat.send_message_stream("tell me a story"):
        print(chunk.text)
    print(len(chat.get_history()), "contents in the history")
    await client.aio.aclose()


asyncio.run(main())
client.close()
