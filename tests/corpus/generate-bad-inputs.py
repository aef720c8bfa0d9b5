#!/usr/bin/env python3
"""Writes the malformed-input corpus under tests/corpus/bad-inputs/ and its index, cases.json.

Run once (python3 tests/corpus/generate-bad-inputs.py) after changing a case; the files it writes are committed, so the
tests never need Python. The 50 MB line case is not here: the tests generate it into a temporary folder.

Each case: the file (relative to bad-inputs/), its role in Invoke-Eval360Benchmark (InputFile, ModelProfile,
JudgeProfile), the kind to validate it as (Scenario, Model, Judge), the line of the expected error (0 when the whole
file is at fault), its field ("" when the whole line is at fault) and a substring of its message.
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "bad-inputs")

GOOD = '{"text_prompt": "What is 2+2?", "expected_output_tokens": 50, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "4"}'
GOOD2 = '{"text_prompt": "Name a primary colour.", "expected_output_tokens": 20, "task": {"task_type": "QA", "task_criteria": "Any primary colour"}, "golden_answer": "Red"}'
MODEL = '{"model_id": "sim/swift-mini", "region": "sim-local-1", "input_token_cost": 0.00015, "output_token_cost": 0.0006}'
MODEL2 = '{"model_id": "sim/balanced-pro", "region": "sim-local-1", "input_token_cost": 0.001, "output_token_cost": 0.004}'
JUDGE = '{"model_id": "sim/judge-strict", "region": "sim-local-1", "input_cost_per_1k": 0.003, "output_cost_per_1k": 0.015}'
JUDGE2 = '{"model_id": "sim/judge-fair", "region": "sim-local-1", "input_cost_per_1k": 0.0025, "output_cost_per_1k": 0.0125}'

cases = []
files = {}


def scenario(**fields):
    """A scenario line: GOOD's fields with some replaced (value None removes the field); values are raw JSON text."""
    base = {
        "text_prompt": '"What is 2+2?"',
        "expected_output_tokens": "50",
        "task": '{"task_type": "QA", "task_criteria": "Correct"}',
        "golden_answer": '"4"',
    }
    for name, value in fields.items():
        if value is None:
            base.pop(name, None)
        else:
            base[name] = value
    return "{" + ", ".join(f'"{k}": {v}' for k, v in base.items()) + "}"


def profile(base_line, **fields):
    """A profile line from a good one, fields replaced (None removes); values are raw JSON text."""
    parsed = json.loads(base_line)
    raw = {k: json.dumps(v) for k, v in parsed.items()}
    for name, value in fields.items():
        if value is None:
            raw.pop(name, None)
        else:
            raw[name] = value
    return "{" + ", ".join(f'"{k}": {v}' for k, v in raw.items()) + "}"


