import pytest

pytest.importorskip("torch", reason="the in-process teacher needs torch (modsmith[train])")

from modsmith.errors import ModsmithError  # noqa: E402
from modsmith.teacher import TransformersTeacher, make_teacher  # noqa: E402
from modsmith.teacher.client import ChatRequest, TeacherConfig  # noqa: E402
from tiny_model import make_tiny_chat_model  # noqa: E402


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    return make_tiny_chat_model(tmp_path_factory.mktemp("tiny") / "model")


def _config(model, tmp_path, **kw):
    return TeacherConfig(
        backend="transformers",
        model=str(model),
        cache=str(tmp_path / "c.sqlite"),
        batch_size=3,
        max_new_tokens=8,
        params={"temperature": 0.0},
        **kw,
    )


def test_batched_generation_in_order_and_cached(tiny_model, tmp_path):
    teacher = make_teacher(_config(tiny_model, tmp_path))
    assert isinstance(teacher, TransformersTeacher)
    requests = [ChatRequest([{"role": "user", "content": f"question {i}"}], tag=i) for i in range(7)]
    results = list(teacher.chat_many(requests))
    assert [r.request.tag for r in results] == list(range(7))
    assert all(isinstance(r.content, str) and r.error is None for r in results)
    assert all(0 < r.usage["completion_tokens"] <= 8 for r in results)
    assert teacher.usage.answered == 7
    # the same prompt answers the same in a batch of one and in a batch of three (left padding works)
    alone = make_teacher(_config(tiny_model, tmp_path / "other")).chat(
        [{"role": "user", "content": "question 1"}]
    )
    assert alone.content == results[1].content
    again = make_teacher(_config(tiny_model, tmp_path))
    assert [r.content for r in again.chat_many(requests)] == [r.content for r in results]
    assert again.usage.cache_hits == 7 and again.usage.answered == 0


def test_model_without_chat_template_is_a_user_error(tiny_model, tmp_path):
    import json
    import shutil

    copy = tmp_path / "no-template"
    shutil.copytree(tiny_model, copy)
    config_path = copy / "tokenizer_config.json"
    data = json.loads(config_path.read_text())
    data.pop("chat_template", None)
    config_path.write_text(json.dumps(data))
    (copy / "chat_template.jinja").unlink(missing_ok=True)
    with pytest.raises(ModsmithError, match="no chat template"):
        make_teacher(_config(copy, tmp_path)).chat([{"role": "user", "content": "hi"}])
