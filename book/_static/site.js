/* Small fixes for reading the site, on every page (no dependencies).
 *
 * 1. "Download .ipynb" saves the notebook. Served over http the link gets a `download`
 *    attribute. Opened from disk (file://) a browser would show the JSON instead, and it may
 *    not fetch a file from disk, so the page loads `<notebook>.ipynb.js` (written next to the
 *    notebook when the site is built) as a script and saves its text as a file.
 * 2. Opened from disk, the search page cannot fetch the pages it found to quote snippets from
 *    them: it lists the pages without snippets (no failed requests) and says why.
 * 3. Display maths wider than the column scrolls in its own box; such a box gets a tab stop
 *    so that keyboard users can scroll it too.
 * 4. A figure is never shrunk below MIN_FIGURE_SCALE of its natural size (where 11 pt tick
 *    labels would fall under 9 px, as on a phone): it keeps that width and its output box
 *    scrolls sideways instead (with a tab stop).
 * 5. Every box that holds a table or a figure wider than itself (in a dropdown or not) says
 *    so: a line above it ("scrolls sideways"), a tab stop and a name for screen readers, so
 *    the hidden columns or panels can be reached by touch, mouse and keyboard alike.
 * 6. The keyboard never loses its place in the header. The theme blurs the colour-mode,
 *    search, menu and contents buttons when they are pressed; pressed from the keyboard,
 *    focus comes back to the button unless what it opened took it, and when a dialog it
 *    opened closes (Escape), focus returns to the button that opened it. The colour mode
 *    a press chose is announced (and named on the button).
 * 7. Search snippets quote the page's prose. Sphinx quotes the text of a found page's main
 *    element, where the theme keeps a print-only table of contents before the title: many
 *    snippets began "Contents Overview ...". That block is dropped before quoting.
 */
