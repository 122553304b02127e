// Tokenizer playground: GPT-2, cl100k_base, o200k_base (byte-level BPE, tiktoken's algorithm),
// BERT WordPiece, and the BPE trained in the Tokenization article (with a merge slider).
// Runs in the browser and under Node 20 (require()); no network: the data is inlined by the page.
"use strict";

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

async function gunzip(b64) {
  const bin = typeof atob === "function" ? atob(b64) : Buffer.from(b64, "base64").toString("latin1");
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
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
    this.cache = new Map();
  }

  encodePiece(piece) {
    const bytes = utf8.encode(piece);
    const whole = this.ranks.get(latin1(bytes));
    if (whole !== undefined) return [whole];
    let parts = Array.from(bytes, (b) => String.fromCharCode(b));
    for (;;) {
      let best = Infinity, at = -1;
      for (let i = 0; i < parts.length - 1; i++) {
        const r = this.ranks.get(parts[i] + parts[i + 1]);
        if (r !== undefined && r < best) { best = r; at = i; }
      }
      if (at < 0) break;
      parts.splice(at, 2, parts[at] + parts[at + 1]);
    }
    return parts.map((p) => this.ranks.get(p));
  }

  encode(text) {
    const out = [];
    for (const piece of pretokenize(this.pattern, text)) {
      let ids = this.cache.get(piece);
      if (ids === undefined) { ids = this.encodePiece(piece); this.cache.set(piece, ids); }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  tokenBytes(id) { return Uint8Array.from(this.bytesOf[id], (c) => c.charCodeAt(0)); }
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

// ------------------------------------------------------------------ BERT WordPiece (uncased)
// BertNormalizer (clean text, space around CJK characters, lowercase, strip accents), then
// split at whitespace and punctuation, then greedy longest-prefix WordPiece with "##".
const CJK = /[\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}]/u;

function isBertPunct(ch) {
  const c = ch.codePointAt(0);
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
  return /\p{P}/u.test(ch);
}

class WordPiece {
  constructor(vocabList) {
    this.name = "bert";
    this.vocab = vocabList;
    this.ids = new Map(vocabList.map((t, i) => [t, i]));
    this.unk = this.ids.get("[UNK]");
    this.cache = new Map();
  }

  normalize(text) {
    let out = "";
    for (const ch of text) {
      const c = ch.codePointAt(0);
      if (c === 0 || c === 0xfffd) continue;
      if (ch === "\t" || ch === "\n" || ch === "\r") { out += " "; continue; }
      if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u.test(ch)) continue;  // control and other "C" characters
      if (/\s/u.test(ch)) { out += " "; continue; }
      out += CJK.test(ch) ? ` ${ch} ` : ch;
    }
    // strip accents, then lowercase one character at a time as the Rust normalizer does
    // (String.toLowerCase would apply the context rule for a final Greek sigma)
    return Array.from(out.normalize("NFD").replace(/\p{Mn}/gu, ""), (ch) => ch.toLowerCase()).join("");
  }

  words(text) {
    const words = [];
    let cur = "";
    for (const ch of this.normalize(text)) {
      if (/\s/u.test(ch)) { if (cur) words.push(cur); cur = ""; }
      else if (isBertPunct(ch)) { if (cur) words.push(cur); words.push(ch); cur = ""; }
      else cur += ch;
    }
    if (cur) words.push(cur);
    return words;
  }

  encodeWord(word) {
    const chars = Array.from(word);
    if (chars.length > 100) return [this.unk];
    const ids = [];
    for (let start = 0; start < chars.length;) {
      let end = chars.length, found = -1;
      while (start < end) {
        const sub = (start > 0 ? "##" : "") + chars.slice(start, end).join("");
        const id = this.ids.get(sub);
        if (id !== undefined) { found = id; break; }
        end--;
      }
      if (found < 0) return [this.unk];
      ids.push(found);
      start = end;
    }
    return ids;
  }

  encode(text) {
    const out = [];
    for (const w of this.words(text)) {
      let ids = this.cache.get(w);
      if (ids === undefined) { ids = this.encodeWord(w); this.cache.set(w, ids); }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  tokenText(id) { return this.vocab[id]; }
}

// ------------------------------------------------------------------ the article's trained BPE
// merges[k] = [leftId, rightId] makes id 256 + k. With only the first `k` merges known, a
// pre-token starts as bytes and the earliest learned pair is merged until none applies.
class TrainedBPE {
  constructor(merges) {
    this.name = "trained";
    this.merges = merges;
    this.rank = new Map(merges.map(([a, b], k) => [a * 65536 + b, k]));
    this.bytesOf = [];
    for (let b = 0; b < 256; b++) this.bytesOf.push(Uint8Array.of(b));
    for (const [a, b] of merges) {
      const x = this.bytesOf[a], y = this.bytesOf[b], z = new Uint8Array(x.length + y.length);
      z.set(x); z.set(y, x.length);
      this.bytesOf.push(z);
    }
    this.setMerges(merges.length);
  }

  setMerges(k) { this.k = k; this.cache = new Map(); }

  encodePiece(piece) {
    let ids = Array.from(utf8.encode(piece));
    for (;;) {
      let best = this.k, at = -1;
      for (let i = 0; i < ids.length - 1; i++) {
        const r = this.rank.get(ids[i] * 65536 + ids[i + 1]);
        if (r !== undefined && r < best) { best = r; at = i; }
      }
      if (at < 0) break;
      const merged = [];
      for (let i = 0; i < ids.length; i++) {  // merge every occurrence, left to right
        if (i < ids.length - 1 && this.rank.get(ids[i] * 65536 + ids[i + 1]) === best) { merged.push(256 + best); i++; }
        else merged.push(ids[i]);
      }
      ids = merged;
    }
    return ids;
  }

  encode(text) {
    const out = [];
    for (const piece of pretokenize(PATTERNS.gpt2, text)) {
      let ids = this.cache.get(piece);
      if (ids === undefined) { ids = this.encodePiece(piece); this.cache.set(piece, ids); }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  tokenBytes(id) { return this.bytesOf[id]; }
}

// ------------------------------------------------------------------ loading and display text
async function loadTokenizers(data) {
  const out = {};
  for (const name of ["gpt2", "cl100k_base", "o200k_base"]) {
    if (data[name]) out[name] = new TiktokenBPE(name, await loadRanks(data[name]), PATTERNS[name]);
  }
  const vocab = new TextDecoder().decode(await gunzip(data.bert));
  out.bert = new WordPiece(vocab.split("\n"));
  out.trained = new TrainedBPE(data.trained_merges);
  return out;
}

const strictUtf8 = typeof TextDecoder !== "undefined" ? new TextDecoder("utf-8", { fatal: true }) : null;

// A token as text: its bytes read as UTF-8, or as \xNN escapes when it holds part of a character.
function tokenText(tok, id) {
  if (tok.tokenText) return tok.tokenText(id);
  const bytes = tok.tokenBytes(id);
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
const LABELS = { gpt2: "GPT-2", cl100k_base: "cl100k_base (GPT-4)", o200k_base: "o200k_base (GPT-4o)",
                 bert: "BERT WordPiece (uncased)", trained: "BPE trained on the Lee corpus" };

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
}

function renderTokens(tok, ids) {
  return ids.map((id, i) => {
    const text = tokenText(tok, id).replace(/ /g, "␣").replace(/\n/g, "↵");
    return `<span class="tp-tok tp-c${i % 6}" title="id ${id}">${escapeHtml(text)}<sub>${id}</sub></span>`;
  }).join("");
}

async function mount(root, data) {
  root.querySelector(".tp-status").textContent = "Loading the vocabularies…";
  const toks = await loadTokenizers(data);
  const input = root.querySelector(".tp-input");
  const slider = root.querySelector(".tp-slider");
  slider.max = String(toks.trained.merges.length);
  slider.value = slider.max;
  let pending = false;
  const update = () => {
    pending = false;
    const text = input.value;
    toks.trained.setMerges(Number(slider.value));
    root.querySelector(".tp-merge-label").textContent =
      `${slider.value} of ${slider.max} merges; the last one learned: ${mergeLabel(toks.trained, Number(slider.value))}`;
    for (const name of Object.keys(LABELS)) {
      const box = root.querySelector(`[data-tok="${name}"]`);
      if (!box) continue;
      if (!toks[name]) { box.querySelector(".tp-count").textContent = "not included"; continue; }
      const ids = toks[name].encode(text);
      box.querySelector(".tp-count").textContent = `${ids.length} token${ids.length === 1 ? "" : "s"}`;
      box.querySelector(".tp-tokens").innerHTML = renderTokens(toks[name], ids);
    }
  };
  const schedule = () => { if (!pending) { pending = true; requestAnimationFrame(update); } };
  input.addEventListener("input", schedule);
  slider.addEventListener("input", () => { toks.trained.setMerges(Number(slider.value)); schedule(); });
  root.querySelector(".tp-status").textContent = "";
  update();
}

if (typeof module !== "undefined") {
  module.exports = { PATTERNS, pretokenize, loadTokenizers, tokenText, mergeLabel, TiktokenBPE, WordPiece, TrainedBPE };
}
