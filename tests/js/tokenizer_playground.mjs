// node tokenizer_playground.mjs demos/tokenizer_playground.js DATA.json REQUEST.json
// DATA: the page's data (demo_data()). REQUEST, one of:
//   {texts, steps, show, invisible}
//       -> {pre: {name: [pre-tokens per text]}, ids: {name: [ids per text]}, trained: {k: [ids per text]},
//           label: mergeLabel(trained, 1), shown: [displayHtml(s)], text: [tokenText(gpt2, id)]}
//   {explain: [word, ...], steps: [k, ...]}
//       -> {gpt2: [[[rank, [piece hex, ...]], ...] per word], trained: {k: [...]}, chosen: [chooseWord(word)]}
//   {paras: [text, ...], defaultText}
//       -> {median, worst}: ms for a new paragraph through every tokenizer, pre-token caches empty,
//          after the page's default text was encoded once (as at page load)
import { args, elapsedMs, loadScript, print, readJson } from "./runner.mjs";

const tp = loadScript(args[0]);
const toks = await tp.loadTokenizers(readJson(args[1]));
const request = readJson(args[2]);

const hex = (tok, unit) => Buffer.from(tok.unitBytes(unit)).toString("hex");
const explain = (tok, word) => tp.explainSplit(tok, word).map((s) => [s.rank, s.pieces.map((u) => hex(tok, u))]);

if (request.texts) {
  const { texts, steps } = request;
  const out = { pre: {}, ids: {}, trained: {} };
  for (const name of ["gpt2", "cl100k_base", "o200k_base"]) {
    out.pre[name] = texts.map((t) => tp.pretokenize(tp.PATTERNS[name], t));
  }
  for (const name of ["gpt2", "cl100k_base", "o200k_base", "bert"]) out.ids[name] = texts.map((t) => toks[name].encode(t));
  for (const k of steps) {
    toks.trained.setMerges(k);
    out.trained[k] = texts.map((t) => toks.trained.encode(t));
  }
  out.label = tp.mergeLabel(toks.trained, 1);
  out.shown = request.invisible.map((s) => tp.displayHtml(s));
  out.text = request.show.map((id) => tp.tokenText(toks.gpt2, id));
  print(out);
} else if (request.explain) {
  const out = { gpt2: request.explain.map((w) => explain(toks.gpt2, w)), trained: {} };
  for (const k of request.steps) {
    toks.trained.setMerges(k);
    out.trained[k] = request.explain.map((w) => explain(toks.trained, w));
  }
  out.chosen = request.explain.map((w) => tp.chooseWord(w));
  print(out);
} else if (request.paras) {
  for (const t of Object.values(toks)) t.encode(request.defaultText);  // the page's default text, encoded at load
  await new Promise((r) => setTimeout(r, 1000));  // a reader types after the page has loaded
  const times = [];
  for (const p of request.paras) {
    for (const t of Object.values(toks)) t.forget();  // cold: nothing typed before
    const t0 = process.hrtime.bigint();
    for (const t of Object.values(toks)) t.encode(p);
    times.push(elapsedMs(t0));
  }
  times.sort((a, b) => a - b);
  print({ median: times[times.length >> 1], worst: times[times.length - 1] });
} else {
  throw new Error(`unknown request: ${Object.keys(request).join(", ")}`);
}
