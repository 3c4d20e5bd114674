"""Reading YAML inputs (configs, test lists, the test catalogue) with one clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError


def load(path: Path, what: str) -> Any:
    """Parse a YAML file; unreadable or malformed input is a UsageError naming the file,
    and for syntax errors the line and column."""
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise UsageError(f"cannot read {what}: {e.strerror}", path) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise UsageError(f"malformed YAML{where}: {getattr(e, 'problem', e)}", path) from None
