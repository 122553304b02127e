/* Analogy explorer, offline in the browser.
 *
 * The page carries GloVe vectors as int8 rows (base64) for its vocabulary, most frequent
 * word first. Analogies are solved here with gensim's formulas, in double precision:
 *   3CosAdd (most_similar):        score(w) = cos(w, mean), mean = (Σ ±unit(x)) / n_inputs
 *   3CosMul (most_similar_cosmul): score(w) = Π s(w, p) / (Π s(w, n) + 1e-6), s = (1 + cos) / 2
 * Input words are left out unless asked otherwise; ties keep the vocabulary order.
 * The page asks a : b :: c : ? as the Static Embeddings article does (man : woman :: king : ?)
 * and solves it as b − a + c: positive [b, c], negative [a].
 * Registers the demo "analogy_explorer" (see demos/common.js); under Node, require() returns its
 * functions, which tests/test_demo_analogy_explorer.py compares with gensim.
 */
"use strict";
(function (root, factory) {
  const node = typeof module !== "undefined" && module.exports;
  const common = node ? require("./common.js") : root.TokembDemos;
  const api = factory(common);
  common.register("analogy_explorer", api.mount);
  if (node) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this, function (common) {
const { escapeHtml } = common;

function loadModel(data) {
  // {words, index: Map word -> row, dim, n, rows: Int8Array (n * dim), norms: Float64Array}
  const dim = data.dim;
  const rows = common.int8(data.vectors);
  const n = rows.length / dim;
  const norms = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let i = r * dim; i < (r + 1) * dim; i++) s += rows[i] * rows[i];
    norms[r] = Math.sqrt(s);
  }
  const index = new Map();
  data.words.forEach((w, i) => { if (!index.has(w)) index.set(w, i); });
  return { words: data.words, index, dim, n, rows, norms };
}

function unitVector(model, row) {
  const out = new Float64Array(model.dim);
  const base = row * model.dim;
  for (let i = 0; i < model.dim; i++) out[i] = model.rows[base + i] / model.norms[row];
  return out;
}

function cosinesWith(model, u) {
  // cos(w, u) for every word w, u a unit vector
  const { n, dim, rows, norms } = model;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let dot = 0;
    const base = r * dim;
    for (let i = 0; i < dim; i++) dot += rows[base + i] * u[i];
    out[r] = norms[r] === 0 ? -Infinity : dot / norms[r];
  }
  return out;
}

function lookup(model, word) {
  const key = String(word).trim().toLowerCase();
  if (!model.index.has(key)) {
    const err = new Error(`'${key}' is not in the vocabulary (the ${model.n.toLocaleString("en")} most frequent words)`);
    err.word = key;
    throw err;
  }
  return model.index.get(key);
}

function targetVector(model, posIds, negIds) {
  // the 3CosAdd direction: mean of unit vectors (+ for positive, − for negative), made unit
  const mean = new Float64Array(model.dim);
  for (const id of posIds) { const u = unitVector(model, id); for (let i = 0; i < model.dim; i++) mean[i] += u[i]; }
  for (const id of negIds) { const u = unitVector(model, id); for (let i = 0; i < model.dim; i++) mean[i] -= u[i]; }
  let len = 0;
  for (let i = 0; i < model.dim; i++) { mean[i] /= posIds.length + negIds.length; len += mean[i] * mean[i]; }
  len = Math.sqrt(len);
  for (let i = 0; i < model.dim; i++) mean[i] = len === 0 ? 0 : mean[i] / len;
  return mean;
}

