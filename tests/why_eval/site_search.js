// The site's search, as a browser runs it, in Node: the theme's search worker on a
// built search_index.json, and fixbook's search.js rewriting each query first.
//
// Usage: node site_search.js SITE_DIR QUERIES_JSON MODE
//   QUERIES_JSON: a JSON list of texts. MODE: "typed" (the text typed into the box)
//   or "pasted" (the text pasted into it: search.js turns it into a query first).
// Prints a JSON list: for each text, the results as [[location, score], ...]
// per page, in the order the theme lists them.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [site, queriesPath, mode] = process.argv.slice(2);
const read = (file) => fs.readFileSync(file, "utf8");
const workers = path.join(site, "assets", "javascripts", "workers");
const workerFile = fs.readdirSync(workers).find((f) => /^search\..*\.min\.js$/.test(f));

// The worker: it listens for messages and answers with postMessage.
let handler = null;
let reply = null;
const worker = { console, setTimeout };
worker.self = worker;
worker.addEventListener = (type, listener) => { handler = listener; };
worker.postMessage = (message) => { reply = message; };
vm.createContext(worker);
vm.runInContext(read(path.join(workers, workerFile)), worker);

// The page: the matching data, paste.js and search.js, with no document to bind to.
const page = {
  Worker: function () {},
  document: { readyState: "complete", querySelector: () => null, addEventListener() {} },
  addEventListener() {},
  location: { protocol: "http:" },
};
page.Worker.prototype.postMessage = function () {};
page.window = page;
vm.createContext(page);
for (const script of ["fixbook-patterns.js", "paste.js", "search.js"]) {
  vm.runInContext(read(path.join(site, "assets", "fixbook", script)), page);
}

async function answer(message) {
  reply = null;
  handler({ data: message });
  while (reply === null) await new Promise((resolve) => setTimeout(resolve, 0));
  return reply;
}

(async () => {
  const index = JSON.parse(read(path.join(site, "search", "search_index.json")));
  index.options = { suggest: true }; // mkdocs.yml turns on search.suggest
  await answer({ type: 0, data: index });
  const out = [];
  for (const text of JSON.parse(read(queriesPath))) {
    // The box rewrites a paste of three words or more (search.js, onPaste).
    const pasted = mode === "pasted" && text.trim().split(/\s+/).length >= 3;
    const query = pasted ? page.fixbookSearchQuery(text) : text;
    const found = await answer({ type: 2, data: page.fixbookRefineQuery(query) });
    out.push(found.data.items.map((group) => group.map((doc) => [doc.location, doc.score])));
  }
  process.stdout.write(JSON.stringify(out));
})();
