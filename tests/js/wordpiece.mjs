// node wordpiece.mjs demos/wordpiece.js VOCAB.json REQUEST.json
// VOCAB: vocab.txt's lines (or null). REQUEST, one of:
//   {tables: true}                      -> the character tables: {...TABLES, cjk: CJK}
//   {normalize: [[codePoint, expected], ...]} -> [[hex, got, expected], ...] where they differ
//   {tokenize: [text, ...], maxTokens}  -> {out: [tokenize(text), ...], encoded: [encode(text), ...],
//                                           error: what tokenize(42) throws}
import { args, loadScript, print, readJson } from "./runner.mjs";

const wp = loadScript(args[0]);
const vocab = readJson(args[1]);
const request = readJson(args[2]);
const tok = vocab ? new wp.BertWordPiece(vocab) : null;

if (request.tables) {
  print({ ...wp.TABLES, cjk: wp.CJK });
} else if (request.normalize) {
  const bad = [];
  for (const [cp, want] of request.normalize) {
    const got = tok.normalize(String.fromCodePoint(cp));
    if (got !== want) bad.push([cp.toString(16), got, want]);
  }
  print(bad);
} else if (request.tokenize) {
  const out = request.tokenize.map((t) => tok.tokenize(t, request.maxTokens));
  const encoded = request.tokenize.map((t) => tok.encode(t));
  let error = null;
  try { tok.tokenize(42); } catch (e) { error = `${e.name}: ${e.message}`; }
  print({ out, encoded, error });
} else {
  throw new Error(`unknown request: ${Object.keys(request).join(", ")}`);
}
