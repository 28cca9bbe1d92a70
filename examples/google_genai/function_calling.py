"""google-genai's README function-calling snippets, with only the import changed.

The prompts name the function, so the embedded server's mock model calls it
(see ``chats.py`` for how to run against the API or the embedded server). One
line differs from the README: it reads ``function_call_part.function_call.args``
from a ``FunctionCall``, which has no such attribute in either library.
"""

import genai_async as genai
from genai_async import types

client = genai.Client()


# Automatic Python function Support
def get_current_weather(location: str) -> str:
    """Returns the current weather.

    Args:
        location: The city and state, e.g. San Francisco, CA
    """
    return "sunny"


response = client.models.generate_content(
    model="gemini-3.8-flash",
    contents="What is the weather like in Boston? Use get_current_weather.",
    config=types.GenerateContentConfig(tools=[get_current_weather]),
)
print(response.text)

# Disabling automatic function calling
response = client.models.generate_content(
    model="gemini-3.8-flash",
    contents="What is the weather like in Boston? Use get_current_weather.",
    config=types.GenerateContentConfig(
        tools=[get_current_weather],
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
    ),
)
function_calls: list[types.FunctionCall] | None = response.function_calls
print(function_calls)

# Manually declare and invoke a function for function calling
function = types.FunctionDeclaration(
    name="get_current_weather",
    description="Get the current weather in a given location",
    parameters_json_schema={
        "type": "object",
        "properties": {
            "location": {
                "type": "string",
                "description": "The city and state, e.g. San Francisco, CA",
            }
        },
        "required": ["location"],
    },
)
tool = types.Tool(function_declarations=[function])
response = client.models.generate_content(
    model="gemini-3.8-flash",
    contents="What is the weather like in Boston? Use get_current_weather.",
    config=types.GenerateContentConfig(tools=[tool]),
)
print(response.function_calls[0])

user_prompt_content = types.Content(
    role="user",
    parts=[types.Part.from_text(text="What is the weather like in Boston?")],
)
function_call = response.function_calls[0]
function_call_content = response.candidates[0].content
try:
    function_result = get_current_weather(**function_call.args)
    function_response = {"result": function_result}
except Exception as e:  # instead of raising the exception, you can let the model handle it
    function_response = {"error": str(e)}
function_response_part = types.Part.from_function_response(
    name=function_call.name,
    response=function_response,
)
function_response_content = types.Content(role="tool", parts=[function_response_part])
response = client.models.generate_content(
    model="gemini-3.8-flash",
    contents=[user_prompt_content, function_call_content, function_response_content],
    config=types.GenerateContentConfig(tools=[tool]),
)
print(response.text)

# Function calling with ANY tools config mode, one automatic turn
response = client.models.generate_content(
    model="gemini-3.8-flash",
    contents="What is the weather like in Boston? Use get_current_weather.",
    config=types.GenerateContentConfig(
        tools=[get_current_weather],
        automatic_function_calling=types.AutomaticFunctionCallingConfig(maximum_remote_calls=2),
        tool_config=types.ToolConfig(
            function_calling_config=types.FunctionCallingConfig(mode="ANY")
        ),
    ),
)
print(response.text)
client.close()
