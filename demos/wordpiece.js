// BERT's uncased WordPiece in JavaScript, exactly as the Hugging Face `tokenizers` library
// (Rust) does it for all-MiniLM-L6-v2 and bert-base-uncased: tests/test_minilm_browser.py
// checks its character tables against `tokenizers` for every code point, and its ids on many
// scripts, emoji and long texts. A plain script (no ES module): a page inlines it and gets one
// global, `TokembWordPiece`; under Node, require() returns the same object.
//
//   const tok = new TokembWordPiece.BertWordPiece(vocabTxt);   // vocab.txt, or its lines
//   tok.tokenize("my text")   // {ids: [CLS] ... [SEP] (at most 256), pieces, truncated, unknown, tokens}
//   tok.encode("my text")     // the word pieces' ids only, however many
"use strict";
(function (root) {
  // ---------------------------------------------------------------- character classes
  // The Hugging Face tokenizer (Rust) takes three classes from the `unicode_categories` crate,
  // whose tables are older than a current browser's Unicode: which characters are dropped as
  // control/format/private use, which accents are stripped (nonspacing marks) and which
  // characters split words as punctuation; and its NFD leaves one character composed. Copying its classes here (hexadecimal code point
  // ranges) gives the same ids in every browser; tests/test_minilm_browser.py derives them
  // from the installed `tokenizers` and checks every code point.
  const TABLES = {
    removed:
      "1-8,b-c,e-1f,7f-9f,ad,600-605,61c,6dd,70f,180e,200b-200f,202a-202e,2060-2064,2066-206f,e000-f8ff" +
      ",feff,fff9-fffb,110bd,1bca0-1bca3,1d173-1d17a,e0001,e0020-e007f,f0000-ffffd,100000-10fffd",
    nonspacingMarks:
      "300-36f,483-487,591-5bd,5bf,5c1-5c2,5c4-5c5,5c7,610-61a,64b-65f,670,6d6-6dc,6df-6e4,6e7-6e8,6ea-" +
      "6ed,711,730-74a,7a6-7b0,7eb-7f3,816-819,81b-823,825-827,829-82d,859-85b,8e3-902,93a,93c,941-948," +
      "94d,951-957,962-963,981,9bc,9c1-9c4,9cd,9e2-9e3,a01-a02,a3c,a41-a42,a47-a48,a4b-a4d,a51,a70-a71," +
      "a75,a81-a82,abc,ac1-ac5,ac7-ac8,acd,ae2-ae3,b01,b3c,b3f,b41-b44,b4d,b56,b62-b63,b82,bc0,bcd,c00," +
      "c3e-c40,c46-c48,c4a-c4d,c55-c56,c62-c63,c81,cbc,cbf,cc6,ccc-ccd,ce2-ce3,d01,d41-d44,d4d,d62-d63," +
      "dca,dd2-dd4,dd6,e31,e34-e3a,e47-e4e,eb1,eb4-eb9,ebb-ebc,ec8-ecd,f18-f19,f35,f37,f39,f71-f7e,f80-" +
      "f84,f86-f87,f8d-f97,f99-fbc,fc6,102d-1030,1032-1037,1039-103a,103d-103e,1058-1059,105e-1060,1071" +
      "-1074,1082,1085-1086,108d,109d,135d-135f,1712-1714,1732-1734,1752-1753,1772-1773,17b4-17b5,17b7-" +
      "17bd,17c6,17c9-17d3,17dd,180b-180d,18a9,1920-1922,1927-1928,1932,1939-193b,1a17-1a18,1a1b,1a56,1" +
      "a58-1a5e,1a60,1a62,1a65-1a6c,1a73-1a7c,1a7f,1ab0-1abd,1b00-1b03,1b34,1b36-1b3a,1b3c,1b42,1b6b-1b" +
      "73,1b80-1b81,1ba2-1ba5,1ba8-1ba9,1bab-1bad,1be6,1be8-1be9,1bed,1bef-1bf1,1c2c-1c33,1c36-1c37,1cd" +
      "0-1cd2,1cd4-1ce0,1ce2-1ce8,1ced,1cf4,1cf8-1cf9,1dc0-1df5,1dfc-1dff,20d0-20dc,20e1,20e5-20f0,2cef" +
      "-2cf1,2d7f,2de0-2dff,302a-302d,3099-309a,a66f,a674-a67d,a69e-a69f,a6f0-a6f1,a802,a806,a80b,a825-" +
      "a826,a8c4,a8e0-a8f1,a926-a92d,a947-a951,a980-a982,a9b3,a9b6-a9b9,a9bc,a9e5,aa29-aa2e,aa31-aa32,a" +
      "a35-aa36,aa43,aa4c,aa7c,aab0,aab2-aab4,aab7-aab8,aabe-aabf,aac1,aaec-aaed,aaf6,abe5,abe8,abed,fb" +
      "1e,fe00-fe0f,fe20-fe2f,101fd,102e0,10376-1037a,10a01-10a03,10a05-10a06,10a0c-10a0f,10a38-10a3a,1" +
      "0a3f,10ae5-10ae6,11001,11038-11046,1107f-11081,110b3-110b6,110b9-110ba,11100-11102,11127-1112b,1" +
      "112d-11134,11173,11180-11181,111b6-111be,111ca-111cc,1122f-11231,11234,11236-11237,112df,112e3-1" +
      "12ea,11300-11301,1133c,11340,11366-1136c,11370-11374,114b3-114b8,114ba,114bf-114c0,114c2-114c3,1" +
      "15b2-115b5,115bc-115bd,115bf-115c0,115dc-115dd,11633-1163a,1163d,1163f-11640,116ab,116ad,116b0-1" +
      "16b5,116b7,1171d-1171f,11722-11725,11727-1172b,16af0-16af4,16b30-16b36,16f8f-16f92,1bc9d-1bc9e,1" +
      "d167-1d169,1d17b-1d182,1d185-1d18b,1d1aa-1d1ad,1d242-1d244,1da00-1da36,1da3b-1da6c,1da75,1da84,1" +
      "da9b-1da9f,1daa1-1daaf,1e8d0-1e8d6,e0100-e01ef",
    punctuation:
      "21-2f,3a-40,5b-60,7b-7e,a1,a7,ab,b6-b7,bb,bf,37e,387,55a-55f,589-58a,5be,5c0,5c3,5c6,5f3-5f4,609" +
      "-60a,60c-60d,61b,61e-61f,66a-66d,6d4,700-70d,7f7-7f9,830-83e,85e,964-965,970,af0,df4,e4f,e5a-e5b" +
      ",f04-f12,f14,f3a-f3d,f85,fd0-fd4,fd9-fda,104a-104f,10fb,1360-1368,1400,166d-166e,169b-169c,16eb-" +
      "16ed,1735-1736,17d4-17d6,17d8-17da,1800-180a,1944-1945,1a1e-1a1f,1aa0-1aa6,1aa8-1aad,1b5a-1b60,1" +
      "bfc-1bff,1c3b-1c3f,1c7e-1c7f,1cc0-1cc7,1cd3,2010-2027,2030-2043,2045-2051,2053-205e,207d-207e,20" +
      "8d-208e,2308-230b,2329-232a,2768-2775,27c5-27c6,27e6-27ef,2983-2998,29d8-29db,29fc-29fd,2cf9-2cf" +
      "c,2cfe-2cff,2d70,2e00-2e2e,2e30-2e42,3001-3003,3008-3011,3014-301f,3030,303d,30a0,30fb,a4fe-a4ff" +
      ",a60d-a60f,a673,a67e,a6f2-a6f7,a874-a877,a8ce-a8cf,a8f8-a8fa,a8fc,a92e-a92f,a95f,a9c1-a9cd,a9de-" +
      "a9df,aa5c-aa5f,aade-aadf,aaf0-aaf1,abeb,fd3e-fd3f,fe10-fe19,fe30-fe52,fe54-fe61,fe63,fe68,fe6a-f" +
      "e6b,ff01-ff03,ff05-ff0a,ff0c-ff0f,ff1a-ff1b,ff1f-ff20,ff3b-ff3d,ff3f,ff5b,ff5d,ff5f-ff65,10100-1" +
      "0102,1039f,103d0,1056f,10857,1091f,1093f,10a50-10a58,10a7f,10af0-10af6,10b39-10b3f,10b99-10b9c,1" +
      "1047-1104d,110bb-110bc,110be-110c1,11140-11143,11174-11175,111c5-111c9,111cd,111db,111dd-111df,1" +
      "1238-1123d,112a9,114c6,115c1-115d7,11641-11643,1173c-1173e,12470-12474,16a6e-16a6f,16af5,16b37-1" +
      "6b3b,16b44,1bc9f,1da87-1da8b",
    // characters the library's (older) Unicode normalization leaves composed
    keepComposed: "11938",
  };
  // CJK ideographs become words of their own; the ranges of the Rust normalizer (its
  // 0x2B920 start of Extension E is what the library does, so it is what we do).
  const CJK = "4e00-9fff,3400-4dbf,20000-2a6df,2a700-2b73f,2b740-2b81f,2b920-2ceaf,f900-faff,2f800-2fa1f";

  function parseRanges(spec) {
    const pairs = spec.split(",").map((part) => part.split("-").map((h) => parseInt(h, 16)))
      .map(([lo, hi]) => [lo, hi === undefined ? lo : hi]).sort((a, b) => a[0] - b[0]);
    return Uint32Array.from(pairs.flat());
  }

  function inRanges(ranges, cp) {  // binary search over [lo0, hi0, lo1, hi1, ...]
    let lo = 0, hi = ranges.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < ranges[2 * mid]) hi = mid - 1;
      else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  const REMOVED = parseRanges(TABLES.removed);
  const MARKS = parseRanges(TABLES.nonspacingMarks);
  const PUNCT = parseRanges(TABLES.punctuation);
  const KEEP_COMPOSED = parseRanges(TABLES.keepComposed);
  const CJK_RANGES = parseRanges(CJK);
  const WHITESPACE = /\s/u;

  // ---------------------------------------------------------------- WordPiece (BERT, uncased)
  // tokenizer.json of the model: BertNormalizer (clean text, CJK as words, strip accents,
  // lowercase), BertPreTokenizer (split at whitespace and punctuation), WordPiece ("##",
  // [UNK], at most 100 characters a word), then [CLS] ... [SEP], cut to 256 tokens.
  class BertWordPiece {
    constructor(vocab, { maxCharsPerWord = 100 } = {}) {
      this.vocab = typeof vocab === "string" ? vocab.replace(/\r?\n$/, "").split(/\r?\n/) : Array.from(vocab);
      this.ids = new Map(this.vocab.map((t, i) => [t, i]));
      for (const special of ["[UNK]", "[CLS]", "[SEP]"]) {
        if (!this.ids.has(special)) throw new Error(`the vocabulary has no ${special} token; is it BERT's vocab.txt?`);
      }
      this.unk = this.ids.get("[UNK]");
      this.cls = this.ids.get("[CLS]");
      this.sep = this.ids.get("[SEP]");
      this.maxCharsPerWord = maxCharsPerWord;
      this.cache = new Map();  // word -> ids
    }

    normalize(text) {
      let out = "";
      for (const ch of text) {
        const cp = ch.codePointAt(0);
        if (cp === 0 || cp === 0xfffd || (cp >= 0xd800 && cp <= 0xdfff) || inRanges(REMOVED, cp)) continue;
        if (WHITESPACE.test(ch)) out += " ";
        else out += inRanges(CJK_RANGES, cp) ? ` ${ch} ` : ch;
      }
      let stripped = "", run = "";
      const decompose = () => {  // NFD, then drop the nonspacing marks (the accents)
        for (const ch of run.normalize("NFD")) if (!inRanges(MARKS, ch.codePointAt(0))) stripped += ch;
        run = "";
      };
      for (const ch of out) {
        if (inRanges(KEEP_COMPOSED, ch.codePointAt(0))) { decompose(); stripped += ch; } else run += ch;
      }
      decompose();
      // lowercase one character at a time, as the Rust normalizer does (a whole-string
      // toLowerCase would apply the context rule for a final Greek sigma)
      let lower = "";
      for (const ch of stripped) lower += ch.toLowerCase();
      return lower;
    }

    words(text) {
      const words = [];
      let cur = "";
      for (const ch of this.normalize(text)) {
        if (ch === " " || WHITESPACE.test(ch)) { if (cur) words.push(cur); cur = ""; }
        else if (inRanges(PUNCT, ch.codePointAt(0))) { if (cur) words.push(cur); words.push(ch); cur = ""; }
        else cur += ch;
      }
      if (cur) words.push(cur);
      return words;
    }

    encodeWord(word) {
      const cached = this.cache.get(word);
      if (cached) return cached;
      const chars = Array.from(word);
      let ids = [];
      if (chars.length > this.maxCharsPerWord) ids = [this.unk];
      for (let start = 0; start < chars.length && ids[0] !== this.unk;) {
        let end = chars.length, found = -1;
        for (; end > start; end--) {
          const id = this.ids.get((start > 0 ? "##" : "") + chars.slice(start, end).join(""));
          if (id !== undefined) { found = id; break; }
        }
        if (found < 0) { ids = [this.unk]; break; }  // a word it cannot spell is one [UNK]
        ids.push(found);
        start = end;
      }
      if (this.cache.size > 50000) this.cache.clear();
      this.cache.set(word, ids);
      return ids;
    }

    // ids with [CLS] and [SEP], at most maxTokens of them; `truncated` says whether word pieces
    // were left out, `unknown` how many pieces are [UNK]. Stops reading once the limit is hit.
    tokenize(text, maxTokens = 256) {
      if (typeof text !== "string") throw new TypeError(`expected text (a string), got ${text === null ? "null" : typeof text}`);
      const room = maxTokens - 2;
      const pieces = [];
      let truncated = false;
      for (const word of this.words(text)) {
        for (const id of this.encodeWord(word)) {
          if (pieces.length === room) { truncated = true; break; }
          pieces.push(id);
        }
        if (truncated) break;
      }
      const ids = [this.cls, ...pieces, this.sep];
      return { ids, pieces: pieces.length, truncated, unknown: pieces.filter((id) => id === this.unk).length,
               tokens: ids.map((id) => this.vocab[id]) };
    }

    // the ids of every word piece of the text, in order: no [CLS]/[SEP], no limit
    encode(text) {
      if (typeof text !== "string") throw new TypeError(`expected text (a string), got ${text === null ? "null" : typeof text}`);
      const ids = [];
      for (const word of this.words(text)) for (const id of this.encodeWord(word)) ids.push(id);
      return ids;
    }
  }

  const api = { TABLES, CJK, BertWordPiece };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.TokembWordPiece = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
