// node minilm_browser.mjs demos/minilm_browser.js REQUEST.json
// REQUEST, one of:
//   {embed: {ort, model, vocab, texts, queries, corpus (int8 rows, base64), dim, rank_vector}}
//       -> {vectors, hits: search(query, 5) per query, ranked: rank(rank_vector, 10), empty}
//   {assets: FOLDER} -> {file: sha256 of loadAsset's bytes} for every asset script in FOLDER
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import vm from "node:vm";

import { args, loadScript, print, readJson } from "./runner.mjs";

const m = loadScript(args[0]);
const request = readJson(args[1]);

if (request.embed) {
  const a = request.embed;
  const ort = loadScript(a.ort);
  ort.env.wasm.numThreads = 1;
  const embedder = m.createEmbedder({ ort, modelBytes: readFileSync(a.model), vocab: readFileSync(a.vocab, "utf8") });
  const vectors = [];
  for (const text of a.texts) vectors.push(Array.from(await embedder.embed(text)));
  const corpus = new Int8Array(Buffer.from(a.corpus, "base64"));
  const search = m.createSearch(embedder, corpus, a.dim);
  const hits = [];
  for (const q of a.queries) hits.push(await search.search(q, 5));
  const ranked = search.rank(Float32Array.from(a.rank_vector), 10);
  const empty = [await search.search("", 5), await search.search(" \n\t ", 5)];
  print({ vectors, hits, ranked, empty });
} else if (request.assets) {
  const folder = request.assets;
  const out = {};
  for (const file of readdirSync(folder).filter((f) => f.endsWith(".js") && !f.endsWith(".min.js"))) {
    vm.runInThisContext(readFileSync(`${folder}/${file}`, "utf8"));
    const bytes = await m.loadAsset(`${folder}/${file}`, file.replace(/\.js$/, ""));
    out[file] = createHash("sha256").update(bytes).digest("hex");
  }
  print(out);
} else {
  throw new Error(`unknown request: ${Object.keys(request).join(", ")}`);
}
