/*
 * Fixbook's "Paste your error" page: the matching core of fixbook.knowledge.matching,
 * applied in the browser to the data the site build exported (window.FIXBOOK_MATCHING,
 * from fixbook-patterns.js). Keep this file equivalent to matching.py: the tests run
 * both on the same inputs. No network, no server; works from file:// too.
 */
(function () {
  "use strict";

  function compile(source, flags) {
    return new RegExp(source, flags || "");
  }

  function Matcher(data) {
    var r = data.rules;
    this.data = data;
    this.excLine = compile(r.exc_line);
    this.wrapper = compile(r.wrapper);
    this.notebookHeader = compile(r.notebook_header);
    this.chainBreak = compile(r.chain_break);
    this.frameLine = compile(r.frame_line);
    this.pytestPrefix = compile(r.pytest_prefix);
    this.quotePrefix = compile(r.quote_prefix);
    this.frameLibrary = compile(r.frame_library, "g");
    this.version = compile(r.version, "gi");
    this.token = compile(r.token, "g");
    this.regexWildcard = compile(r.regex_wildcard, "g");
    this.regexEscape = compile(r.regex_escape, "g");
    this.regexAnchor = compile(r.regex_anchor, "g");
    this.masks = data.masks.map(function (m) { return [compile(m[0], "g"), " " + m[1] + " "]; });
    this.stop = new Set(data.stop_words);
    this.generic = new Set(data.generic_words);
    this.regexCache = new Map();
  }

  Matcher.prototype.clean = function (line) {
    line = line.replace(/\s+$/, "").replace(this.pytestPrefix, "").replace(this.quotePrefix, "");
    var stripped = line.replace(/^\s+/, "").replace(this.wrapper, "");
    return this.excLine.test(stripped) ? stripped : line;
  };

  Matcher.prototype.endsMessage = function (line) {
    return this.chainBreak.test(line.trim()) || this.frameLine.test(line) || this.excLine.test(line);
  };

  Matcher.prototype.parse = function (text) {
    var self = this;
    var max = this.data.max_message;
    var lines = text.replace(/\r\n/g, "\n").split("\n").map(function (l) { return self.clean(l); });
    var errors = [];
    var i = 0;
    while (i < lines.length) {
      var found = this.excLine.exec(lines[i]);
      if (!found) { i += 1; continue; }
      var cls = found[1];
      var first = (found[2] || "").trim();
      var body = first ? [first] : [];
      i += 1;
      while (i < lines.length && !this.endsMessage(lines[i])) { body.push(lines[i]); i += 1; }
      var message = body.join("\n").trim().slice(0, max);
      var inner = this.excLine.exec(message.split("\n", 1)[0]);
      if (inner) { cls = inner[1]; message = message.slice(inner[1].length + 1).trim(); }
      var last = errors[errors.length - 1];
      if (!last || last.cls !== cls || last.message !== message) errors.push({ cls: cls, message: message });
    }
    if (!errors.length) {
      var bare = lines.filter(function (l) { return l.trim(); }).map(function (l) { return l.trim(); })
        .join(" ").slice(0, max);
      var header = null;
      for (var k = 0; k < lines.length && !header; k++) header = this.notebookHeader.exec(lines[k]);
      if (bare) errors.push({ cls: header ? header[1] : "", message: bare });
    }
    return { errors: errors, libraries: this.libraries(text), versions: this.shownVersions(text),
      text: text.slice(0, this.data.max_text) };
  };

  Matcher.prototype.libraries = function (text) {
    var found = new Set();
    var dists = this.data.module_distributions;
    var runners = new Set(this.data.runner_modules);
    var hit;
    this.frameLibrary.lastIndex = 0;
    while ((hit = this.frameLibrary.exec(text)) !== null) {
      var module = hit[1];
      if (runners.has(module)) continue;
      found.add((dists[module] || module.replace(/_/g, "-")).toLowerCase());
    }
    return found;
  };

  Matcher.prototype.shownVersions = function (text) {
    var known = new Set(["jax", "jaxlib", "numpyro", "keras", "tensorflow", "tensorflow-probability",
      "tf-keras", "funsor", "numpy", "torch"]);
    var versions = {};
    var hit;
    this.version.lastIndex = 0;
    while ((hit = this.version.exec(text)) !== null) {
      var name = hit[1].replace(/[-_.]+/g, "-").toLowerCase();
      name = { tf: "tensorflow", tfp: "tensorflow-probability" }[name] || name;
      if (hit[2] === "==" || known.has(name)) versions[name] = hit[3];
    }
    return versions;
  };

  Matcher.prototype.normalise = function (message) {
    var text = message.slice(0, this.data.max_message);
    this.masks.forEach(function (m) { text = text.replace(m[0], m[1]); });
    var stop = this.stop;
    return (text.toLowerCase().match(this.token) || []).filter(function (t) { return !stop.has(t); })
      .join(" ");
  };

  Matcher.prototype.regexText = function (pattern) {
    var text = pattern.replace(this.regexWildcard, " ");
    text = text.replace(this.regexEscape, "$1");
    return text.replace(this.regexAnchor, " ");
  };

  Matcher.prototype.bases = function (name, pattern) {
    var last = function (n) { return n.split(".").pop(); };
    if (pattern.mro.length && last(pattern.mro[0]) === name) return pattern.mro.map(last);
    var aliases = this.data.aliases;
    var builtin = this.data.builtin_mro;
    if (aliases[name]) {
      var out = aliases[name].slice();
      aliases[name].forEach(function (b) { (builtin[b] || []).forEach(function (x) { out.push(x); }); });
      return out;
    }
    return builtin[name] || [];
  };

  Matcher.prototype.classMatches = function (error, pattern) {
    var wanted = pattern.raises.split(".").pop();
    var name = error.cls.split(".").pop();
    if (!name) return true;
    if (!wanted) return false;
    return wanted === name || this.bases(name, pattern).indexOf(wanted) >= 0;
  };

  Matcher.prototype.search = function (source, message) {
    if (!this.regexCache.has(source)) {
      var compiled = null;
      try { compiled = new RegExp(source); } catch (e) { compiled = null; }
      this.regexCache.set(source, compiled);
    }
    var re = this.regexCache.get(source);
    return re !== null && re.test(message);
  };

  function indelDistance(a, b) {
    var prev = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var cur = new Array(b.length + 1).fill(0);
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      prev = cur;
    }
    return a.length + b.length - 2 * prev[b.length];
  }

  function normDistance(dist, lensum) {
    return lensum ? 100 - (100 * dist) / lensum : 100;
  }

  /* rapidfuzz.fuzz.token_set_ratio, without processor or cutoff. */
  function tokenSetRatio(s1, s2) {
    var a = new Set(s1.split(/\s+/).filter(Boolean));
    var b = new Set(s2.split(/\s+/).filter(Boolean));
    if (!a.size || !b.size) return 0;
    var inter = [], ab = [], ba = [];
    a.forEach(function (t) { (b.has(t) ? inter : ab).push(t); });
    b.forEach(function (t) { if (!a.has(t)) ba.push(t); });
    if (inter.length && (!ab.length || !ba.length)) return 100;
    var abJoined = ab.sort().join(" ");
    var baJoined = ba.sort().join(" ");
    var sectLen = inter.join(" ").length;
    var sectAbLen = sectLen + (sectLen !== 0 ? 1 : 0) + abJoined.length;
    var sectBaLen = sectLen + (sectLen !== 0 ? 1 : 0) + baJoined.length;
    var result = normDistance(indelDistance(abJoined, baJoined), sectAbLen + sectBaLen);
    if (!sectLen) return result;
    var abRatio = normDistance(1 + abJoined.length, sectLen + sectAbLen);
    var baRatio = normDistance(1 + baJoined.length, sectLen + sectBaLen);
    return Math.max(result, abRatio, baRatio);
  }

  Matcher.prototype.similarity = function (words, known) {
    if (!words || !known) return 0;
    var knownSet = new Set(known.split(" "));
    var generic = this.generic;
    var shared = new Set(words.split(" ").filter(function (t) { return knownSet.has(t) && !generic.has(t); }));
    return (tokenSetRatio(words, known) / 100) * Math.min(1, (shared.size + 1) / 4);
  };

  Matcher.prototype.score = function (error, pattern, pasted) {
    var involved = pasted.libraries;
    var foreign = involved.size > 0 &&
      !pattern.libraries.some(function (l) { return involved.has(l); });
    var sameClass = this.classMatches(error, pattern);
    var self = this;
    if (!foreign) {
      if (pattern.kind === "raises" || pattern.kind === "warns") {
        if (sameClass && pattern.match && this.search(pattern.match, error.message)) {
          return [this.data.exact_score, true];
        }
      } else if ([pattern.match, pattern.stderr].some(function (rx) {
        return rx && self.search(rx, pasted.text);
      })) {
        return [this.data.exact_score, true];
      }
      var line = error.cls ? error.cls + ": " + error.message : error.message;
      if (pattern.messages.some(function (m) { return self.search(m, line); })) {
        return [this.data.exact_score, true];
      }
    }
    var words = this.normalise(error.message);
    if (!words) return [0, false];
    var known = [pattern.match, pattern.stderr].concat(pattern.messages);
    var texts = known.map(function (m) { return self.regexText(m); }).concat(pattern.texts);
    var best = 0;
    texts.forEach(function (t) { best = Math.max(best, self.similarity(words, self.normalise(t))); });
    var name = error.cls.split(".").pop();
    var bonus = !name ? 0 : (sameClass ? 0.08 : -0.08);
    if (involved.size) bonus += foreign ? -0.1 : 0.04;
    return [Math.max(0, Math.min(0.99, best + bonus)), false];
  };

  /* matching.specificity: which of several exact matches fits the paste best, as one integer. */
  Matcher.prototype.specificity = function (error, pattern, pasted) {
    var self = this;
    var shown = pasted.libraries;
    var agrees = shown.has(pattern.library) ? 1 : 0;
    var missing = Math.min(99, pattern.libraries.filter(function (l) { return !shown.has(l); }).length);
    var common = Math.min(99, pattern.libraries.length - missing);
    var generic = this.generic;
    var words = new Set(this.normalise(error.message).split(" ").filter(function (w) {
      return w && !generic.has(w);
    }));
    var known = new Set();
    [pattern.match, pattern.stderr].concat(pattern.messages)
      .map(function (m) { return self.regexText(m); }).concat(pattern.texts)
      .forEach(function (t) { self.normalise(t).split(" ").forEach(function (w) { known.add(w); }); });
    var covered = 0;
    words.forEach(function (w) { if (known.has(w)) covered += 1; });
    return 1000000 * agrees + 10000 * (99 - missing) + 100 * common + Math.min(99, covered);
  };

  Matcher.prototype.rank = function (pasted, limit) {
    var self = this;
    var chain = pasted.errors.slice().reverse();
    var found = [];
    this.data.patterns.forEach(function (pattern) {
      var best = null;
      chain.forEach(function (error, position) {
        var s = self.score(error, pattern, pasted);
        var value = s[0] * (position ? 0.95 : 1);
        if (best === null || (s[1] && !best.exact) || (s[1] === best.exact && value > best.score)) {
          best = { case: pattern.case, score: Math.round(value * 1e4) / 1e4, exact: s[1], error: error };
        }
      });
      if (best) best.specificity = best.exact ? self.specificity(best.error, pattern, pasted) : 0;
      if (best && (best.exact || best.score >= self.data.threshold)) found.push(best);
    });
    found.sort(function (x, y) {
      if (x.exact !== y.exact) return x.exact ? -1 : 1;
      if (x.score !== y.score) return y.score - x.score;
      if (x.specificity !== y.specificity) return y.specificity - x.specificity;
      return x.case < y.case ? -1 : x.case > y.case ? 1 : 0;
    });
    return found.slice(0, limit || 5);
  };

  Matcher.prototype.match = function (text, limit) {
    return this.rank(this.parse(text), limit);
  };

  /* The page: a textarea, a button, a list of matches (built with textContent only). */
  function show(matcher, root) {
    var input = root.querySelector("textarea");
    var list = root.querySelector(".fixbook-paste-results");
    var note = root.querySelector(".fixbook-paste-note");
    var info = window.FIXBOOK_MATCHING.cases;
    var matches = matcher.match(input.value, 5);
    list.textContent = "";
    if (!input.value.trim()) { note.textContent = "Paste an error message or a whole traceback above."; return; }
    note.textContent = matches.length
      ? matches.length + " known case(s) match, the best first."
      : "No known case matches this error. Try the search box with its key words.";
    matches.forEach(function (m) {
      var c = info[m.case];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = c.href;
      link.textContent = c.title;
      var kind = document.createElement("span");
      kind.className = "fixbook-paste-kind";
      kind.textContent = m.exact ? " exact match" : " near match (" + m.score.toFixed(2) + ")";
      var why = document.createElement("p");
      why.textContent = c.summary;
      var id = document.createElement("code");
      id.textContent = m.case;
      item.append(link, kind, why, id);
      if (c.affected) {
        var range = document.createElement("p");
        range.textContent = "Affected: " + c.affected;
        item.append(range);
      }
      list.append(item);
    });
  }

  window.FixbookMatcher = Matcher;
  window.fixbookMatch = function (text, limit) {
    return new Matcher(window.FIXBOOK_MATCHING).match(text, limit);
  };

  function init() {
    var root = document.querySelector(".fixbook-paste");
    if (!root || !window.FIXBOOK_MATCHING || root.dataset.ready) return;
    root.dataset.ready = "1";
    var matcher = new Matcher(window.FIXBOOK_MATCHING);
    var run = function () { show(matcher, root); };
    root.querySelector("button").addEventListener("click", run);
    root.querySelector("textarea").addEventListener("input", run);
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
    if (typeof document$ !== "undefined") document$.subscribe(init);
  }
})();