"use strict";
(() => {
  const fromDisk = window.location.protocol === "file:";

  if (fromDisk && typeof DOCUMENTATION_OPTIONS !== "undefined") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
  }

  const fileName = (link) => decodeURIComponent(new URL(link.href).pathname.split("/").pop());

  function saveText(name, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/x-ipynb+json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function downloadFromDisk(link) {
    const name = fileName(link);
    const store = (window.tokembNotebooks = window.tokembNotebooks || {});
    if (store[name] !== undefined) { saveText(name, store[name]); return; }
    const script = document.createElement("script");
    script.src = link.href + ".js";
    script.onload = () => { if (store[name] !== undefined) saveText(name, store[name]); };
    script.onerror = () => { window.location.href = link.href; };  // no copy beside it: show the file
    document.head.appendChild(script);
  }

  function markScrollableMaths() {
    document.querySelectorAll("div.math").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
    });
  }

  const MIN_FIGURE_SCALE = 0.62;

  function keepFiguresLegible() {
    document.querySelectorAll(".cell_output img").forEach((img) => {  // (inside its <figure>)
      if (!img.naturalWidth) return;
      const box = img.closest(".cell_output");
      img.style.width = "";
      img.style.maxWidth = "";
      const least = Math.round(img.naturalWidth * MIN_FIGURE_SCALE);
      const wide = box.clientWidth < least;
      if (wide) { img.style.maxWidth = "none"; img.style.width = `${least}px`; }
      box.classList.toggle("figure-scroll", wide);
      if (wide) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
    });
  }

  const SCROLL_BOXES = ".bd-article .pst-scrollable-table-container, .bd-article .output.text_html, "
    + ".bd-article .cell_output.figure-scroll";

  function markScrollBoxes() {
    document.querySelectorAll(SCROLL_BOXES).forEach((box) => {
      const kind = box.querySelector("img") ? "figure" : box.querySelector("table") ? "table" : null;
      const hint = box.previousElementSibling?.classList.contains("scroll-hint") ? box.previousElementSibling : null;
      const wide = kind !== null && box.offsetParent !== null && box.scrollWidth > box.clientWidth + 1;
      if (!wide) {
        if (box.dataset.scrollBox) {
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
          if (!box.classList.contains("figure-scroll")) box.removeAttribute("tabindex");
          delete box.dataset.scrollBox;
        }
        hint?.remove();
        return;
      }
      box.dataset.scrollBox = kind;
      box.tabIndex = 0;
      box.setAttribute("role", "group");  // named, but not a landmark: a page may have many
      box.setAttribute("aria-label", `${kind === "figure" ? "Figure" : "Table"}, scrolls sideways`);
      if (!hint) {
        const line = document.createElement("p");
        line.className = "scroll-hint";
        line.setAttribute("aria-hidden", "true");  // the box's own name says it
        line.textContent = `This ${kind} is wider than the screen: scroll it sideways \u2192`;
        box.before(line);
      }
    });
  }

  const NOT_QUOTED = ".onlyprint, .bd-header-article, .bd-sidebar-secondary";  // not the page's prose

  function quoteProseInSearchSnippets() {
    if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
    const quote = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(NOT_QUOTED).forEach((el) => el.remove());
      return quote(doc.documentElement.outerHTML, anchor);
    };
  }

  const HEADER_BUTTONS = [".theme-switch-button", ".search-button", ".primary-toggle", ".secondary-toggle"];

  function keepHeaderFocus() {
    let opener = null;
    const status = document.createElement("p");
    status.className = "visually-hidden";  // the theme's (Bootstrap's) screen-reader-only class
    status.id = "colour-mode-status";
    status.setAttribute("aria-live", "polite");
    document.body.appendChild(status);
    const modeName = () => {
      const html = document.documentElement;
      const mode = html.dataset.mode || "auto";
      return mode === "auto" ? `auto (as your system: ${html.dataset.theme || "light"})` : mode;
    };
    document.querySelectorAll(HEADER_BUTTONS.join(", ")).forEach((button) => {
      button.addEventListener("click", (event) => {
        if (button.matches(".theme-switch-button")) {
          setTimeout(() => {
            status.textContent = `Colour mode: ${modeName()}`;
            button.setAttribute("aria-label", `Colour mode: ${modeName()}`);
          }, 0);
        } else {
          opener = button;  // the other three open a dialog
        }
        if (event.detail !== 0) return;  // a pointer click: nothing to restore
        setTimeout(() => {
          const active = document.activeElement;
          if (!active || active === document.body) button.focus();
        }, 0);
      });
    });
    document.querySelectorAll("dialog").forEach((dialog) => dialog.addEventListener("close", () => {
      if (opener && opener.offsetParent !== null) opener.focus();
      opener = null;  // a dialog opened later by a shortcut (Ctrl+K) does not send the focus here
    }));
  }

  function ready() {
    document.querySelectorAll("a.btn-download-notebook-button").forEach((link) => {
      link.removeAttribute("target");
      if (!fromDisk) link.setAttribute("download", fileName(link));
      else link.addEventListener("click", (event) => { event.preventDefault(); downloadFromDisk(link); });
    });

    const results = document.getElementById("search-results");
    if (results && !fromDisk) quoteProseInSearchSnippets();
    if (fromDisk && results) {
      const note = document.createElement("p");
      note.className = "search-from-disk-note";
      note.textContent = "This copy of the site was opened from disk, so the results below come without "
        + "snippets of the pages. To see them, serve the folder and open it through the server: "
        + "python -m http.server --directory _build/html 8000, then http://localhost:8000.";
      results.parentNode.insertBefore(note, results);
    }

    // The chapter sidebar (a wide screen's left column) is a landmark of its own: the theme's
    // <div> left its first item, the book's title link, outside every landmark (axe: region).
    const sidebar = document.getElementById("pst-primary-sidebar");
    if (sidebar && !sidebar.hasAttribute("role")) {
      sidebar.setAttribute("role", "complementary");
      sidebar.setAttribute("aria-label", "Book: title, search and chapters");
    }

    keepHeaderFocus();
    const layOut = () => { markScrollableMaths(); keepFiguresLegible(); markScrollBoxes(); };
    layOut();
    document.querySelectorAll(".cell_output img").forEach((img) => {
      if (!img.complete) img.addEventListener("load", layOut, { once: true });
    });
    // a dropdown's table is measured when the dropdown opens (closed, it has no width)
    document.querySelectorAll(".bd-article details").forEach((d) => d.addEventListener("toggle", layOut));
    let timer = null;
    window.addEventListener("resize", () => {
      clearTimeout(timer);
      timer = setTimeout(layOut, 200);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
