/* Review search, offline in the browser: two demos (see demos/common.js).
 *
 * "review_search": the page carries int8 vectors (base64) for every review of the evaluation
 * set and every prepared query, one set per model. Search = cosine similarity against all
 * reviews, then the top k, ties broken by the lower index (the same contract as the exercise's
 * nearest_neighbors).
 * "review_search_live": your own text, embedded by all-MiniLM-L6-v2 in the page (below).
 * Under Node, require() returns the functions; tests/test_demo_review_search.py compares them
 * with Python.
 */
"use strict";
(function (root, factory) {
  const node = typeof module !== "undefined" && module.exports;
  const common = node ? require("./common.js") : root.TokembDemos;
  const api = factory(common, root);
  common.register("review_search", api.mount);
  common.register("review_search_live", api.mountLive);
  if (node) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this, function (common, scope) {

function norm(v) {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function topK(query, corpus, k, exclude) {
  // [[index, cosine], ...] best first; equal scores keep the lower index first
  const qn = norm(query);
  const scored = [];
  for (let j = 0; j < corpus.length; j++) {
    if (j === exclude) continue;
    const row = corpus[j];
    let dot = 0;
    for (let i = 0; i < row.length; i++) dot += query[i] * row[i];
    scored.push([j, dot / (qn * norm(row))]);
  }
  scored.sort((a, b) => (b[1] - a[1]) || (a[0] - b[0]));
  return scored.slice(0, k);
}

function precisionAtK(neighbourLabels, queryLabel, k) {
  // relevant = same condition; the unknown condition "" is never relevant
  let hits = 0;
  for (let i = 0; i < k; i++) if (queryLabel && neighbourLabels[i] === queryLabel) hits++;
  return hits / k;
}

function prepare(data) {
  // decode every model's vectors once
  return data.models.map((m) => ({
    name: m.name, label: m.label,
    corpus: common.int8Rows(m.corpus, m.dim), queries: common.int8Rows(m.queries, m.dim),
  }));
}

function search(data, prepared, kind, index) {
  // one result per model: {model, label, hits: [[i, score]...], precision}
  const k = data.k;
  const queryLabel = kind === "review" ? data.reviews[index].condition : data.queries[index].condition;
  return prepared.map((m) => {
    const vec = kind === "review" ? m.corpus[index] : m.queries[index];
    const hits = topK(vec, m.corpus, k, kind === "review" ? index : -1);
    const labels = hits.map(([i]) => data.reviews[i].condition);
    return { model: m.name, label: m.label, hits: hits, precision: precisionAtK(labels, queryLabel, k) };
  });
}

const LANGUAGE_NAMES = { en: "English", de: "German", es: "Spanish", fr: "French" };

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function shorten(text, n) {
  return text.length > n ? text.slice(0, n - 1) + "…" : text;
}

function mount(root, data) {
  const prepared = prepare(data);
  const id = root.id || "review-search";

  root.appendChild(el("label", { for: id + "-select" }, "Search with a prepared query or any review:"));
  const select = el("select", { id: id + "-select" });
  for (const lang of ["en", "de", "es", "fr"]) {
    const group = el("optgroup", { label: "Prepared queries — " + (LANGUAGE_NAMES[lang] || lang) });
    data.queries.forEach((q, i) => {
      if (q.language === lang) group.appendChild(el("option", { value: "query:" + i }, "[" + q.condition + "] " + shorten(q.text, 90)));
    });
    select.appendChild(group);
  }
  const reviews = el("optgroup", { label: "Reviews (" + data.reviews.length + ")" });
  data.reviews.forEach((r, i) => {
    reviews.appendChild(el("option", { value: "review:" + i }, "#" + i + " [" + r.condition + "] " + shorten(r.text, 80)));
  });
  select.appendChild(reviews);
  root.appendChild(select);

  const queryBox = el("div", { class: "rs-query", "aria-live": "polite" });
  const columns = el("div", { class: "rs-columns", "aria-live": "polite" });
  root.appendChild(queryBox);
  root.appendChild(columns);

  function show() {
    const [kind, raw] = select.value.split(":");
    const index = Number(raw);
    const item = kind === "review" ? data.reviews[index] : data.queries[index];
    queryBox.replaceChildren();
    const what = kind === "review"
      ? "Query: review #" + index + " (" + item.drug + ") — condition: " + item.condition
      : "Query (" + (LANGUAGE_NAMES[item.language] || item.language) + ") — about: " + item.condition;
    queryBox.appendChild(el("div", { class: "rs-meta" }, what));
    queryBox.appendChild(el("div", { class: "rs-text" }, item.text));

    columns.replaceChildren();
    for (const result of search(data, prepared, kind, index)) {
      const box = el("section", { class: "rs-model", "aria-label": result.label });
      box.appendChild(el("h3", {}, result.label));
      box.appendChild(el("div", { class: "rs-meta" },
        "precision@" + data.k + " = " + result.precision.toFixed(1) + " (same condition as the query)"));
      const list = el("ol");
      for (const [i, score] of result.hits) {
        const r = data.reviews[i];
        const same = item.condition && r.condition === item.condition;
        const li = el("li");
        const head = el("div", { class: "rs-meta" });
        head.appendChild(el("span", { class: same ? "rs-yes" : "rs-no" }, same ? "✓ same condition" : "✗ other condition"));
        head.appendChild(document.createTextNode(" · " + r.condition + " · cosine " + score.toFixed(3) + " · #" + i));
        li.appendChild(head);
        li.appendChild(el("div", { class: "rs-text" }, shorten(r.text, 220)));
        list.appendChild(li);
      }
      box.appendChild(list);
      columns.appendChild(box);
    }
  }
  select.addEventListener("change", show);
  const firstGerman = data.queries.findIndex((q) => q.language === "de");
  select.value = "query:" + Math.max(firstGerman, 0);
  show();
}


/* Your own text: all-MiniLM-L6-v2 runs in the page (minilm_browser.js, which the page inlines
 * before this call, on onnxruntime-web). Nothing is loaded before a box of this demo gets the
 * focus; then the runtime, the model, the vocabulary, the reviews and their int8 vectors come
 * from the site's _static/minilm/ folder as classic scripts, which also work from disk.
 * Exposes window.reviewSearch = {embed(text) -> Float32Array(384), search(text, k) -> [{index, score}]}
 * (index in corpus order); both load the model first if needed. data: {k}, how many reviews a
 * search lists.
 */
function minilmBase() {
  // the site's _static/ folder, from the script tag Sphinx puts on every page
  const tag = document.querySelector('script[src*="documentation_options.js"]');
  if (tag) return tag.src.replace(/documentation_options\.js.*$/, "") + "minilm/";
  const rootUrl = document.documentElement.dataset.content_root || "./";
  return new URL(rootUrl + "_static/minilm/", document.baseURI).href;
}

function explainLoadError(err) {
  const why = String((err && err.message) || err);
  if (typeof WebAssembly === "undefined") return "This browser cannot run WebAssembly, which the model needs.";
  if (typeof DecompressionStream === "undefined") return "This browser is too old to unpack the model (it lacks DecompressionStream).";
  if (/could not load|did not define/.test(why)) {
    return "The model's files were not found next to this page (" + why + "). They are written when the site is built; " +
      "a copy of this page alone, without the site's _static folder, cannot run the model.";
  }
  return "The model could not start in this browser: " + why;
}

function mountLive(root, data) {
  const id = root.id || "review-search-live";
  const k = data.k;
  const base = minilmBase();
  const engine = scope.MiniLMBrowser || null;  // demos/minilm_browser.js, inlined before this file

  root.appendChild(el("label", { for: id + "-q" }, "Search all reviews with your own words:"));
  const query = el("input", { id: id + "-q", type: "search", autocomplete: "off", spellcheck: "false",
                              placeholder: "e.g. the pill gave me headaches" });
  root.appendChild(query);
  const status = el("div", { class: "rs-status", role: "status", "aria-live": "polite" },
                    "The model loads when you first focus a box (click it, or Tab to it).");
  const bar = el("progress", { max: "1", value: "0", "aria-label": "loading the model", hidden: "" });
  const statusText = el("span");
  status.replaceChildren(bar, document.createTextNode(" "), statusText);
  statusText.textContent = "The model loads when you first focus a box (click it, or Tab to it).";
  root.appendChild(status);
  const note = el("div", { class: "rs-note", "aria-live": "polite" });
  root.appendChild(note);
  // a screen reader hears one line per search (how many reviews came back), not five reviews per keystroke
  const found = el("p", { class: "rs-found visually-hidden", "aria-live": "polite" });
  root.appendChild(found);
  const list = el("ol", { class: "rs-hits" });
  root.appendChild(list);

  const pair = el("div", { class: "rs-pair" });
  pair.appendChild(el("label", { for: id + "-a" }, "Compare two sentences — first:"));
  const first = el("input", { id: id + "-a", type: "text", autocomplete: "off", placeholder: "e.g. I could not sleep at all" });
  pair.appendChild(first);
  pair.appendChild(el("label", { for: id + "-b" }, "second:"));
  const second = el("input", { id: id + "-b", type: "text", autocomplete: "off", placeholder: "e.g. insomnia every night" });
  pair.appendChild(second);
  const cosine = el("div", { class: "rs-cosine", "aria-live": "polite" });
  pair.appendChild(cosine);
  root.appendChild(pair);

  let loading = null, reviews = null;
  function load() {
    if (loading) return loading;
    loading = (async () => {
      if (!engine) throw new Error("the embedding script is missing from the page");
      bar.hidden = false;
      const t0 = performance.now();
      const progress = (done, total, label) => {
        bar.max = total; bar.value = done;
        statusText.textContent = done < total ? "Loading " + label + " (" + (done + 1) + " of " + total + ")…" : "";
      };
      const embedder = await engine.loadInPage(base, { onProgress: progress });
      statusText.textContent = "Loading the reviews…";
      const vectors = await engine.loadAsset(base + "review-vectors.i8.js", "review-vectors.i8");
      const corpus = new Int8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
      reviews = JSON.parse(new TextDecoder().decode(await engine.loadAsset(base + "reviews.json.js", "reviews.json")));
      const searcher = engine.createSearch(embedder, corpus, corpus.length / reviews.length);  // one row a review
      root.dataset.loadMs = String(Math.round(performance.now() - t0));
      bar.hidden = true;
      statusText.textContent = "The model is ready: it runs in your browser, on " + searcher.rows + " reviews.";
      root.dataset.ready = "true";
      return { embedder, searcher };
    })();
    loading.catch((err) => {
      bar.hidden = true;
      statusText.textContent = explainLoadError(err);
      root.dataset.failed = "true";
    });
    return loading;
  }

  function describe(tokens, maxTokens) {
    const parts = [];
    if (tokens.truncated) {
      parts.push("Your text was truncated: only the first " + (maxTokens - 2) +
                 " word pieces are read, as the model itself does.");
    }
    if (tokens.unknown) {
      parts.push(tokens.unknown + " of its " + tokens.pieces + " word pieces " + (tokens.unknown === 1 ? "is" : "are") +
                 " unknown to the model ([UNK]): its vocabulary has no piece for " +
                 (tokens.unknown === 1 ? "that character" : "those characters") + ".");
    }
    return parts.join(" ");
  }

  let latest = 0;
  async function update() {
    const ticket = ++latest, text = query.value;
    let model;
    try { model = await load(); } catch (err) { return; }
    const tokens = model.embedder.tokenize(text);
    const hits = await model.searcher.search(text, k);
    if (ticket !== latest) return;  // a newer input is on its way: show only the latest
    note.textContent = tokens.pieces === 0
      ? (text.trim() ? "This text has no word the model can read (only spaces or control characters)." : "")
      : describe(tokens, model.embedder.maxTokens);
    list.replaceChildren();
    for (const { index, score } of hits) {
      const r = reviews[index];
      const li = el("li");
      li.appendChild(el("div", { class: "rs-meta" }, (r.condition || "no condition given") + " · cosine " + score.toFixed(3) + " · " + r.drug + " · #" + index));
      li.appendChild(el("div", { class: "rs-text" }, shorten(r.text, 220)));
      list.appendChild(li);
    }
    found.textContent = hits.length ? hits.length + " closest reviews are listed below the box." : "";
  }

  let latestPair = 0;
  async function updatePair() {
    const ticket = ++latestPair;
    let model;
    try { model = await load(); } catch (err) { return; }
    const a = first.value, b = second.value;
    const ta = model.embedder.tokenize(a), tb = model.embedder.tokenize(b);
    if (!ta.pieces || !tb.pieces) { if (ticket === latestPair) cosine.textContent = "Type a sentence in each box."; return; }
    const va = await model.embedder.embed(a), vb = await model.embedder.embed(b);
    if (ticket !== latestPair) return;
    let dot = 0;
    for (let i = 0; i < va.length; i++) dot += va[i] * vb[i];
    const notes = [describe(ta, model.embedder.maxTokens), describe(tb, model.embedder.maxTokens)].filter(Boolean);
    cosine.textContent = "cosine " + dot.toFixed(3) + (notes.length ? " — " + notes.join(" ") : "");
  }

  root.addEventListener("focusin", () => { load(); }, { once: true });
  query.addEventListener("input", update);
  first.addEventListener("input", updatePair);
  second.addEventListener("input", updatePair);

  window.reviewSearch = {
    embed: async (text) => (await load()).embedder.embed(text),
    search: async (text, n = k) => (await load()).searcher.search(text, n),
    load,
  };
}

return { topK, precisionAtK, prepare, search, mount, mountLive };
});