def case(file, role, kind, line, field, message, content):
    """content: str (written as UTF-8, LF line ends, final newline) or bytes (written as they are)."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    files[file] = content
    cases.append({"file": file, "role": role, "kind": kind, "line": line, "field": field, "message": message})


def lines(*items, final_newline=True):
    return "\n".join(items) + ("\n" if final_newline else "")


def run(name, line, field, message, content):
    case(f"runs/{name}.jsonl", "InputFile", "Scenario", line, field, message, content)


def model(name, line, field, message, content):
    case(f"models/{name}.jsonl", "ModelProfile", "Model", line, field, message, content)


def judge(name, line, field, message, content):
    case(f"judges/{name}.jsonl", "JudgeProfile", "Judge", line, field, message, content)


def csv(name, line, field, message, content):
    case(f"csv/{name}.csv", "InputFile", "Scenario", line, field, message, content)


# --- Scenario files: JSON syntax ---------------------------------------------------------------------------------
run("broken-json-line-3", 3, "", "is not valid JSON",
    lines(GOOD, GOOD2, '{"text_prompt": "Half a line", "task": {"task_type": "QA"', GOOD, GOOD2))
run("trailing-comma-line-2", 2, "", "is not valid JSON",
    lines(GOOD, scenario()[:-1] + ",}", GOOD2))
run("crlf-blank-lines-broken-json-line-5", 5, "", "is not valid JSON",
    (GOOD + "\r\n\r\n" + GOOD2 + "\r\n   \r\n" + "{oops}\r\n" + GOOD + "\r\n").encode("utf-8"))
run("array-line-2", 2, "", "must be a JSON object, found an array", lines(GOOD, '["What is 2+2?", "4"]', GOOD2))
run("string-line-2", 2, "", "must be a JSON object, found a string", lines(GOOD, '"What is 2+2?"', GOOD2))
run("number-line-2", 2, "", "must be a JSON object, found a number", lines(GOOD, "42", GOOD2))
run("nested-100-levels-line-2", 2, "", "is not valid JSON",
    lines(GOOD, scenario(golden_answer='{"a": ' * 100 + '"deep"' + "}" * 100), GOOD2))

# --- Scenario files: wrong types ---------------------------------------------------------------------------------
run("text-prompt-number", 1, "text_prompt", "must be a string, found a number", lines(scenario(text_prompt="42")))
run("text-prompt-array", 1, "text_prompt", "must be a string, found an array",
    lines(scenario(text_prompt='["What is", "2+2?"]')))
run("expected-output-tokens-string", 1, "expected_output_tokens", "must be a number, found a string",
    lines(scenario(expected_output_tokens='"50"')))
run("expected-output-tokens-fraction", 1, "expected_output_tokens", "is 50.5, must be a whole number between 1 and 1000000",
    lines(scenario(expected_output_tokens="50.5")))
run("expected-output-tokens-zero", 1, "expected_output_tokens", "is 0, must be a whole number between 1 and 1000000",
    lines(scenario(expected_output_tokens="0")))
run("expected-output-tokens-negative", 1, "expected_output_tokens", "is -5, must be a whole number between 1 and 1000000",
    lines(scenario(expected_output_tokens="-5")))
run("expected-output-tokens-2e9", 1, "expected_output_tokens", "is 2000000000, must be a whole number between 1 and 1000000",
    lines(scenario(expected_output_tokens="2e9")))
run("expected-output-tokens-1e400", 1, "expected_output_tokens", "is 1e400, too large to be a number",
    lines(scenario(expected_output_tokens="1e400")))
run("temperature-string", 1, "temperature", "must be a number, found a string",
    lines(scenario(temperature='"0.5"')))
run("temperature-negative", 1, "temperature", "is -0.1, must be a number between 0 and 2", lines(scenario(temperature="-0.1")))
run("temperature-too-high", 1, "temperature", "is 2.5, must be a number between 0 and 2", lines(scenario(temperature="2.5")))
run("task-as-string", 1, "task", "must be an object, found a string", lines(scenario(task='"QA"')))
run("task-type-number", 1, "task.task_type", "must be a string, found a number",
    lines(scenario(task='{"task_type": 7, "task_criteria": "Correct"}')))
run("golden-answer-number", 1, "golden_answer", "must be a string, found a number", lines(scenario(golden_answer="4")))
run("user-defined-metrics-number", 1, "user_defined_metrics",
    "must be a comma-separated string or an array of strings, found a number",
    lines(scenario(user_defined_metrics="5")))
run("user-defined-metrics-array-of-numbers", 1, "user_defined_metrics",
    "must be a comma-separated string or an array of strings, found an array",
    lines(scenario(user_defined_metrics="[1, 2]")))
run("url-image-number", 1, "url_image", "must be a string, found a number", lines(scenario(url_image="5")))

# --- Scenario files: missing and empty fields --------------------------------------------------------------------
run("missing-text-prompt-line-2", 2, "text_prompt", "is required", lines(GOOD, scenario(text_prompt=None), GOOD2))
run("missing-task", 1, "task", "is required", lines(scenario(task=None)))
run("missing-task-type", 1, "task.task_type", "is required",
    lines(scenario(task='{"task_criteria": "Correct"}')))
run("missing-task-criteria", 1, "task.task_criteria", "is required", lines(scenario(task='{"task_type": "QA"}')))
run("empty-text-prompt", 1, "text_prompt", "must not be empty", lines(scenario(text_prompt='""')))
run("whitespace-task-type", 1, "task.task_type", "must not be empty",
    lines(scenario(task='{"task_type": "   ", "task_criteria": "Correct"}')))
run("empty-task-criteria", 1, "task.task_criteria", "must not be empty",
    lines(scenario(task='{"task_type": "QA", "task_criteria": ""}')))
run("prompt-instead-of-text-prompt", 1, "text_prompt", "this line has 'prompt'",
    lines('{"prompt": "What is 2+2?", "expected_output_tokens": 50, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "4"}'))
run("null-text-prompt", 1, "text_prompt", "is required", lines(scenario(text_prompt="null")))

# --- Scenario files: images (fixtures live beside the scenario files) ---------------------------------------------
run("image-does-not-exist", 1, "url_image", "does not exist", lines(scenario(url_image='"no-such-image.png"')))
run("image-is-a-folder", 1, "url_image", "is a folder, not an image file", lines(scenario(url_image='"folder.png"')))
run("image-is-not-an-image", 1, "url_image", "is not a JPG, PNG, GIF, WebP or BMP image",
    lines(scenario(url_image='"not-an-image.png"')))
run("image-traverses-outside", 1, "url_image", "points outside the scenario file's folder",
    lines(scenario(url_image='"../images/cat.png"')))
run("image-ftp-scheme", 1, "url_image", "uses the unsupported scheme 'ftp:'",
    lines(scenario(url_image='"ftp://example.com/cat.png"')))
run("image-path-with-nul", 1, "url_image", "contains a NUL character",
    lines(scenario(url_image='"cat\\u0000.png"')))
run("image-data-uri-not-image", 1, "url_image", "is a data: URI but not a base64 image",
    lines(scenario(url_image='"data:text/plain;base64,aGVsbG8="')))

# --- Scenario files: whole-file and encoding problems -------------------------------------------------------------
run("empty", 0, "", "is empty", b"")
run("whitespace-only", 0, "", "is empty", b"  \n\t\n   \r\n\n")
run("bom-only", 0, "", "is empty", b"\xef\xbb\xbf")
run("utf16le-with-bom", 1, "", "is UTF-16 encoded",
    b"\xff\xfe" + lines(GOOD, GOOD2).encode("utf-16-le"))
run("utf16be-with-bom", 1, "", "is UTF-16 encoded",
    b"\xfe\xff" + lines(GOOD, GOOD2).encode("utf-16-be"))
run("utf16le-without-bom", 1, "", "looks UTF-16 encoded", lines(GOOD, GOOD2).encode("utf-16-le"))
run("utf16be-without-bom", 1, "", "looks UTF-16 encoded", lines(GOOD, GOOD2).encode("utf-16-be"))
run("utf32le-with-bom", 1, "", "is UTF-32 encoded", b"\xff\xfe\x00\x00" + lines(GOOD).encode("utf-32-le"))
run("invalid-utf8-line-2", 2, "", "is not valid UTF-8",
    lines(GOOD).encode() + scenario(golden_answer='"caf\u00e9"').encode().replace("\u00e9".encode(), b"\xc3\x28") + b"\n" + lines(GOOD2).encode())
run("latin1-line-2", 2, "", "is not valid UTF-8",
    lines(GOOD).encode() + scenario(golden_answer='"caf\u00e9"').encode("latin-1") + b"\n" + lines(GOOD2).encode())
run("bom-at-start-of-line-2", 2, "", "starts with a byte-order mark",
    lines(GOOD).encode() + b"\xef\xbb\xbf" + lines(GOOD2).encode())
run("nul-byte-line-2", 2, "", "is not valid JSON",
    lines(GOOD).encode() + scenario(golden_answer='"4\x00"').encode() + b"\n" + lines(GOOD2).encode())

# --- Model profiles -----------------------------------------------------------------------------------------------
model("broken-json-line-2", 2, "", "is not valid JSON", lines(MODEL, profile(MODEL2)[:-1] + ",}", '{"model_id": "sim/scholar-ultra", "region": "sim-local-1", "input_token_cost": 0.003, "output_token_cost": 0.015}'))
model("missing-model-id", 2, "model_id", "is required", lines(MODEL, profile(MODEL2, model_id=None)))
model("empty-model-id", 1, "model_id", "must not be empty", lines(profile(MODEL, model_id='""')))
model("model-id-number", 1, "model_id", "must be a string, found a number", lines(profile(MODEL, model_id="42")))
model("model-id-prefix-only", 1, "model_id", "'sim/' names no model after 'sim/'", lines(profile(MODEL, model_id='"sim/"')))
model("model-id-leading-slash", 1, "model_id", "'/gpt-4o' has no provider prefix", lines(profile(MODEL, model_id='"/gpt-4o"')))
model("unknown-provider-prefix", 1, "model_id", "unknown provider prefix 'foo/'",
    lines(profile(MODEL, model_id='"foo/bar"')))
model("no-provider-prefix", 1, "model_id", "has no provider prefix", lines(profile(MODEL, model_id='"gpt-4o"')))
model("missing-input-token-cost", 1, "input_token_cost", "is required", lines(profile(MODEL, input_token_cost=None)))
model("missing-output-token-cost", 1, "output_token_cost", "is required", lines(profile(MODEL, output_token_cost=None)))
model("negative-input-token-cost", 1, "input_token_cost", "must not be negative",
    lines(profile(MODEL, input_token_cost="-0.001")))
model("negative-output-token-cost", 2, "output_token_cost", "must not be negative",
    lines(MODEL, profile(MODEL2, output_token_cost="-1")))
model("input-token-cost-too-large", 1, "input_token_cost", "too large to be a number",
    lines(profile(MODEL, input_token_cost="1" + "0" * 400)))
model("input-token-cost-string", 1, "input_token_cost", "must be a number, found a string",
    lines(profile(MODEL, input_token_cost='"0.00015"')))
model("output-token-cost-string", 1, "output_token_cost", "must be a number, found a string",
    lines(profile(MODEL, output_token_cost='"$0.0006"')))
model("bedrock-without-region", 1, "region", "is required",
    lines('{"model_id": "bedrock/us.amazon.nova-2-lite-v1:0", "input_token_cost": 0.00006, "output_token_cost": 0.00024}'))
model("bad-region", 1, "region", "is not a region name", lines(profile(MODEL, region='"US West 2"')))
model("bad-service-tier", 1, "service_tier", "'turbo' is not a service tier",
    lines(profile(MODEL, service_tier='"turbo"')))
model("target-rpm-zero", 1, "target_rpm", "must be greater than 0", lines(profile(MODEL, target_rpm="0")))
model("target-rpm-negative", 1, "target_rpm", "must be greater than 0", lines(profile(MODEL, target_rpm="-10")))
model("target-rpm-string", 1, "target_rpm", "must be a number, found a string", lines(profile(MODEL, target_rpm='"60"')))
model("endpoint-not-a-url", 1, "endpoint", "is not an absolute http(s) URL",
    lines(profile(MODEL, endpoint='"not a url"')))
model("endpoint-ftp", 1, "endpoint", "is not an absolute http(s) URL",
    lines(profile(MODEL, endpoint='"ftp://example.com/v1"')))
model("openai-compatible-without-endpoint", 1, "endpoint", "is required",
    lines('{"model_id": "openai-compatible/llama3", "input_token_cost": 0.0001, "output_token_cost": 0.0002}'))
# Either spelling of a price is accepted in either file (so Test-Eval360Config and both roles agree); both at once is not.
model("both-price-spellings", 1, "input_cost_per_1k", "gives the same price as 'input_token_cost'",
    lines('{"model_id": "sim/swift-mini", "region": "sim-local-1", "input_token_cost": 0.00015, "input_cost_per_1k": 0.00015, "output_token_cost": 0.0006}'))
model("duplicate-model-line-2", 2, "model_id", "is listed twice (first on line 1)", lines(MODEL, MODEL, MODEL2))
model("api-key-in-api-key-env", 1, "api_key_env", "is not an environment variable name",
    lines(profile(MODEL, api_key_env='"sk-proj-0123456789abcdefghijklmnop"')))
model("empty", 0, "", "is empty", b"")
model("scenario-line-in-model-file", 1, "model_id", "is required", lines(GOOD))

# --- Judge profiles -----------------------------------------------------------------------------------------------
judge("both-price-spellings", 2, "output_token_cost", "gives the same price as 'output_cost_per_1k'",
    lines(JUDGE, '{"model_id": "sim/judge-fair", "region": "sim-local-1", "input_cost_per_1k": 0.0025, "output_cost_per_1k": 0.0125, "output_token_cost": 0.0125}'))
judge("missing-input-cost-per-1k", 2, "input_cost_per_1k", "is required", lines(JUDGE, profile(JUDGE2, input_cost_per_1k=None)))
judge("missing-output-cost-per-1k", 1, "output_cost_per_1k", "is required", lines(profile(JUDGE, output_cost_per_1k=None)))
judge("negative-cost", 1, "output_cost_per_1k", "must not be negative", lines(profile(JUDGE, output_cost_per_1k="-0.015")))
judge("cost-as-string", 1, "input_cost_per_1k", "must be a number, found a string",
    lines(profile(JUDGE, input_cost_per_1k='"0.003"')))
judge("unknown-provider-prefix", 1, "model_id", "unknown provider prefix 'gpt/'", lines(profile(JUDGE, model_id='"gpt/4o"')))
judge("no-provider-prefix", 1, "model_id", "has no provider prefix", lines(profile(JUDGE, model_id='"claude-3-haiku"')))
judge("bedrock-without-region", 1, "region", "is required",
    lines('{"model_id": "bedrock/anthropic.claude-3-haiku", "input_cost_per_1k": 0.00025, "output_cost_per_1k": 0.00125}'))
judge("duplicate-judge-line-3", 3, "model_id", "is listed twice (first on line 1)", lines(JUDGE, JUDGE2, JUDGE))
judge("whitespace-only", 0, "", "is empty", b"\n  \n")

# --- Scenario CSV -------------------------------------------------------------------------------------------------
HEADER = "prompt,golden_answer,task_type,task_criteria"
csv("ragged-too-few-cells-line-3", 3, "", "has 2 cells but the header has 4 columns",
    lines(HEADER, "What is 2+2?,4,QA,Correct", "short,row", "Name a primary colour.,Red,QA,Any primary colour"))
csv("ragged-too-many-cells-line-3", 3, "", "has 5 cells but the header has 4 columns",
    lines(HEADER, "What is 2+2?,4,QA,Correct", "What is 3+3?,6,QA,Correct,extra", "Name a primary colour.,Red,QA,Any primary colour"))
csv("ragged-after-quoted-line-break-line-4", 4, "", "has 3 cells but the header has 4 columns",
    lines(HEADER, '"Two\nlines",4,QA,Correct', "What is 3+3?,6,QA"))
csv("unterminated-quote-line-2", 2, "", "has 1 cells but the header has 4 columns",
    lines(HEADER, '"What is 2+2?,4,QA,Correct', "What is 3+3?,6,QA,Correct"))
csv("missing-prompt-column", 1, "text_prompt", "is not a column",
    lines("question,golden_answer,task_type,task_criteria", "What is 2+2?,4,QA,Correct"))
csv("missing-task-criteria-column", 1, "task_criteria", "is not a column",
    lines("text_prompt,golden_answer,task_type", "What is 2+2?,4,QA"))
csv("bad-expected-output-tokens", 2, "expected_output_tokens", "is 'many', must be a whole number between 1 and 1000000",
    lines(HEADER + ",expected_output_tokens", "What is 2+2?,4,QA,Correct,many"))
csv("expected-output-tokens-zero", 3, "expected_output_tokens", "is '0', must be a whole number",
    lines(HEADER + ",expected_output_tokens", "What is 2+2?,4,QA,Correct,50", "What is 3+3?,6,QA,Correct,0"))
csv("bad-temperature", 2, "temperature", "is 'hot', must be a number between 0 and 2",
    lines(HEADER + ",temperature", "What is 2+2?,4,QA,Correct,hot"))
csv("bad-temperature-in-two-line-row-line-2", 2, "temperature", "is 'hot', must be a number between 0 and 2",
    lines(HEADER + ",temperature", '"Two\nlines",4,QA,Correct,hot', "What is 3+3?,6,QA,Correct,0.2"))
csv("empty-prompt-cell", 2, "prompt", "must not be empty", lines(HEADER, ",4,QA,Correct"))
csv("image-traverses-outside", 2, "url_image", "points outside the scenario file's folder",
    lines(HEADER + ",url_image", "Describe it,A cat,Vision,Accurate,../runs/not-an-image.png"))
csv("empty", 0, "", "is empty", b"")

# --- Image fixtures (not cases) -----------------------------------------------------------------------------------
fixtures = {
    "runs/not-an-image.png": b"This is a text file with a .png name; url_image must reject it.\n",
    "runs/folder.png/README.txt": b"A folder named like an image: runs/image-is-a-folder.jsonl points url_image at it.\n",
    # A real (1x1) PNG outside runs/, which runs/image-traverses-outside.jsonl reaches with ../
    "images/cat.png": bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c6360f8cf000000030101001824dd8d0000000049454e44ae426082"),
}


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    names = [c["file"] for c in cases]
    assert len(names) == len(set(names)), "duplicate file names"
    for relative, content in list(files.items()) + list(fixtures.items()):
        path = os.path.join(ROOT, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as stream:
            stream.write(content)
    with open(os.path.join(ROOT, "cases.json"), "w", encoding="utf-8", newline="\n") as stream:
        stream.write("[\n")
        stream.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
        stream.write("\n]\n")
    print(f"{len(cases)} cases, {len(fixtures)} fixtures written to {ROOT}")


if __name__ == "__main__":
    main()
