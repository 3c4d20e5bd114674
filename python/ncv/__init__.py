"""ncv: pre-silicon co-simulation and verification environment for an AI-accelerator sled."""

import os as _os
from pathlib import Path as _Path

__version__ = "0.1.0"

# Compiled extension modules (ncv._sim) live in the CMake build tree, not in the source
# tree: extend this package's search path with the build tree of the active preset.
_bd = _os.environ.get("NCV_BUILD_DIR") or str(
    _Path(__file__).resolve().parents[2] / "build" / _os.environ.get("NCV_PRESET", "default")
)
__path__.append(str(_Path(_bd) / "python" / "ncv"))  # noqa: F821 (package __path__)
