"""Where things are: the repository, the build tree, run outputs."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def preset() -> str:
    return os.environ.get("NCV_PRESET", "default")


def build_dir() -> Path:
    return Path(os.environ.get("NCV_BUILD_DIR", REPO / "build" / preset())).resolve()


def out_dir() -> Path:
    """Root of run and regression outputs (override with NCV_OUT)."""
    return Path(os.environ.get("NCV_OUT", REPO / "out"))