function scoreAll(model, posIds, negIds, method) {
  if (method === "3cosadd") return cosinesWith(model, targetVector(model, posIds, negIds));
  if (method !== "3cosmul") throw new Error(`unknown method '${method}': use 3cosadd or 3cosmul`);
  const shifted = (id) => cosinesWith(model, unitVector(model, id)).map((c) => (1 + c) / 2);
  const num = new Float64Array(model.n).fill(1);
  const den = new Float64Array(model.n).fill(1);
  for (const id of posIds) { const s = shifted(id); for (let r = 0; r < model.n; r++) num[r] *= s[r]; }
  for (const id of negIds) { const s = shifted(id); for (let r = 0; r < model.n; r++) den[r] *= s[r]; }
  const out = new Float64Array(model.n);
  for (let r = 0; r < model.n; r++) out[r] = model.norms[r] === 0 ? -Infinity : num[r] / (den[r] + 1e-6);
  return out;
}

function better(scores, i, j) {
  // true if word i ranks above word j: higher score, or equal score and earlier in the vocabulary
  return scores[i] > scores[j] || (scores[i] === scores[j] && i < j);
}

function solve(model, positive, negative, opts) {
  // -> {answers: [[word, score], ...] best first, scores, excluded: Set of rows, posIds, negIds}
  const o = Object.assign({ k: 10, method: "3cosadd", exclude: true }, opts || {});
  if (!positive.length) throw new Error("give at least one positive word");
  const posIds = positive.map((w) => lookup(model, w));
  const negIds = negative.map((w) => lookup(model, w));
  const scores = scoreAll(model, posIds, negIds, o.method);
  const excluded = new Set(o.exclude ? posIds.concat(negIds) : []);
  const top = [];  // row ids, kept sorted best first; k is small, so insertion is cheap
  for (let r = 0; r < model.n; r++) {
    if (excluded.has(r) || scores[r] === -Infinity) continue;
    if (top.length === o.k && !better(scores, r, top[top.length - 1])) continue;
    let pos = top.length;
    while (pos > 0 && better(scores, r, top[pos - 1])) pos--;
    top.splice(pos, 0, r);
    if (top.length > o.k) top.pop();
  }
  return { answers: top.map((r) => [model.words[r], scores[r]]), rows: top, scores, excluded, posIds, negIds };
}

function rankOf(model, result, word) {
  // 1-based rank of `word` among the candidates (excluded words are not candidates), or null
  const key = String(word).trim().toLowerCase();
  if (!model.index.has(key)) return null;
  const row = model.index.get(key);
  if (result.excluded.has(row)) return null;
  let rank = 1;
  for (let r = 0; r < model.n; r++) {
    if (r !== row && !result.excluded.has(r) && better(result.scores, r, row)) rank++;
  }
  return rank;
}

function project2d(vectors) {
  // PCA of a few vectors (arrays of equal length): two components by power iteration
  const m = vectors.length, d = vectors[0].length;
  const mean = new Float64Array(d);
  for (const v of vectors) for (let i = 0; i < d; i++) mean[i] += v[i] / m;
  const X = vectors.map((v) => Array.from(v, (x, i) => x - mean[i]));
  const comps = [];
  for (let c = 0; c < 2; c++) {
    let w = Array.from({ length: d }, (_, i) => 1 / Math.sqrt(d) + (i % 2 ? 1e-3 : -1e-3));
    for (let it = 0; it < 200; it++) {
      const next = new Float64Array(d);
      for (const x of X) {
        let p = 0;
        for (let i = 0; i < d; i++) p += x[i] * w[i];
        for (let i = 0; i < d; i++) next[i] += p * x[i];
      }
      for (const prev of comps) {  // stay orthogonal to the components already found
        let p = 0;
        for (let i = 0; i < d; i++) p += next[i] * prev[i];
        for (let i = 0; i < d; i++) next[i] -= p * prev[i];
      }
      let len = 0;
      for (let i = 0; i < d; i++) len += next[i] * next[i];
      len = Math.sqrt(len) || 1;
      w = Array.from(next, (x) => x / len);
    }
    comps.push(w);
  }
  return X.map((x) => comps.map((w) => x.reduce((s, xi, i) => s + xi * w[i], 0)));
}

/* ----------------------------------------------------------------------------- the page */

