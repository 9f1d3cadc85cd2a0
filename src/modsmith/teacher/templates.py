"""Prompt templates: Jinja files shipped with modsmith, each overridable by a user's own file.

A template name like `synth/guide_qa.j2` is looked up in the package; a config field holding a
path to a `.j2` file replaces it. Templates are rendered with `StrictUndefined`, so a misspelt
variable is an error naming the template, not a silently empty prompt.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from modsmith.errors import ModsmithError

PACKAGE_ROOT = Path(__file__).resolve().parents[1]


@cache
def _environment(root: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(root),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
    )


def load_template(default: str, override: str | None = None) -> jinja2.Template:
    """The user's template file when given, else the packaged one (`<subpackage>/prompts/<name>.j2`)."""
    path = Path(override).expanduser() if override else PACKAGE_ROOT / default
    if not path.is_file():
        raise ModsmithError("prompt template not found", where=str(path))
    try:
        return _environment(str(path.parent)).get_template(path.name)
    except jinja2.TemplateSyntaxError as exc:
        raise ModsmithError(f"template syntax error: {exc.message}", where=f"{path}:{exc.lineno}") from None


def render(template: jinja2.Template, **values: Any) -> str:
    """Render, turning a missing variable into a ModsmithError naming the template."""
    try:
        return template.render(**values).strip()
    except jinja2.UndefinedError as exc:
        raise ModsmithError(
            f"template uses an unknown variable: {exc.message}", where=template.filename
        ) from None
