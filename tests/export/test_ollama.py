"""Jinja chat templates → Ollama Go templates, checked by rendering both (Go's own text/template), and
the Ollama / LM Studio folders `modsmith export ollama` writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chat_models import (  # noqa: F401 (the go_render and tiny_gguf_model fixtures)
    go_render_fixture,
    tiny_gguf_model_fixture,
)
from click.testing import CliRunner

from modsmith.errors import ModsmithError
from modsmith.export.go_template import (
    VERIFY_CONVERSATIONS,
    compare_renders,
    jinja_renderer,
    translate_chat_template,
)
from modsmith.export.ollama_cli import ollama_command
from modsmith.train.chat_format import CHATML_TEMPLATE

# Written for these tests in the shape of the families' templates (BOS, header tokens, role names, trim).
LLAMA3_STYLE = (
    "{{ bos_token }}{% for m in messages %}"
    "{{ '<|start_header_id|>' + m['role'] + '<|end_header_id|>\\n\\n' + m['content'] | trim + '<|eot_id|>' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}"
    "{% endif %}"
)
GEMMA_STYLE = (  # the system text goes into the first user turn
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
    "{% set lead = messages[0]['content'] + '\\n\\n' %}{% set turns = messages[1:] %}"
    "{% else %}{% set lead = '' %}{% set turns = messages %}{% endif %}"
    "{% for m in turns %}{% set role = 'model' if m['role'] == 'assistant' else m['role'] %}"
    "{{ '<start_of_turn>' + role + '\\n' + (lead if loop.first else '') + m['content'] | trim }}"
    "{{ '<end_of_turn>\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}"
)
TEMPLATES = {
    "chatml": (CHATML_TEMPLATE, None, "<|im_end|>", ["<|im_end|>"]),
    "llama3": (LLAMA3_STYLE, "<|begin_of_text|>", "<|eot_id|>", ["<|eot_id|>"]),
    "gemma": (GEMMA_STYLE, "<bos>", "<eos>", ["<end_of_turn>"]),
}
MORE_CONVERSATIONS = [
    [
        {"role": "system", "content": "S"},
        {"role": "user", "content": "U"},
        {"role": "assistant", "content": "A"},
    ],
    [{"role": "user", "content": "x = {'a': 1}\n\ttabbed"}, {"role": "assistant", "content": "ok"}],
    [{"role": "user", "content": "ünïcödé ✓"}],
]
CONVERSATIONS = [(messages, prompt) for messages, prompt in VERIFY_CONVERSATIONS] + [
    (messages, messages[-1]["role"] != "assistant") for messages in MORE_CONVERSATIONS
]


@pytest.mark.parametrize("family", TEMPLATES)
def test_go_template_renders_the_same_prompts_as_the_jinja_template(family, go_render):
    jinja, bos, eos, stops = TEMPLATES[family]
    translated = translate_chat_template(jinja, name=family, bos_token=bos, eos_token=eos)
    render = jinja_renderer(jinja, bos_token=bos, eos_token=eos)
    expected = [render(messages, prompt) for messages, prompt in CONVERSATIONS]
    # Ollama asks for the generation prompt whenever the last turn is not the assistant's.
    rendered = go_render(translated.go, [messages for messages, _ in CONVERSATIONS])
    # The BOS token is not in the Go template: llama.cpp adds it while tokenizing.
    assert translated.pieces.bos == (bos or "")
    assert compare_renders(expected, [translated.pieces.bos + text for text in rendered]) == []
    assert translated.stops == stops


def test_gemma_style_system_text_is_folded_into_the_first_user_turn(go_render):
    jinja, bos, eos, _ = TEMPLATES["gemma"]
    translated = translate_chat_template(jinja, name="gemma", bos_token=bos, eos_token=eos)
    [prompt] = go_render(
        translated.go, [[{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]]
    )
    assert translated.pieces.system == "folded"
    assert prompt == "<start_of_turn>user\nS\n\nU<end_of_turn>\n<start_of_turn>model\n"


def test_a_broken_go_template_is_reported_by_the_checker(go_render):
    translated = translate_chat_template(CHATML_TEMPLATE, name="chatml", eos_token="<|im_end|>")
    broken = translated.go.replace('"<|im_start|>user\\n"', '"<|im_start|>user"')
    assert broken != translated.go
    render = jinja_renderer(CHATML_TEMPLATE, eos_token="<|im_end|>")
    expected = [render(messages, prompt) for messages, prompt in CONVERSATIONS]
    differences = compare_renders(expected, go_render(broken, [messages for messages, _ in CONVERSATIONS]))
    assert len(differences) == len(CONVERSATIONS)  # every conversation has a user turn
    at = expected[0].index("What does Actor_Kill") - 1  # the newline the broken template lost
    assert differences[0] == (
        f"conversation 0 differs at character {at}: "
        "expected '\\nWhat does Actor_Kill do?<|im_', got 'What does Actor_Kill do?<|im_e'"
    )


@pytest.mark.parametrize(
    ("template", "why"),
    [
        # the system text goes after the first user message: not a piece before its turn
        (
            "{% for m in messages %}{% if m['role'] != 'system' %}<|{{ m['role'] }}|>{{ m['content'] }}"
            "{% if loop.index0 == 1 and messages[0]['role'] == 'system' %}\n{{ messages[0]['content'] }}"
            "{% endif %}"
            "</s>{% endif %}{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}",
            "appears 0 times",
        ),
        # a turn counter: the text around a turn depends on its place
        (
            "{% for m in messages %}[{{ loop.index }}]<|{{ m['role'] }}|>{{ m['content'] }}</s>{% endfor %}",
            "first user turn is written unlike the later ones",
        ),
    ],
)
def test_a_template_that_is_not_role_wrapped_is_refused(template, why):
    with pytest.raises(ModsmithError, match=why) as refused:
        translate_chat_template(template, name="odd/tokenizer_config.json")
    assert refused.value.where == "odd/tokenizer_config.json"


def test_a_template_whose_system_turn_differs_from_the_pieces_fails_verification():
    # A date in the system turn only when the system text is long: the probes cannot see it.
    template = CHATML_TEMPLATE.replace(
        "{{- message['content'] + '<|im_end|>\\n' }}",
        "{{- message['content'] + ('\\nToday: 1 May' if message['content'] | length > 12 else '')"
        " + '<|im_end|>\\n' }}",
    )
    with pytest.raises(
        ModsmithError, match="would render .* differently .* first: conversation 0"
    ) as refused:
        translate_chat_template(template, name="dated")
    assert refused.value.where == "dated"


def write_metadata_gguf(path: Path, template: str) -> Path:
    """A GGUF holding only tokenizer metadata: enough for the export, which reads the template from it."""
    import gguf

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_token_list(["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"])
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(4)
    writer.add_chat_template(template)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def modelfile_template(modelfile: str) -> str:
    return re.search(r'^TEMPLATE """(.*?)"""$', modelfile, re.S | re.M).group(1)


def test_export_ollama_writes_a_modelfile_whose_template_renders_like_the_gguf_template(tmp_path, go_render):
    gguf = write_metadata_gguf(tmp_path / "tuned.gguf", CHATML_TEMPLATE)
    out, lmstudio = tmp_path / "ollama", tmp_path / "lmstudio"
    args = [str(gguf), "-o", str(out), "--temperature", "0.2", "--num-ctx", "2048", "--system", "Be brief."]
    result = CliRunner().invoke(ollama_command, [*args, "--lmstudio", str(lmstudio)])
    assert result.exit_code == 0, result.output
    modelfile = (out / "Modelfile").read_text()
    assert modelfile.startswith("FROM ./model.gguf\n")
    for line in ['PARAMETER stop "<|im_end|>"', "PARAMETER temperature 0.2", "PARAMETER repeat_penalty 1.1"]:
        assert line in modelfile.splitlines()
    assert "PARAMETER num_ctx 2048" in modelfile.splitlines()
    assert 'SYSTEM """Be brief."""' in modelfile
    assert (out / "model.gguf").read_bytes() == gguf.read_bytes()
    render = jinja_renderer(CHATML_TEMPLATE)
    expected = [render(messages, prompt) for messages, prompt in CONVERSATIONS]
    rendered = go_render(modelfile_template(modelfile), [messages for messages, _ in CONVERSATIONS])
    assert compare_renders(expected, rendered) == []
    assert (lmstudio / "chat_template.jinja").read_text() == CHATML_TEMPLATE
    assert (lmstudio / "model.gguf").read_bytes() == gguf.read_bytes()
    assert "lms import model.gguf" in (lmstudio / "README.md").read_text()


def test_export_ollama_refuses_a_gguf_without_a_chat_template(tmp_path):
    import gguf

    writer = gguf.GGUFWriter(tmp_path / "bare.gguf", "llama")
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    result = CliRunner().invoke(ollama_command, [str(tmp_path / "bare.gguf"), "-o", str(tmp_path / "out")])
    assert isinstance(result.exception, ModsmithError)
    assert "no chat template" in str(result.exception) and "--tokenizer" in str(result.exception)
    assert not (tmp_path / "out").exists()


def test_export_ollama_reads_the_template_and_special_tokens_of_a_converted_gguf(
    tiny_gguf_model, go_render, tmp_path
):
    from tiny_gguf import CHAT_TEMPLATE

    out = tmp_path / "ollama"
    result = CliRunner().invoke(ollama_command, [str(tiny_gguf_model), "-o", str(out), "--link"])
    assert result.exit_code == 0, result.output
    modelfile = (out / "Modelfile").read_text()
    assert 'PARAMETER stop "</s>"' in modelfile.splitlines()
    assert (out / "model.gguf").resolve() == tiny_gguf_model.resolve()
    render = jinja_renderer(CHAT_TEMPLATE, bos_token="<s>", eos_token="</s>")
    expected = [render(messages, prompt) for messages, prompt in CONVERSATIONS]
    rendered = go_render(modelfile_template(modelfile), [messages for messages, _ in CONVERSATIONS])
    assert compare_renders(expected, ["<s>" + text for text in rendered]) == []  # llama.cpp adds BOS


def test_export_ollama_refuses_a_file_as_its_folder_before_writing_anything(tmp_path):
    gguf = write_metadata_gguf(tmp_path / "tuned.gguf", CHATML_TEMPLATE)
    original = gguf.read_bytes()
    (tmp_path / "notes.txt").write_text("mine")
    cases = [
        (["-o", str(gguf)], "the output is the GGUF file itself", gguf),
        (["-o", str(tmp_path / "out"), "--lmstudio", str(tmp_path / "notes.txt")], "a file is there", None),
    ]
    for args, message, where in cases:
        result = CliRunner().invoke(ollama_command, [str(gguf), *args])
        assert isinstance(result.exception, ModsmithError), result.output
        assert message in str(result.exception)
        assert result.exception.where == str(where or tmp_path / "notes.txt")
    assert gguf.read_bytes() == original and (tmp_path / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "out").exists()  # the Ollama folder waits for the LM Studio one's check


def test_a_rewritten_model_gguf_is_replaced_whole(tmp_path, monkeypatch):
    import shutil

    from modsmith.export.ollama import place_gguf

    gguf = write_metadata_gguf(tmp_path / "tuned.gguf", CHATML_TEMPLATE)
    folder = tmp_path / "ollama"
    folder.mkdir()
    (folder / "model.gguf").write_bytes(b"the previous export")

    def broken_copy(source, target):
        Path(target).write_bytes(b"GGUF half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", broken_copy)
    with pytest.raises(ModsmithError, match="No space left"):
        place_gguf(gguf, folder, link=False)
    assert [p.name for p in folder.iterdir()] == ["model.gguf"]
    assert (folder / "model.gguf").read_bytes() == b"the previous export"
