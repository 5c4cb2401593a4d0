/* councilbook: the search page's messages in Danish, a cue on tables that scroll sideways, and a search hit
 * inside a folded table opened. The theme's other words are translated at build time
 * (councilbook.assembly.sitetext and book/_templates). */
(function () {
  "use strict";

  /* Sphinx's search messages without a Danish translation (its catalog has an empty one for the hit count
   * and speaks of "kategorier" when nothing is found). Merged into the catalog translations.js loaded. */
  var FOUND = "Search finished, found ${resultCount} page(s) matching the search query.";
  var NONE =
    "Your search did not match any documents. Please make sure that all words are spelled correctly and " +
    "that you've selected enough categories.";
  if (typeof Documentation !== "undefined" && Documentation.addTranslations) {
    var messages = {};
    messages[FOUND] = "Søgningen fandt ${resultCount} sider.";
    messages[NONE] = "Søgningen fandt ingen sider. Tjek stavningen, eller søg på færre ord.";
    messages["Search Results"] = "Søgeresultater";
    messages["Searching"] = "Søger";
    messages["Preparing search..."] = "Forbereder søgningen …";
    messages["Hide Search Matches"] = "Skjul søgeordene";
    messages[", in "] = ", i ";
    Documentation.addTranslations({ locale: "da", messages: messages, plural_expr: "(n != 1)" });
  }

  /* "fandt 1 sider" reads wrong: one page is "1 side". */
  function singular(summary) {
    var fixed = summary.textContent.replace(/^Søgningen fandt 1 sider\.$/, "Søgningen fandt 1 side.");
    if (fixed !== summary.textContent) summary.textContent = fixed;
  }

  function watchSearchSummary() {
    var results = document.getElementById("search-results");
    if (!results) return;
    new MutationObserver(function () {
      results.querySelectorAll(".search-summary").forEach(singular);
    }).observe(results, { childList: true, subtree: true, characterData: true });
  }

  /* A table wider than its box scrolls sideways: say so in Danish above it, and shade the edge where more
   * of it lies, so that nothing is cut off without a cue. Measured again when the window changes or a folded
   * table is opened. */
  var HINT = "sidelæns for at se hele tabellen";

  function frame(wrap) {
    var parent = wrap.parentElement;
    if (parent && parent.classList.contains("cb-scroll-frame")) return parent;
    var box = document.createElement("div");
    box.className = "cb-scroll-frame";
    wrap.parentNode.insertBefore(box, wrap);
    box.appendChild(wrap);
    wrap.addEventListener("scroll", function () { edges(wrap); }, { passive: true });
    return box;
  }

  function edges(wrap) {
    var box = wrap.parentElement;
    var end = wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 2;
    box.classList.toggle("cb-more-right", !end);
    box.classList.toggle("cb-more-left", wrap.scrollLeft > 2);
  }

  function measure() {
    document.querySelectorAll(".cb-table-wrap").forEach(function (wrap) {
      if (wrap.clientWidth === 0) return; // folded away: measured when opened
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      var box = wrap.parentElement && wrap.parentElement.classList.contains("cb-scroll-frame")
        ? wrap.parentElement : null;
      if (!scrolls && !box) return;
      box = frame(wrap);
      box.classList.toggle("cb-scrolls", scrolls);
      var hint = box.querySelector(":scope > .cb-scroll-hint");
      if (scrolls && !hint) {
        hint = document.createElement("p");
        hint.className = "cb-scroll-hint";
        var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
        hint.textContent = (touch ? "Stryg " : "Rul ") + HINT + " →";
        box.insertBefore(hint, wrap);
      }
      if (hint) hint.hidden = !scrolls;
      edges(wrap);
    });
  }

  /* Opened from a search result (?highlight= or the terms Sphinx keeps in localStorage): the words are marked
   * a moment after the page loads. A word inside a folded table (details.cb-details) cannot be seen:
   * open every fold that holds one and scroll to the first word. */
  function revealHighlights(triesLeft) {
    var marks = document.querySelectorAll("article span.highlighted");
    if (!marks.length) {
      if (triesLeft > 0) window.setTimeout(function () { revealHighlights(triesLeft - 1); }, 100);
      return;
    }
    var first = null;
    marks.forEach(function (mark) {
      var folded = false;
      for (var d = mark.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
        if (!d.open) { d.open = true; folded = true; }
      }
      if (!first || (folded && !first.folded)) first = { mark: mark, folded: folded };
    });
    measure();
    if (first.folded) first.mark.scrollIntoView({ block: "center" });
  }

  // Read now: Sphinx's highlighter clears both when the page is ready, before this file's handler runs.
  var searchTerms = /[?&]highlight=/.test(window.location.search) ||
    !!(window.localStorage && localStorage.getItem("sphinx_highlight_terms"));

  /* Find your job centre: show the field and filter the list as one types (any part of the name, case and
   * accents aside); Enter opens the job centre when one is left. Without this, the list is a plain list. */
  function fold(text) {
    return text.toLocaleLowerCase("da").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function picker(nav) {
    var search = nav.querySelector(".cb-picker-search");
    var input = nav.querySelector("input[type=search]");
    var none = nav.querySelector(".cb-picker-none");
    var items = Array.prototype.slice.call(nav.querySelectorAll(".cb-picker-list li"));
    if (!search || !input) return;
    search.hidden = false;
    function filter() {
      var wanted = fold(input.value.trim());
      var shown = items.filter(function (li) {
        var match = !wanted || fold(li.textContent).indexOf(wanted) !== -1;
        li.hidden = !match;
        return match;
      });
      if (none) none.hidden = shown.length > 0;
      return shown;
    }
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var shown = filter();
      if (shown.length === 1) window.location.href = shown[0].querySelector("a").href;
    });
  }

  function ready() {
    document.querySelectorAll("nav.cb-picker").forEach(picker);
    watchSearchSummary();
    measure();
    window.addEventListener("resize", measure);
    document.querySelectorAll("details").forEach(function (d) { d.addEventListener("toggle", measure); });
    // The theme loads searchtools.js on every page, so Sphinx's highlighter takes every page for the search
    // page and marks nothing: mark the words here (not on the search page itself).
    if (searchTerms && !document.getElementById("search-results") && typeof SphinxHighlight !== "undefined") {
      SphinxHighlight.highlightSearchWords();
      revealHighlights(30);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
