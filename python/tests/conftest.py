import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))


def ncv(*args, cwd=REPO, env=None, timeout=900):
    """Runs the ncv CLI as a user would (without re-running the bootstrap)."""
    e = dict(os.environ, PYTHONPATH=str(REPO / "python"), SC_COPYRIGHT_MESSAGE="DISABLE")
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "ncv", *args], cwd=cwd, env=e, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def run_ncv():
    return ncv


@pytest.fixture(scope="session")
def build_dir():
    from ncv import paths

    return paths.build_dir()
