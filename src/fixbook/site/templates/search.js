/*
 * Helpers for the theme's search box.
 *
 * 1. A pasted error becomes a query of its words: the matching core's reader
 *    (paste.js) finds the last exception, masks numbers, shapes, dtypes, quoted
 *    names and paths, and drops stop words and words under three letters, which
 *    the theme would otherwise complete as prefixes ("a" matching "arrays").
 *    The names from code it masked come back when the documented errors of at
 *    most RARE cases hold them (`pjit_p` in "cannot import name 'pjit_p'"): a
 *    name the knowledge base knows is the best word to search by.
 * 2. Every query the box sends to the theme's search worker loses the words the
 *    theme would complete into noise: stop words and words under three letters
 *    (but the word being typed), numbers and shapes; and such a name weighs
 *    BOOST times the other words, so that it outweighs the common words of a
 *    long message. A full error message typed or pasted then ranks its own
 *    case first.
 * 3. Search needs the site served over HTTP: opened from disk (file://), the
 *    theme hides the search box. Say so, and how to serve it, above the page,
 *    instead of leaving text that points to a box that is not there.
 */
(function () {
  "use strict";

  var MAX_WORDS = 14;
  var RARE = 2;
  var BOOST = 5;

  var known = null;
  /* How many cases' documented errors hold each name from code (lower case, with an
     underscore: the site's search splits a camelCase name into its words). */
  function knownNames() {
    if (known) return known;
    known = new Map();
    if (!window.FixbookMatcher || !window.FIXBOOK_MATCHING) return known;
    var matcher = new window.FixbookMatcher(window.FIXBOOK_MATCHING);
    window.FIXBOOK_MATCHING.patterns.forEach(function (p) {
      var regexes = [p.match, p.stderr].concat(p.messages).map(function (m) {
        return matcher.regexText(m || "");
      });
      var text = regexes.concat(p.texts).join(" ").toLowerCase();
      new Set(text.match(NAME) || []).forEach(function (w) {
        known.set(w, (known.get(w) || 0) + 1);
      });
    });
    return known;
  }
  var NAME = /\b[a-z0-9]*_[a-z0-9_]*\b/gi;

  /* `pjit_p`: a name from code that the documented errors of at most RARE cases hold. */
  function rareName(word) {
    var count = word.length >= 3 && /_/.test(word) ? knownNames().get(word.toLowerCase()) : undefined;
    return count !== undefined && count <= RARE;
  }

  function queryFor(text) {
    if (!window.FixbookMatcher || !window.FIXBOOK_MATCHING) return text;
    var matcher = new window.FixbookMatcher(window.FIXBOOK_MATCHING);
    var errors = matcher.parse(text).errors;
    if (!errors.length) return text;
    var last = errors[errors.length - 1];
    var placeholders = new Set(["url", "tracer", "path", "addr", "obj", "dtype", "shape", "name", "num"]);
    var words = matcher.normalise(last.message).split(" ").filter(function (w) {
      return w.length >= 3 && !placeholders.has(w);
    });
    // The message with paths, tracers and reprs masked but quoted names kept.
    var unquoted = last.message.slice(0, matcher.data.max_message);
    matcher.masks.forEach(function (m) { if (m[1].trim() !== "name") unquoted = unquoted.replace(m[0], m[1]); });
    var names = (unquoted.match(NAME) || []).filter(rareName);
    words = names.map(function (w) { return w.toLowerCase(); }).concat(words);
    var name = last.cls.split(".").pop();
    if (name && !window.FIXBOOK_MATCHING.builtin_mro[name]) words.unshift(name);
    var seen = new Set();
    return words.filter(function (w) { return !seen.has(w) && seen.add(w); })
      .slice(0, MAX_WORDS).join(" ");
  }

  var STOP = new Set(((window.FIXBOOK_MATCHING || {}).stop_words || []).concat(
    ["not", "has", "have", "was", "were", "can", "you", "your", "but", "from"]));

  function refine(query) {
    // A quote separates words on the site (`doesn't` is `doesn` and `t`), so it does here.
    var tokens = query.split(/[\s']+/).filter(Boolean);
    var typing = !/[\s']$/.test(query);
    var kept = [];
    tokens.forEach(function (token, i) {
      var word = token.replace(/^[^\w]+|[^\w]+$/g, "");
      var lower = word.toLowerCase();
      if (!word || /^[\d_.]+$/.test(word) || lower === "none") return;
      if (typing && i === tokens.length - 1) kept.push(token);
      else if (word.length >= 3 && !STOP.has(lower)) {
        kept.push(rareName(word) ? word + "^" + BOOST : word);
      }
    });
    return kept.length ? kept.join(" ") : query;
  }

  /* The theme posts {type: 2, data: query} to its search worker (mkdocs-material 9). */
  if (typeof Worker !== "undefined" && !Worker.prototype.fixbookRefine) {
    var post = Worker.prototype.postMessage;
    Worker.prototype.fixbookRefine = refine;
    Worker.prototype.postMessage = function (message) {
      if (message && message.type === 2 && typeof message.data === "string") {
        arguments[0] = { type: 2, data: refine(message.data) };
      }
      return post.apply(this, arguments);
    };
  }

  function onPaste(event) {
    var data = event.clipboardData || window.clipboardData;
    var text = data ? data.getData("text") : "";
    if (!text || text.trim().split(/\s+/).length < 3) return;
    event.preventDefault();
    var input = event.target;
    input.value = queryFor(text);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "End" }));
  }

  function bindPaste() {
    var input = document.querySelector("input.md-search__input");
    if (input && !input.dataset.fixbookPaste) {
      input.dataset.fixbookPaste = "1";
      input.addEventListener("paste", onPaste);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindPaste);
  else bindPaste();
  window.fixbookSearchQuery = queryFor;
  window.fixbookRefineQuery = refine;
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
