"""Where a project's files are: the book's sources, the build folder and what is in it.

One place for the project's paths, shared by the stages that read or write them (the book, the
reports, the pipeline, publishing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import release

PDF_NAME = "book.pdf"


@dataclass(frozen=True)
class BookPaths:
    project: Path  # the folder holding _config.yml, book/, pipelines/

    @property
    def book(self) -> Path:
        return self.project / "book"

    @property
    def generated(self) -> Path:
        return self.book / "generated"

    @property
    def build(self) -> Path:
        return self.project / "_build"

    @property
    def versions(self) -> Path:
        """One folder per build (:mod:`release`); ``current`` links the published one."""
        return self.build / release.VERSIONS

    @property
    def cache(self) -> Path:
        """Executed notebooks by run key (:mod:`runkey`)."""
        return self.build / "cache"

    @property
    def prepared(self) -> Path:
        """Validated projects by the digest of their input files, shared by a build's reports."""
        return self.cache / "projects"

    @property
    def failed(self) -> Path:
        """The last build's failed notebooks, with the error at the cell that failed."""
        return self.build / "failed"

    @property
    def published_key(self) -> Path:
        """The book keys the published HTML and PDF were built from (a link into the published version)."""
        return self.build / "published.json"

    @property
    def html(self) -> Path:
        return self.build / "html"

    @property
    def pdf(self) -> Path:
        return self.build / "pdf" / PDF_NAME