// The map's coordinate system (the SVG's viewBox, set by mount): the points are scaled into the
// inner area, marginX/marginY from each side, which leaves room for their labels.
const MAP = { width: 440, height: 380, marginX: 70, marginY: 40 };

// Label boxes: try positions around each point (right, left, above, below, then further out)
// and keep the first that stays inside the map and covers no other label and no marker;
// where none is free, the one that overlaps least. A leader line joins a label placed away
// from its point.
function placeLabels(points, measure) {
  const placed = [], boxes = [];
  const markers = points.map((p) => ({ x0: p.x - 6, y0: p.y - 6, x1: p.x + 6, y1: p.y + 6 }));
  const overlap = (a, b) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) + 2) *
                            Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) + 2);  // 1 px of air around each
  const order = points.map((p, i) => i).sort((i, j) => (points[i].priority || 9) - (points[j].priority || 9));
  for (const i of order) {
    const p = points[i];
    const [w, h] = measure(p.label);
    let best = null, bestCost = Infinity;
    search:
    for (const far of [9, 20, 32, 46, 62]) {
      for (const [dx, dy, anchor] of [[far, 0, "start"], [-far, 0, "end"], [0, -far, "middle"], [0, far, "middle"],
                                      [far, -far, "start"], [-far, -far, "end"], [far, far, "start"], [-far, far, "end"]]) {
        const x0 = anchor === "start" ? p.x + dx : anchor === "end" ? p.x + dx - w : p.x + dx - w / 2;
        const box = { x0, y0: p.y + dy - h / 2, x1: x0 + w, y1: p.y + dy + h / 2 };
        let cost = 0;
        if (box.x0 < 2 || box.x1 > MAP.width - 2 || box.y0 < 2 || box.y1 > MAP.height - 2) cost += 1e6;
        for (const b of boxes) cost += overlap(box, b);
        markers.forEach((m, j) => { if (j !== i) cost += overlap(box, m); });
        if (cost < bestCost) { bestCost = cost; best = { box, anchor, x: x0, y: p.y + dy, far }; }
        if (cost === 0) break search;  // the nearest free spot
      }
    }
    boxes.push(best.box);
    placed[i] = best;
  }
  return placed;
}

function clearMap(svg, note) {
  while (svg.lastChild && svg.lastChild.nodeName !== "title") svg.removeChild(svg.lastChild);
  note.textContent = "";
}

