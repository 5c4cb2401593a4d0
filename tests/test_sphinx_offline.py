"""Light pages: the theme's stylesheets purged of rules that match nothing in the site, its icon script gone."""

from __future__ import annotations

from pathlib import Path

from councilbook.assembly.sphinx_offline import lighten_site, may_match, purge_css

CSS = (
    '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.fa-tasks:before{content:"\\f0ae"}'
    "@font-face{font-family:X;src:url(x.woff2)}"
    "@media (min-width:720px){.bd-search .kbd{display:flex}.carousel-item{display:none}}"
    ".a:not(.never-used){color:red}html[data-theme=dark] .b{color:blue}:root{--x:1}"
)


def test_purge_keeps_only_rules_that_may_match() -> None:
    words = {"fa-bars", "bd-search", "kbd", "a", "b"}
    css = purge_css(CSS, words)
    assert ".fa-bars:before{" in css and "navicon" not in css and "fa-tasks" not in css
    assert "@font-face" in css and "@media (min-width:720px){.bd-search .kbd{display:flex}}" in css
    assert "carousel" not in css and ".a:not(.never-used)" in css and "html[data-theme=dark] .b" in css
    assert ":root{--x:1}" in css
    assert may_match("#main > p.lead", {"main", "lead"}) and not may_match("#main > p.lead", {"main"})


def test_lighten_drops_the_icon_script_and_unused_rules(tmp_path: Path) -> None:
    (tmp_path / "_static/scripts").mkdir(parents=True)
    (tmp_path / "_static/styles").mkdir()
    (tmp_path / "_static/scripts/fontawesome.js").write_text("x" * 1000, encoding="utf-8")
    (tmp_path / "_static/scripts/theme.js").write_text("el.classList.add('show')", encoding="utf-8")
    (tmp_path / "_static/styles/theme.css").write_text(".show{a:b}.hide{c:d}.fa-bars:before{e:f}", encoding="utf-8")
    (tmp_path / "_static/councilbook.css").write_text(".unused{g:h}", encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text(
        '<head>\n  <script src="_static/scripts/fontawesome.js?digest=1"></script>\n'
        '<link rel="preload" as="script" href="_static/scripts/fontawesome.js?digest=1" />\n'
        '</head><body><i class="fa-solid fa-bars"></i></body>',
        encoding="utf-8",
    )
    lighten_site(tmp_path)
    assert "fontawesome" not in page.read_text(encoding="utf-8")
    assert not (tmp_path / "_static/scripts/fontawesome.js").exists()
    assert (tmp_path / "_static/styles/theme.css").read_text(encoding="utf-8") == ".show{a:b}.fa-bars:before{e:f}"
    assert (tmp_path / "_static/councilbook.css").read_text(encoding="utf-8") == ".unused{g:h}"  # ours: whole


def test_a_purged_stylesheet_is_kept_for_the_next_build_by_its_words(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The purge is kept by the key of the stylesheet and the site's words: the same gives the kept one without
    parsing the stylesheet again; a new word purges again; only the current build's are kept."""
    from councilbook.assembly import sphinx_offline

    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "_static/styles").mkdir(parents=True)
    sheet = site / "_static/styles/theme.css"
    page = site / "index.html"
    calls: list[str] = []
    real = sphinx_offline.purge_css
    monkeypatch.setattr(sphinx_offline, "purge_css", lambda css, words: calls.append(css) or real(css, words))

    def build(classes: str) -> str:
        sheet.write_text(".show{a:b}.hide{c:d}", encoding="utf-8")  # as Sphinx copies it at every build
        page.write_text(f'<body><p class="{classes}"></p></body>', encoding="utf-8")
        lighten_site(site, cache)
        return sheet.read_text(encoding="utf-8")

    assert build("show") == ".show{a:b}" and len(calls) == 1
    assert build("show") == ".show{a:b}" and len(calls) == 1  # kept: not parsed again
    assert build("show hide") == ".show{a:b}.hide{c:d}" and len(calls) == 2
    assert len(list(cache.iterdir())) == 1  # the first build's purge is gone
