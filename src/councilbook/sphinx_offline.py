"""A Sphinx extension for a book that loads nothing from other hosts and logs no errors.

Jupyter Book always loads sphinx-thebe, which puts a script naming a CDN (``THEBE_JS_URL``)
into every page, twice, so browsers log "Identifier 'THEBE_JS_URL' has already been
declared". The book has no live code (launch buttons are off), so the thebe scripts are
dropped from every page. Listed in ``_config.yml`` under ``sphinx.extra_extensions``.
"""

from __future__ import annotations

from typing import Any


def _is_thebe(script: Any) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE_JS_URL" in body


def drop_thebe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", drop_thebe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