function drawMap(svg, note, model, result, inputs, expectedRow) {
  const NS = "http://www.w3.org/2000/svg";
  clearMap(svg, note);
  // points: the target direction, the inputs, the answers, the expected word
  const pts = [{ label: "b − a + c", kind: "target", priority: 1, vec: targetVector(model, result.posIds, result.negIds) }];
  inputs.forEach((w) => pts.push({ label: w, kind: "input", priority: 2, vec: unitVector(model, model.index.get(w)) }));
  result.rows.forEach((r, i) => pts.push({ label: `${i + 1}. ${model.words[r]}`, kind: "answer", priority: i === 0 ? 2 : 3,
                                            row: r, rank: i + 1, vec: unitVector(model, r) }));
  if (expectedRow !== null && !result.rows.includes(expectedRow) && !inputs.includes(model.words[expectedRow])) {
    pts.push({ label: model.words[expectedRow], kind: "expected", priority: 2, row: expectedRow, vec: unitVector(model, expectedRow) });
  }
  const xy = project2d(pts.map((p) => p.vec));
  const xs = xy.map((p) => p[0]), ys = xy.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // room for labels on every side: points stay inside a margin of the map
  const sx = (x) => MAP.marginX + (x - x0) / ((x1 - x0) || 1) * (MAP.width - 2 * MAP.marginX);
  const sy = (y) => MAP.height - MAP.marginY - (y - y0) / ((y1 - y0) || 1) * (MAP.height - 2 * MAP.marginY);
  pts.forEach((p, i) => { p.x = sx(xy[i][0]); p.y = sy(xy[i][1]); });
  const colour = { target: "var(--ae-fg)", input: "var(--ae-warm)", answer: "var(--ae-accent)", expected: "var(--ae-good)" };

  const probe = document.createElementNS(NS, "text");
  svg.appendChild(probe);
  const measure = (label) => { probe.textContent = label; const b = probe.getBBox(); return [b.width, b.height || 15]; };
  const spots = placeLabels(pts, measure);
  svg.removeChild(probe);

  const labels = document.createElementNS(NS, "g");
  pts.forEach((p, i) => {
    const { x: cx, y: cy } = p;
    let shape;
    if (p.kind === "target") {
      shape = document.createElementNS(NS, "path");
      const s = 7;
      shape.setAttribute("d", `M${cx - s},${cy}L${cx + s},${cy}M${cx},${cy - s}L${cx},${cy + s}`);
      shape.setAttribute("stroke", colour.target); shape.setAttribute("stroke-width", "3");
    } else {
      shape = document.createElementNS(NS, p.kind === "input" ? "rect" : "circle");
      if (p.kind === "input") {
        shape.setAttribute("x", cx - 5); shape.setAttribute("y", cy - 5); shape.setAttribute("width", 10); shape.setAttribute("height", 10);
      } else { shape.setAttribute("cx", cx); shape.setAttribute("cy", cy); shape.setAttribute("r", p.rank === 1 ? 7 : 5); }
      shape.setAttribute("fill", colour[p.kind]);
    }
    svg.appendChild(shape);
    const spot = spots[i];
    if (spot.far > 9) {  // a leader line from the point to its label
      const line = document.createElementNS(NS, "line");
      const lx = Math.min(Math.max(cx, spot.box.x0), spot.box.x1), ly = Math.min(Math.max(cy, spot.box.y0), spot.box.y1);
      line.setAttribute("x1", cx); line.setAttribute("y1", cy); line.setAttribute("x2", lx); line.setAttribute("y2", ly);
      line.setAttribute("class", "ae-leader");
      svg.appendChild(line);
    }
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", spot.anchor === "middle" ? spot.x + (spot.box.x1 - spot.box.x0) / 2 : spot.anchor === "end" ? spot.box.x1 : spot.x);
    t.setAttribute("y", spot.y);
    t.setAttribute("dominant-baseline", "central");
    t.setAttribute("text-anchor", spot.anchor);
    t.textContent = p.label;
    labels.appendChild(t);
  });
  svg.appendChild(labels);  // labels on top of every marker and line
  // which answer looks nearest to the target on the map, and is it the real nearest?
  let best2d = null, bestDist = Infinity;
  pts.forEach((p, i) => {
    if (p.kind !== "answer") return;
    const d = Math.hypot(xy[i][0] - xy[0][0], xy[i][1] - xy[0][1]);
    if (d < bestDist) { bestDist = d; best2d = p; }
  });
  const key = (cls, glyph, text) => `<span class="${cls}" aria-hidden="true">${glyph}</span> ${text}`;
  let verdict = "";
  if (best2d) {
    verdict = best2d.rank === 1
      ? ` On this map the answer closest to ✚ is also the true best answer, ${escapeHtml(model.words[best2d.row])}.`
      : ` On this map the answer closest to ✚ is ${escapeHtml(model.words[best2d.row])}, but its true rank is ${best2d.rank}: ` +
        "2-D distances are not the real (50-D cosine) ones.";
  }
  note.innerHTML = [key("ae-key-input", "■", "inputs"), key("ae-key-target", "✚", "the point b − a + c"),
                    key("ae-key-answer", "●", "answers, numbered by their true rank"),
                    key("ae-key-expected", "●", "your expected word, if it is not among them")].join("; ") +
    "." + verdict + " Projection: PCA of the points shown.";
}

