"""The output folder of an evaluation: new, empty or an earlier evaluation's, never a folder of other files
(they would be mixed with, or overwritten by, the evaluation's)."""

from __future__ import annotations

import re
from pathlib import Path

from modsmith.errors import ModsmithError
from modsmith.evaluation.report import HTML_FILE, MARKDOWN_FILE, PLOTS_DIR
from modsmith.evaluation.report_inputs import ANSWERS_FILE, METRICS_FILE

#: What an evaluation writes into its output folder (with its lock and temporary files).
EVAL_FILES = re.compile(
    rf"{re.escape(ANSWERS_FILE)}|{re.escape(METRICS_FILE)}|{re.escape(MARKDOWN_FILE)}|{re.escape(HTML_FILE)}"
    rf"|{PLOTS_DIR}|\.lock(\.pid)?|\..+\.tmp"
)


def refuse_foreign_output(output: Path) -> None:
    """Refuse an output that is a file, or a folder holding files an evaluation does not write (they would
    be mixed with, or overwritten by, the evaluation's); an earlier evaluation's folder is rewritten."""
    hint = "give a new or empty folder, or an earlier evaluation's"
    if output.exists() and not output.is_dir():
        raise ModsmithError("the output folder is a file", where=str(output), hint=hint)
    if output.is_dir():
        foreign = sorted(p.name for p in output.iterdir() if not EVAL_FILES.fullmatch(p.name))
        if foreign:
            names = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise ModsmithError(
                f"the output folder holds files an evaluation does not write ({names})",
                where=str(output),
                hint=hint,
            )
