/* Review search, offline in the browser.
 *
 * The page carries int8 vectors (base64) for every review of the evaluation set and every
 * prepared query, one set per model. Search = cosine similarity against all reviews, then
 * the top k, ties broken by the lower index (the same contract as the exercise's
 * nearest_neighbors). Node can require() this file; the project's tests compare it with Python.
 */
"use strict";

function decodeInt8(b64, dim) {
  // base64 -> array of Int8Array rows
  let bytes;
  if (typeof atob === "function") {
    const bin = atob(b64);
    bytes = new Int8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = (bin.charCodeAt(i) << 24) >> 24;
  } else {
    const buf = Buffer.from(b64, "base64");
    bytes = new Int8Array(buf.buffer, buf.byteOffset, buf.length);
  }
  const rows = [];
  for (let start = 0; start < bytes.length; start += dim) rows.push(bytes.subarray(start, start + dim));
  return rows;
}

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
    corpus: decodeInt8(m.corpus, data.dim), queries: decodeInt8(m.queries, data.dim),
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

function reviewSearchMount(root, data) {
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

if (typeof module !== "undefined") {
  module.exports = { decodeInt8, topK, precisionAtK, prepare, search, reviewSearchMount };
}