function mount(root, data) {
  const model = loadModel(data);
  const $ = (id) => root.querySelector("#" + id);
  const svg = $("ae-map");
  svg.setAttribute("viewBox", `0 0 ${MAP.width} ${MAP.height}`);
  svg.setAttribute("width", MAP.width);
  svg.setAttribute("height", MAP.height);
  const msg = $("ae-msg"), tbody = $("ae-table").querySelector("tbody");

  function fail(text) {
    msg.innerHTML = `<span class="ae-error">${escapeHtml(text)}</span>`;
    tbody.innerHTML = "";
    clearMap($("ae-map"), $("ae-map-note"));
  }

  function run() {
    // a : b :: c : ?  ->  b − a + c
    const a = $("ae-a").value.trim().toLowerCase(), b = $("ae-b").value.trim().toLowerCase(), c = $("ae-c").value.trim().toLowerCase();
    const positive = [b, c].filter(Boolean), negative = [a].filter(Boolean);
    const kText = $("ae-k").value.trim();
    const k = Number(kText);
    if (!Number.isInteger(k) || k < 1 || k > 50) {
      fail(`"answers" must be a whole number from 1 to 50${kText ? `, not ${kText}` : ""}.`);
      return;
    }
    const method = $("ae-method").value, exclude = $("ae-exclude").checked;
    const expected = $("ae-expected").value.trim().toLowerCase();
    let result;
    const t0 = (typeof performance !== "undefined" ? performance : Date).now();
    try {
      result = solve(model, positive, negative, { k, method, exclude });
    } catch (err) {
      fail(err.message);
      return;
    }
    let rankText = "";
    let expectedRow = null;
    if (expected) {
      if (!model.index.has(expected)) rankText = ` Expected word '${escapeHtml(expected)}' is not in the vocabulary.`;
      else {
        expectedRow = model.index.get(expected);
        const rank = rankOf(model, result, expected);
        rankText = rank === null
          ? ` '${escapeHtml(expected)}' is an input word, so it is excluded.`
          : ` Rank of '${escapeHtml(expected)}': <strong>${rank.toLocaleString("en")}</strong> of ${(model.n - result.excluded.size).toLocaleString("en")} (score ${result.scores[expectedRow].toFixed(4)}).`;
      }
    }
    const ms = (typeof performance !== "undefined" ? performance : Date).now() - t0;
    const question = a && b && c ? `${a} : ${b} :: ${c} : ? (${b} − ${a} + ${c})`
      : positive.join(" + ") + (negative.length ? " − " + negative.join(" − ") : "");
    msg.innerHTML = `${escapeHtml(question)} ` +
      `with ${method === "3cosadd" ? "3CosAdd" : "3CosMul"}${exclude ? "" : ", input words kept"}: answered in ${ms.toFixed(0)} ms.${rankText}`;
    tbody.innerHTML = result.answers.map(([w, s], i) =>
      `<tr${w === expected ? ' class="ae-expected"' : ""}><td class="num">${i + 1}</td><td>${escapeHtml(w)}</td><td class="num">${s.toFixed(4)}</td></tr>`).join("");
    drawMap($("ae-map"), $("ae-map-note"), model, result, [a, b, c].filter((w) => w && model.index.has(w)), expectedRow);
  }

  $("ae-form").addEventListener("submit", (e) => { e.preventDefault(); run(); });
  ["ae-method", "ae-exclude"].forEach((id) => $(id).addEventListener("change", run));
  root.querySelectorAll(".ae-ex").forEach((btn) => btn.addEventListener("click", () => {
    const [a, b, c, d] = btn.dataset.q.split(" ");
    $("ae-a").value = a; $("ae-b").value = b; $("ae-c").value = c; $("ae-expected").value = d;
    run();
  }));
  run();
}

return { MAP, loadModel, solve, rankOf, project2d, targetVector, scoreAll, placeLabels, mount };
});
