"""Finding a build machine's folder in published output: every text file (HTML, JS, JSON, CSS, …) and, in
every PDF, each page's text and each annotation (a link's address, a named destination)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

BUILD_FOLDER = "BUILDMACHINE-FOLDER-x7q"  # a folder name planted around the project a test builds
TEXT_SUFFIXES = {".html", ".js", ".json", ".css", ".txt", ".csv", ".svg", ".xml", ".inv", ".yml", ".md"}


def pdf_strings(pdf: Path) -> list[str]:
    """A PDF's page texts and every value of every annotation (links' addresses and destinations)."""
    reader = PdfReader(pdf)
    found = [str(reader.metadata or {})]
    for page in reader.pages:
        found.append(page.extract_text())
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            found.append(str(annotation.get("/Dest", "")))
            if action is not None:
                found.append(str(action.get_object()))
    return found


def files_naming(folder: Path, name: str = BUILD_FOLDER) -> list[str]:
    """The files under ``folder`` that name ``name``, as paths within it."""
    named = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".pdf":
            texts = pdf_strings(path)
        elif path.suffix in TEXT_SUFFIXES or path.name == "searchindex.js":
            texts = [path.read_text(encoding="utf-8", errors="replace")]
        else:
            texts = [path.read_bytes().decode("latin-1")]
        if any(name in text for text in texts):
            named.append(path.relative_to(folder).as_posix())
    return named
