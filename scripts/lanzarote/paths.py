"""Where things live. Every other module asks here instead of spelling paths itself."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Layout:
    """The project's folders; tests point `root` at a fixture copy."""

    root: Path = REPO

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def schemas(self) -> Path:
        return self.data / "schema"

    @property
    def strings(self) -> Path:
        return self.data / "strings"

    @property
    def help(self) -> Path:
        return self.data / "help"

    @property
    def overrides(self) -> Path:
        return self.root / "overrides"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def rel(self, path: Path | str) -> str:
        """A path as users see it in messages: relative to the project, with forward slashes."""
        try:
            return Path(os.path.relpath(Path(path), self.root)).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def child_page(self, lang: str, band: str, file: str) -> Path:
        return self.docs / lang / band / file

    def start_page(self, lang: str) -> Path:
        return self.docs / lang / "index.md"


def layout_for(root: str | os.PathLike | None = None) -> Layout:
    return Layout(Path(root).resolve()) if root else Layout()
