"""Where the bundled banks live, wherever the package is installed or run from."""

from pathlib import Path


def bundled_questions_dir() -> Path:
    # Installed wheels carry the banks inside the package (bot/questions is a link to the
    # top-level questions/ folder in the source tree, copied by the build).
    return Path(__file__).resolve().parent.parent / "questions"
