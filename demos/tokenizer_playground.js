// Tokenizer playground: GPT-2, cl100k_base, o200k_base (byte-level BPE, tiktoken's algorithm),
// BERT WordPiece (demos/wordpiece.js), and the BPE trained in the Tokenization article (with a
// merge slider), and "How this word splits" (explain_split's steps for one word).
// Registers the demo "tokenizer_playground" (see demos/common.js); under Node, require() returns
// its functions, which tests/test_demo_tokenizer_playground.py compares with Python. No network:
// the page carries the data.
"use strict";
(function (root, factory) {
  const node = typeof module !== "undefined" && module.exports;
  const common = node ? require("./common.js") : root.TokembDemos;
  const wordpiece = node ? require("./wordpiece.js") : root.TokembWordPiece;
  const api = factory(common, wordpiece);
  common.register("tokenizer_playground", api.mount);
  if (node) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this, function (common, wordpiece) {
const { cached, encodeCached, escapeHtml, gunzip } = common;

// ------------------------------------------------------------------ pre-tokenizer regexes
// tiktoken's patterns use possessive quantifiers and inline (?i:...) groups, which JavaScript
// lacks. Rewritten equivalently: a possessive quantifier matters only when backtracking into it
// could let the rest match, and in these patterns nothing that follows can match what it gave
// up (e.g. \p{L}++ at the end of an alternative; [^\r\n\p{L}\p{N}]?+ before \p{L}, which it
// never matches). (?i:'s) becomes '[sS]. `$` is the end of the text in both.
const PATTERNS = {
  gpt2: String.raw`'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
  cl100k_base: String.raw`'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s+$|\s*[\r\n]|\s+(?!\S)|\s`,
  o200k_base: [
    String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?`,
    String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?`,
    String.raw`\p{N}{1,3}`, String.raw` ?[^\s\p{L}\p{N}]+[\r\n/]*`, String.raw`\s*[\r\n]+`, String.raw`\s+(?!\S)`, String.raw`\s+`,
  ].join("|"),
};

const compiled = new Map(); // pattern source -> RegExp, compiled once
function pretokenize(pattern, text) {
  let re = compiled.get(pattern);
  if (!re) { re = new RegExp(pattern, "gu"); compiled.set(pattern, re); }
  return text.match(re) || [];
}

const utf8 = new TextEncoder();
const latin1 = (bytes, start = 0, end = bytes.length) => {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
};

// ------------------------------------------------------------------ lowest-rank-first merging
// Both byte-level BPEs repeatedly merge the adjacent pair with the lowest rank, the leftmost
// first among equals. For a short piece a scan per merge is fastest; a long piece (a pasted run
// of digits or a word without spaces) would cost O(n^2) that way, so it uses a heap of
// candidate pairs keyed by (rank, position), with entries checked when popped: O(n log n).
// A merged token always ranks after its parts, so both orders give the same merges.
const LONG_PIECE = 48;

function heapPush(heap, item) {
  heap.push(item);
  for (let i = heap.length - 1; i > 0;) {
    const up = (i - 1) >> 1;
    if (heap[up][0] < item[0] || (heap[up][0] === item[0] && heap[up][1] <= item[1])) break;
    heap[i] = heap[up]; heap[up] = item; i = up;
  }
}

function heapPop(heap) {
  const top = heap[0], last = heap.pop();
  if (heap.length) {
    heap[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      const less = (a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]]; i = m;
    }
  }
  return top;
}

// parts: the starting units; pairRank(a, b) -> rank or undefined; join(a, b) -> merged unit.
// Returns the merged units, left to right.
function mergeLowestFirst(parts, pairRank, join) {
  const n = parts.length;
  if (n < LONG_PIECE) {
    for (;;) {
      let best = Infinity, at = -1;
      for (let i = 0; i < parts.length - 1; i++) {
        const r = pairRank(parts[i], parts[i + 1]);
        if (r !== undefined && r < best) { best = r; at = i; }
      }
      if (at < 0) return parts;
      parts.splice(at, 2, join(parts[at], parts[at + 1]));
    }
  }
  const unit = parts.slice(), next = new Int32Array(n), prev = new Int32Array(n), stamp = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; }
  const heap = [];
  const offer = (i) => {
    const j = next[i];
    if (i < 0 || j < 0) return;
    const r = pairRank(unit[i], unit[j]);
    if (r !== undefined) heapPush(heap, [r, i, stamp[i], j, stamp[j]]);
  };
  for (let i = 0; i < n - 1; i++) offer(i);
  while (heap.length) {
    const [, i, si, j, sj] = heapPop(heap);
    if (!alive[i] || !alive[j] || next[i] !== j || stamp[i] !== si || stamp[j] !== sj) continue;
    unit[i] = join(unit[i], unit[j]);
    alive[j] = 0;
    next[i] = next[j];
    if (next[j] >= 0) prev[next[j]] = i;
    stamp[i]++;
    offer(prev[i]);
    offer(i);
  }
  const out = [];
  for (let i = 0; i >= 0; i = next[i]) out.push(unit[i]);
  return out;
}

// ------------------------------------------------------------------ byte-level BPE (tiktoken)
// Ranks: token bytes (as a latin-1 string) -> rank = id. A piece that is itself a token is one
// id; otherwise adjacent parts are merged, lowest rank of the joined bytes first (tiktoken's
// byte_pair_merge), until no joined pair is a token.
class TiktokenBPE {
  constructor(name, ranks, pattern) {
    this.name = name;
    this.ranks = ranks; // Map latin1 -> rank
    this.pattern = pattern;
    this.bytesOf = new Array(ranks.size);
    for (const [k, v] of ranks) this.bytesOf[v] = k;
    this.cache = new Map();  // pre-token -> ids
    this.encodePiece = this.encodePiece.bind(this);
  }

  forget() { this.cache = new Map(); }

  encodePiece(piece) {
    const bytes = utf8.encode(piece);
    const whole = this.ranks.get(latin1(bytes));
    if (whole !== undefined) return [whole];
    const parts = mergeLowestFirst(Array.from(bytes, (b) => String.fromCharCode(b)),
      (a, b) => this.ranks.get(a + b), (a, b) => a + b);
    return parts.map((p) => this.ranks.get(p));
  }

  pieceIds(piece) { return cached(this.cache, piece, this.encodePiece); }

  encode(text) { return encodeCached(pretokenize(this.pattern, text), this.cache, this.encodePiece); }

  tokenBytes(id) { return Uint8Array.from(this.bytesOf[id], (c) => c.charCodeAt(0)); }

  // For explainSplit. GPT-2's list of merges is its ranks from 256 on: merge #r makes the token
  // of rank 256 + r, and its two parts are what tiktoken's merging of that token's bytes gives
  // when only lower ranks may be used. (a, b) is a merge only if it is exactly those parts: a + b
  // can be a token made from another pair.
  units(bytes) { return Array.from(bytes, (b) => String.fromCharCode(b)); }
  unitBytes(unit) { return Uint8Array.from(unit, (c) => c.charCodeAt(0)); }
  unitId(unit) { return this.ranks.get(unit); }
  join(a, b) { return a + b; }
  mergeRank(a, b) {
    const rank = this.ranks.get(a + b);
    if (rank === undefined || rank < 256) return undefined;
    if (!this.parts) this.parts = new Map();
    let parts = this.parts.get(rank);
    if (parts === undefined) {
      parts = mergeLowestFirst(this.units(this.tokenBytes(rank)), (x, y) => {
        const r = this.ranks.get(x + y);
        return r !== undefined && r < rank ? r : undefined;
      }, (x, y) => x + y);
      this.parts.set(rank, parts);
    }
    return parts.length === 2 && parts[0] === a && parts[1] === b ? rank - 256 : undefined;
  }
}

async function loadRanks(b64) {
  const raw = await gunzip(b64);
  const ranks = new Map();
  let rank = 0;
  for (let i = 0; i < raw.length; rank++) {
    const n = raw[i];
    ranks.set(latin1(raw, i + 1, i + 1 + n), rank);
    i += 1 + n;
  }
  return ranks;
}

// ------------------------------------------------------------------ the article's trained BPE
// merges[k] = [leftId, rightId] makes id 256 + k. With only the first `k` merges known, a
// pre-token starts as bytes and the earliest learned pair is merged until none applies.
const pairKey = (a, b) => a * 65536 + b;  // ids are below 65,536

class TrainedBPE {
  constructor(merges) {
    this.name = "trained";
    this.merges = merges;
    this.rank = new Map(merges.map(([a, b], k) => [pairKey(a, b), k]));
    this.bytesOf = [];
    for (let b = 0; b < 256; b++) this.bytesOf.push(Uint8Array.of(b));
    for (const [a, b] of merges) {
      const x = this.bytesOf[a], y = this.bytesOf[b], z = new Uint8Array(x.length + y.length);
      z.set(x); z.set(y, x.length);
      this.bytesOf.push(z);
    }
    this.mergeRank = this.mergeRank.bind(this);
    this.join = this.join.bind(this);
    this.encodePiece = this.encodePiece.bind(this);
    this.setMerges(merges.length);
  }

  setMerges(k) { this.k = k; this.forget(); }

  forget() { this.cache = new Map(); }

  // Merge k is applied to every occurrence, left to right, before merge k + 1 (the reference
  // BPETokenizer's order); lowest rank first, leftmost first among equals, is the same thing.
  encodePiece(piece) { return mergeLowestFirst(this.units(utf8.encode(piece)), this.mergeRank, this.join); }

  encode(text) { return encodeCached(pretokenize(PATTERNS.gpt2, text), this.cache, this.encodePiece); }

  tokenBytes(id) { return this.bytesOf[id]; }

  // For explainSplit: pieces are ids; merge #r joins its pair into id 256 + r, if r < the slider's k.
  units(bytes) { return Array.from(bytes); }
  unitBytes(unit) { return this.bytesOf[unit]; }
  unitId(unit) { return unit; }
  join(a, b) { return 256 + this.rank.get(pairKey(a, b)); }
  mergeRank(a, b) {
    const r = this.rank.get(pairKey(a, b));
    return r !== undefined && r < this.k ? r : undefined;
  }
}

// ------------------------------------------------------------------ how one word splits
// The steps of the reference explain_split (solutions/tokenization.py) for one pre-token: its
// UTF-8 bytes, then, again and again, the adjacent pair with the lowest merge rank present is
// merged at every place it occurs, left to right, until no adjacent pair is a merge. The last
// step is the tokenizer's pieces for the word. `tok` is GPT-2's TiktokenBPE or the TrainedBPE.
// Returns [{pieces, rank, pair, made}]: the pieces (tok's units), the rank and pair of the merge
// that made the step (null for the bytes) and the positions of the pieces it made.
function explainSplit(tok, word) {
  let pieces = tok.units(utf8.encode(word));
  const steps = [{ pieces, rank: null, pair: null, made: [] }];
  for (;;) {
    let rank = Infinity, at = -1;
    for (let i = 0; i + 1 < pieces.length; i++) {
      const r = tok.mergeRank(pieces[i], pieces[i + 1]);
      if (r !== undefined && r < rank) { rank = r; at = i; }
    }
    if (at < 0) return steps;
    const [a, b] = [pieces[at], pieces[at + 1]], joined = tok.join(a, b), next = [], made = [];
    for (let i = 0; i < pieces.length;) {
      if (i + 1 < pieces.length && pieces[i] === a && pieces[i + 1] === b) {
        made.push(next.length); next.push(joined); i += 2;
      } else next.push(pieces[i++]);
    }
    pieces = next;
    steps.push({ pieces, rank, pair: [a, b], made });
  }
}

// ------------------------------------------------------------------ BERT WordPiece, cached by chunk
// demos/wordpiece.js normalizes and splits the whole text it is given; the rows re-encode the
// whole text on every keystroke, so the text is cut at spaces and newlines (whitespace to BERT:
// its words never cross them) and each chunk's ids are remembered, as the BPEs remember each
// pre-token's.
const CHUNK_BREAKS = /[ \n]+/;

class ChunkedWordPiece {
  constructor(vocabList) {
    this.name = "bert";
    this.wordpiece = new wordpiece.BertWordPiece(vocabList);
    this.vocab = this.wordpiece.vocab;
    this.encodeChunk = (chunk) => this.wordpiece.encode(chunk);
    this.forget();
  }

  forget() { this.cache = new Map(); this.wordpiece.cache = new Map(); }

  encode(text) { return encodeCached(text.split(CHUNK_BREAKS), this.cache, this.encodeChunk); }
}

// ------------------------------------------------------------------ loading and display text
async function loadTokenizers(data) {
  const out = {};
  for (const name of ["gpt2", "cl100k_base", "o200k_base"]) {
    if (data[name]) out[name] = new TiktokenBPE(name, await loadRanks(data[name]), PATTERNS[name]);
  }
  const vocab = new TextDecoder().decode(await gunzip(data.bert));
  out.bert = new ChunkedWordPiece(vocab.split("\n"));
  out.trained = new TrainedBPE(data.trained_merges);
  return out;
}

const strictUtf8 = typeof TextDecoder !== "undefined" ? new TextDecoder("utf-8", { fatal: true }) : null;

// A token as text: its bytes read as UTF-8, or as \xNN escapes when it holds part of a character.
function tokenText(tok, id) {
  return tok.tokenBytes ? bytesText(tok.tokenBytes(id)) : tok.vocab[id];  // WordPiece: its vocabulary's text
}

function bytesText(bytes) {
  try {
    return strictUtf8.decode(bytes);
  } catch (err) {
    return Array.from(bytes, (b) => (b < 128 ? String.fromCharCode(b) : "\\x" + b.toString(16).toUpperCase().padStart(2, "0"))).join("");
  }
}

function mergeLabel(tok, k) {
  if (k <= 0) return "no merges: every token is one byte";
  const [a, b] = tok.merges[k - 1];
  const show = (id) => JSON.stringify(tokenText(tok, id));
  return `merge #${k - 1}: ${show(a)} + ${show(b)} → ${show(256 + k - 1)}`;
}

// ------------------------------------------------------------------ the page
// Characters that draw nothing get a visible name, so a token made of one (the zero-width
// joiner inside an emoji family, a variation selector) is never an empty box.
const INVISIBLE_NAMES = { 0x200b: "ZWSP", 0x200c: "ZWNJ", 0x200d: "ZWJ", 0x2060: "WJ", 0xfeff: "BOM",
                          0x00ad: "SHY", 0x034f: "CGJ", 0x200e: "LRM", 0x200f: "RLM", 0x061c: "ALM",
                          0xfe0e: "VS15", 0xfe0f: "VS16", 0x00a0: "NBSP" };
const INVISIBLE = /[\p{Cc}\p{Cf}\u00a0\u034f\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/u;

// A token's text as HTML: a space is ␣, a newline ↵, a tab ⇥; other invisible characters are
// named in a small box (ZWJ, VS16, U+2066, ...).
function displayHtml(text) {
  let out = "";
  for (const ch of text) {
    if (ch === " ") out += "␣";
    else if (ch === "\n") out += "↵";
    else if (ch === "\t") out += "⇥";
    else if (ch === "\r") out += "␍";
    else if (INVISIBLE.test(ch)) {
      const cp = ch.codePointAt(0);
      const name = INVISIBLE_NAMES[cp] || "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
      out += `<span class="tp-inv">${name}</span>`;
    } else out += escapeHtml(ch);
  }
  return out;
}

function tokenHtml(tok, id) {
  return `<span class="tp-tok">${displayHtml(tokenText(tok, id))}<sub>${id}</sub></span>`;
}

// One tokenizer's row of tokens. A new text usually differs from the last one in a short
// stretch (a keystroke, a slider step): only the tokens between the unchanged beginning and
// the unchanged end are replaced, so a long text stays fast to edit. (Colours come from each
// token's position through CSS :nth-child, so they need no update.) A row draws at most
// SHOWN tokens until the reader asks for all of them; its count is always complete.
const SHOWN = 500;

class TokenRow {
  constructor(box, tok) {
    this.box = box;
    this.tok = tok;
    this.list = box.querySelector(".tp-tokens");
    this.count = box.querySelector(".tp-count");
    this.more = document.createElement("button");
    this.more.type = "button";
    this.more.className = "tp-more";
    this.more.hidden = true;
    this.more.addEventListener("click", () => { this.limit = Infinity; this.show(this.all); });
    this.list.after(this.more);
    this.limit = SHOWN;
    this.all = [];
    this.ids = [];  // the ids drawn
  }

  show(all) {
    this.all = all;
    const ids = all.length > this.limit ? all.slice(0, this.limit) : all;
    const old = this.ids, n = Math.min(old.length, ids.length);
    let head = 0;
    while (head < n && old[head] === ids[head]) head++;
    let tail = 0;
    while (tail < n - head && old[old.length - 1 - tail] === ids[ids.length - 1 - tail]) tail++;
    const kids = this.list.children;
    if (old.length - tail > head) {  // remove the tokens that changed
      const range = document.createRange();
      range.setStartBefore(kids[head]);
      range.setEndAfter(kids[old.length - tail - 1]);
      range.deleteContents();
    }
    if (ids.length - tail > head) {
      let html = "";
      for (let i = head; i < ids.length - tail; i++) html += tokenHtml(this.tok, ids[i]);
      if (head < kids.length) kids[head].insertAdjacentHTML("beforebegin", html);
      else this.list.insertAdjacentHTML("beforeend", html);
    }
    this.ids = ids;
    const total = all.length.toLocaleString("en");
    this.count.textContent = `${total} token${all.length === 1 ? "" : "s"}`;
    this.more.hidden = ids.length === all.length;
    if (!this.more.hidden) this.more.textContent = `Show all ${total} tokens (the first ${ids.length.toLocaleString("en")} are shown)`;
  }
}

// ------------------------------------------------------------------ the "How this word splits" panel
// explainSplit's steps for one word, for GPT-2 and for the trained BPE with the slider's merges.
// Computed only for the chosen word, and only while the panel is open. A word longer than
// EXPLAIN_MAX_BYTES is not replayed (its steps would fill the screen); the rows still show it.
const EXPLAIN_MAX_BYTES = 100;

const plain = (text) => text.replace(/ /g, "␣").replace(/\n/g, "↵");

// The word to explain, from what the reader typed: its first GPT-2 pre-token (BPE splits each
// pre-token alone), and a note saying what was done with the rest; word null when there is
// nothing to explain (the note says why).
function chooseWord(text) {
  if (!text) {
    return { word: null, note: "Type a word, or click or tap a token in the GPT-2 row, to see how it splits." };
  }
  const pre = pretokenize(PATTERNS.gpt2, text), word = pre[0];
  let note = "";
  if (pre.length > 1) {
    const list = pre.slice(0, 6).map((p) => `“${plain(p)}”`).join(" ") + (pre.length > 6 ? " …" : "");
    note = `That is ${pre.length.toLocaleString("en")} pre-tokens (${list}), and BPE splits each one alone: ` +
           `this is the first, “${plain(word)}”.`;
  }
  const n = utf8.encode(word).length;
  if (n > EXPLAIN_MAX_BYTES) {
    const long = `“${plain(word).slice(0, 20)}…” is ${n.toLocaleString("en")} bytes long: ` +
                 `the steps are shown for words of up to ${EXPLAIN_MAX_BYTES} bytes.`;
    return { word: null, note: note ? `${note} ${long}` : long };
  }
  return { word, note };
}

function pieceHtml(tok, unit, cls, withId) {
  const id = withId ? `<sub>${tok.unitId(unit)}</sub>` : "";
  return `<span class="tp-tok${cls}">${displayHtml(bytesText(tok.unitBytes(unit)))}${id}</span>`;
}

// One tokenizer's steps as an ordered list: each step's merge (rank, parts) and its pieces, the
// pieces it made outlined; the last step (the tokens) with their ids, as in the rows.
function stepsHtml(tok, steps) {
  let html = '<ol class="tp-steps">';
  steps.forEach((step, s) => {
    const last = s === steps.length - 1, made = new Set(step.made);
    const part = (unit) => pieceHtml(tok, unit, "", false);
    let label = step.rank === null ? `${step.pieces.length} bytes`
      : `rank ${step.rank.toLocaleString("en")}: ${part(step.pair[0])} + ${part(step.pair[1])}`;
    if (last) label += " → the tokens: no adjacent pair is a merge";
    html += `<li><span class="tp-step-label">${label}</span><span class="tp-pieces">`;
    step.pieces.forEach((unit, i) => { html += pieceHtml(tok, unit, made.has(i) ? " tp-new" : "", last); });
    html += "</span></li>";
  });
  return html + "</ol>";
}

class ExplainPanel {
  constructor(box, toks) {
    this.box = box;
    this.toks = toks;
    this.input = box.querySelector(".tp-word");
    this.summaryWord = box.querySelector(".tp-explain-word");
    this.note = box.querySelector(".tp-explain-note");
    this.out = {};
    for (const name of ["gpt2", "trained"]) this.out[name] = box.querySelector(`[data-explain="${name}"]`);
    this.shown = {};  // what each part shows now: "word|merges"
    this.following = true;  // the word follows the text until the reader picks one
  }

  // the reader's text changed: while following, take its first word that GPT-2 splits in two or more
  followText(text) {
    if (!this.following) return;
    const re = new RegExp(PATTERNS.gpt2, "gu");
    let word = "", m;
    for (let n = 0; n < 1000 && (m = re.exec(text)); n++) {
      if (!word) word = m[0];
      if (this.toks.gpt2.pieceIds(m[0]).length > 1) { word = m[0]; break; }
    }
    this.input.value = word;
  }

  pick(word) {
    this.following = false;
    this.input.value = word;
    this.box.open = true;
  }

  render() {
    const { word, note } = chooseWord(this.input.value);
    this.summaryWord.textContent = word === null ? "" : `: “${plain(word)}”`;
    if (!this.box.open) return;
    this.note.textContent = note;
    for (const name of ["gpt2", "trained"]) {
      const tok = this.toks[name];
      const key = `${word}|${name === "trained" ? tok.k : ""}`;
      if (this.shown[name] === key) continue;
      this.shown[name] = key;
      const part = this.out[name], body = part.querySelector(".tp-explain-steps");
      part.hidden = word === null;
      if (word === null) { body.innerHTML = ""; continue; }
      const steps = explainSplit(tok, word), n = steps[steps.length - 1].pieces.length;
      const merges = name === "trained" ? ` with its first ${tok.k.toLocaleString("en")} merges (the slider)` : "";
      part.querySelector(".tp-explain-count").textContent =
        `${merges}: ${steps.length - 1} merge step${steps.length === 2 ? "" : "s"}, ${n} token${n === 1 ? "" : "s"}`;
      body.innerHTML = stepsHtml(tok, steps);
    }
  }
}

// the pre-token of the text that holds token number `index` of the GPT-2 row
function preTokenAt(tok, text, index) {
  let seen = 0;
  for (const piece of pretokenize(tok.pattern, text)) {
    seen += tok.pieceIds(piece).length;
    if (index < seen) return piece;
  }
  return null;
}

async function mount(root, data) {
  const status = root.querySelector(".tp-status");
  status.textContent = "Loading the vocabularies…";
  const toks = await loadTokenizers(data);
  const input = root.querySelector(".tp-input");
  const slider = root.querySelector(".tp-slider");
  const mergeLabelBox = root.querySelector(".tp-merge-label");
  slider.max = String(toks.trained.merges.length);
  slider.value = slider.max;
  const rows = {};  // one per row of the page's markup (its data-tok names the tokenizer)
  for (const box of root.querySelectorAll(".tp-box[data-tok]")) {
    const name = box.dataset.tok;
    if (!toks[name]) { box.querySelector(".tp-count").textContent = "not included"; continue; }
    rows[name] = new TokenRow(box, toks[name]);
  }
  const explainBox = root.querySelector(".tp-explain");
  const explain = explainBox && rows.gpt2 ? new ExplainPanel(explainBox, toks) : null;
  if (explain) {
    explain.input.addEventListener("input", () => { explain.following = false; explain.render(); });
    explainBox.addEventListener("toggle", () => explain.render());
    rows.gpt2.list.addEventListener("click", (event) => {
      const span = event.target.closest(".tp-tok");
      if (!span || span.parentElement !== rows.gpt2.list) return;
      const word = preTokenAt(toks.gpt2, input.value, Array.prototype.indexOf.call(rows.gpt2.list.children, span));
      if (word !== null) { explain.pick(word); explain.render(); }
    });
  }
  // What changed since the last frame: the text re-encodes every row, the slider only the
  // trained BPE's. Work is done once per animation frame, however many events arrived.
  let textChanged = true, mergesChanged = true, pending = false;
  const update = () => {
    pending = false;
    const text = input.value;
    if (mergesChanged) {
      toks.trained.setMerges(Number(slider.value));
      mergeLabelBox.textContent =
        `${slider.value} of ${slider.max} merges; the last one learned: ${mergeLabel(toks.trained, Number(slider.value))}`;
      slider.setAttribute("aria-valuetext", mergeLabelBox.textContent);  // a screen reader hears this, not "500"
    }
    for (const [name, row] of Object.entries(rows)) {
      if (textChanged || (mergesChanged && name === "trained")) row.show(toks[name].encode(text));
    }
    if (explain && (textChanged || mergesChanged)) {
      if (textChanged) explain.followText(text);
      explain.render();
    }
    textChanged = mergesChanged = false;
    root.dataset.rendered = String(Number(root.dataset.rendered || 0) + 1);  // for tests: a frame was drawn
  };
  const schedule = () => { if (!pending) { pending = true; requestAnimationFrame(update); } };
  input.addEventListener("input", () => { textChanged = true; schedule(); });
  slider.addEventListener("input", () => { mergesChanged = true; schedule(); });
  status.textContent = "";
  update();
}

return { PATTERNS, pretokenize, loadTokenizers, tokenText, mergeLabel, displayHtml, mergeLowestFirst,
         TiktokenBPE, TrainedBPE, explainSplit, chooseWord, EXPLAIN_MAX_BYTES, mount };
});
