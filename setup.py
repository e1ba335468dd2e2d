"""Compiles the message catalogues (roster/locale/*/LC_MESSAGES/dutyroster.po -> .mo) whenever
the package is built, so a wheel or `pip install` ships them; the rest is in pyproject.toml."""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):
    """build_py, then the .mo files: into the build folder, or beside the .po files for an
    editable install (which reads the package from the source tree)."""

    def run(self) -> None:
        super().run()
        sys.path.insert(0, str(HERE / "tools"))
        import messages  # tools/messages.py: needs Babel, a build requirement

        if self.editable_mode:
            messages.compile_all()
        else:
            messages.compile_all(Path(self.build_lib) / "roster" / "locale")


setup(cmdclass={"build_py": BuildWithCatalogues})
