/*
 * Search needs the site served over HTTP: opened from disk (file://), the theme
 * hides the search box. Say so, and how to serve it, where the box would be and
 * above the page, instead of leaving text that points to a box that is not there.
 */
(function () {
  "use strict";
  function notice() {
    if (location.protocol !== "file:" || document.querySelector(".fixbook-search-notice")) return;
    var search = document.querySelector(".md-search");
    if (search && getComputedStyle(search).display !== "none") return;
    var box = document.createElement("div");
    box.className = "fixbook-search-notice admonition warning";
    var title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = "Search is off: this copy of the site was opened from disk";
    var text = document.createElement("p");
    text.append("Browsers do not run the search index from file://. Serve the site and open it again: ");
    var command = document.createElement("code");
    command.textContent = "python3 -m http.server --directory site 8000";
    text.append(command, ", then http://localhost:8000/. Or paste your error on the ");
    var link = document.createElement("a");
    link.textContent = "Paste your error";
    var home = document.querySelector(".md-header__button.md-logo");
    var base = home ? home.getAttribute("href").replace(/index\.html$/, "") : "";
    link.href = base + "paste.html";
    text.append(link, " page, which works from disk.");
    box.append(title, text);
    var content = document.querySelector(".md-content__inner") || document.body;
    content.insertBefore(box, content.firstChild);
  }
  // The theme decides about the box once its own script has run.
  window.addEventListener("load", function () { setTimeout(notice, 300); });
})();
