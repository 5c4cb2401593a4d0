"""Where a project's files are: the book's sources, the build folder and what is in it.

One place for the project's paths, shared by the stages that read or write them (the book, the
reports, the pipeline, publishing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from councilbook.core import release
from councilbook.core.formats import join_and

PDF_NAME = "book.pdf"

# A project's folders and files, relative to the project (the working folder of the commands).
PARAMETERS = Path("parameters")
SAMPLE_DATA = Path("data/sample")  # the bundled sample council's data: what `make book` reads
SAMPLE_SPEC = Path("data/sample-spec.yml")
SAMPLE_TIDY = Path("data/sample-tidy/jobindsats_sample.csv")
SAMPLE_EXCEL = Path("data/sample/jobindsats_sample.xlsx")
FETCHED_DATA = Path("data/jobindsats")  # tidy CSV files written by `councilbook fetch`
RAW_ANSWERS = Path("data/raw/jobindsats")  # the API's raw answers, never changed
SNAPSHOTS = Path("data/processed")  # the normalised figures of each build
PIPELINES = Path("pipelines")  # the report notebooks and the run manifest
PACKS = Path("packs")  # the members' packs, a folder per meeting


def check_project_root(root: Path) -> None:
    """``root`` is a project folder (its book, its settings and its run manifest), else FileNotFoundError."""
    missing = [name for name in ("_config.yml", "book/", "pipelines/manifest.yml") if not (root / name).exists()]
    if missing:
        raise FileNotFoundError(
            f"{root} er ikke en projektmappe til councilbook ({join_and(missing)} mangler); "
            "kør kommandoen fra den mappe, hvor _config.yml ligger"
        )


@dataclass(frozen=True)
class BookPaths:
    project: Path  # the folder holding _config.yml, book/, pipelines/

    @property
    def book(self) -> Path:
        return self.project / "book"

    @property
    def config(self) -> Path:
        """The project's Jupyter Book settings (``frontpage.write_config`` fills in the council)."""
        return self.project / "_config.yml"

    @property
    def stylesheet(self) -> Path:
        """The book's CSS for the screen, which the pack's print style builds on."""
        return self.book / "_static" / "councilbook.css"

    @property
    def print_stylesheet(self) -> Path:
        """The book's print layout (A4, margins, what a printed page leaves out)."""
        return self.book / "_static" / "councilbook-print.css"

    def styles(self) -> str:
        """The book's stylesheets as one text, for pages printed outside the book (packs, status pages)."""
        return "\n".join(p.read_text(encoding="utf-8") for p in (self.stylesheet, self.print_stylesheet) if p.is_file())

    @property
    def pipelines(self) -> Path:
        return self.project / PIPELINES

    @property
    def manifest(self) -> Path:
        return self.pipelines / "manifest.yml"

    @property
    def snapshots(self) -> Path:
        return self.project / SNAPSHOTS

    @property
    def packs(self) -> Path:
        return self.project / PACKS

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
    def print_cache(self) -> Path:
        """Printed report pages by the key of what was printed (:mod:`bookpdf`)."""
        return self.build / "prints"

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
