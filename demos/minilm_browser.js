// all-MiniLM-L6-v2 in the browser: BERT's uncased WordPiece, ONNX Runtime Web (WebAssembly),
// mean pooling over the attention mask and L2 normalisation, as the contextual-embeddings
// chapter writes them. A plain script (no ES module): a page inlines demos/wordpiece.js, then
// this file, and gets one global, `MiniLMBrowser`; under Node, require() returns the same
// object. Nothing here loads anything from the network: the runtime, the model bytes and the
// vocabulary are handed in.
//
//   const embedder = MiniLMBrowser.createEmbedder({ ort, modelBytes, vocab });
//   const vector = await embedder.embed("my text");          // Float32Array(384), length 1
//   const search = MiniLMBrowser.createSearch(embedder, corpusInt8, 384);
//   const hits = await search.search("my text", 5);          // [{index, score}], best first
"use strict";
(function (root) {
  // BERT's WordPiece: demos/wordpiece.js (inlined before this file, or require()d under Node)
  const node = typeof module !== "undefined" && module.exports;
  const { BertWordPiece } = node ? require("./wordpiece.js") : root.TokembWordPiece;

  // ---------------------------------------------------------------- pooling
  // hidden: Float32Array of [1, seqLen, dim]; mask: 0/1 per token. Mean of the rows where the
  // mask is 1, then divided by its length.
  function meanPool(hidden, seqLen, dim, mask) {
    const sum = new Float64Array(dim);
    let count = 0;
    for (let t = 0; t < seqLen; t++) {
      if (!mask[t]) continue;
      count++;
      for (let d = 0, o = t * dim; d < dim; d++) sum[d] += hidden[o + d];
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) { sum[d] /= Math.max(count, 1); norm += sum[d] * sum[d]; }
    norm = Math.sqrt(norm) || 1;
    const out = new Float32Array(dim);
    for (let d = 0; d < dim; d++) out[d] = sum[d] / norm;
    return out;
  }

  // ---------------------------------------------------------------- the embedder
  // ort: the onnxruntime-web module (global `ort`); modelBytes: the .onnx file's bytes;
  // vocab: vocab.txt (a string, or an array of its lines). The session is created at once;
  // embed() waits for it, and runs one text at a time.
  function createEmbedder({ ort, modelBytes, vocab, maxTokens = 256, sessionOptions = {} } = {}) {
    if (!ort || !ort.InferenceSession) throw new Error("createEmbedder needs `ort`, the onnxruntime-web module");
    if (!modelBytes || !(modelBytes.byteLength > 0)) throw new Error("createEmbedder needs `modelBytes`, the model file's bytes");
    const tokenizer = new BertWordPiece(vocab || []);
    const bytes = modelBytes instanceof Uint8Array ? modelBytes : new Uint8Array(modelBytes);
    const ready = ort.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all", ...sessionOptions });
    let queue = Promise.resolve();

    async function run(ids) {
      const session = await ready;
      const n = ids.length;
      const feeds = {
        input_ids: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, n]),
        attention_mask: new ort.Tensor("int64", new BigInt64Array(n).fill(1n), [1, n]),
      };
      const out = await session.run(feeds);
      const hidden = out.last_hidden_state;
      const dim = hidden.dims[2];
      const vector = meanPool(hidden.data, n, dim, new Uint8Array(n).fill(1));
      for (const name in out) if (out[name].dispose) out[name].dispose();
      return vector;
    }

    async function embedDetailed(text) {
      const tokens = tokenizer.tokenize(text, maxTokens);
      const job = queue.then(() => run(tokens.ids));
      queue = job.catch(() => {});
      return { vector: await job, ...tokens };
    }

    return {
      ready: ready.then(() => true),
      tokenizer,
      maxTokens,
      tokenize: (text) => tokenizer.tokenize(text, maxTokens),
      embedDetailed,
      embed: async (text) => (await embedDetailed(text)).vector,
    };
  }

  // ---------------------------------------------------------------- search
  // corpus: the corpus vectors, row after row (Float32Array, or Int8Array from a page that
  // scaled each row to int8: cosine ignores length, so no scale is needed). search(text, k):
  // the k rows most cosine-similar to the text's embedding, [{index, score}], best first;
  // text with no word in it gives [] (there is nothing to compare).
  function createSearch(embedder, corpus, dim) {
    const rows = corpus.length / dim;
    if (!Number.isInteger(rows)) throw new Error(`the corpus has ${corpus.length} numbers, not a multiple of ${dim}`);
    const inverseNorm = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let d = 0, o = r * dim; d < dim; d++) s += corpus[o + d] * corpus[o + d];
      inverseNorm[r] = s > 0 ? 1 / Math.sqrt(s) : 0;
    }
    function rank(query, k) {
      const scores = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let d = 0, o = r * dim; d < dim; d++) s += query[d] * corpus[o + d];
        scores[r] = s * inverseNorm[r];
      }
      const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
      return order.slice(0, Math.max(0, Math.min(k, rows))).map((index) => ({ index, score: scores[index] }));
    }
    return {
      rows,
      rank,
      async search(text, k = 5) {
        if (embedder.tokenize(text).pieces === 0) return [];
        return rank(await embedder.embed(text), k);
      },
    };
  }

  // ---------------------------------------------------------------- loading in a page
  // From disk (file://) a browser refuses import() of a file URL and fetch() of the .wasm, but
  // runs classic <script src> files. So each binary comes as a script that stores its gzipped
  // bytes, base64, in globalThis.tokembAssets[name] (written by tokemb/minilm_onnx.py).
  const assets = () => (root.tokembAssets = root.tokembAssets || {});

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${url}`));
      document.head.appendChild(script);
    });
  }

  async function gunzipBase64(b64) {
    const response = await fetch(`data:application/octet-stream;base64,${b64}`);  // a data: URL, never the network
    const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function loadAsset(url, name) {
    if (!(name in assets())) await loadScript(url);
    if (!(name in assets())) throw new Error(`${url} did not define the asset ${name}`);
    const bytes = await gunzipBase64(assets()[name]);
    delete assets()[name];  // the base64 text is no longer needed
    return bytes;
  }

  // Point onnxruntime-web at code and binary it already has, so it fetches nothing: one thread
  // (no worker, no SharedArrayBuffer), its Emscripten loader as a blob: URL, the .wasm's bytes.
  function configureOrt(ort, { wasmBinary, loaderSource } = {}) {
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    if (wasmBinary) ort.env.wasm.wasmBinary = wasmBinary;
    if (loaderSource) {
      const blob = new Blob([loaderSource], { type: "text/javascript" });
      ort.env.wasm.wasmPaths = { mjs: URL.createObjectURL(blob) };
    }
    return ort;
  }

  // Everything a page needs, from the folder that tokemb/minilm_onnx.py's
  // write_browser_assets() fills (base: its URL, ending in "/"), loaded only when called (on
  // the first focus of a search box, say). onProgress(done, total, label) reports each step
  // before it starts. Resolves to an embedder whose model is ready.
  async function loadInPage(base, { onProgress = () => {}, maxTokens = 256 } = {}) {
    const steps = [
      ["ort.wasm.min.js", "the ONNX runtime"],
      ["ort-wasm-simd-threaded.mjs.js", "its WebAssembly loader"],
      ["ort-wasm-simd-threaded.wasm.js", "its WebAssembly engine"],
      ["vocab.txt.js", "the vocabulary"],
      ["minilm-int8.onnx.js", "the model"],
    ];
    const total = steps.length + 1;
    const got = {};
    for (let i = 0; i < steps.length; i++) {
      const [file, label] = steps[i];
      onProgress(i, total, label);
      if (file.endsWith(".min.js")) {
        if (!root.ort) await loadScript(base + file);
      } else {
        got[file] = await loadAsset(base + file, file.replace(/\.js$/, ""));
      }
    }
    configureOrt(root.ort, { wasmBinary: got["ort-wasm-simd-threaded.wasm.js"],
                             loaderSource: got["ort-wasm-simd-threaded.mjs.js"] });
    onProgress(steps.length, total, "starting the model");
    const embedder = createEmbedder({ ort: root.ort, modelBytes: got["minilm-int8.onnx.js"],
                                      vocab: new TextDecoder().decode(got["vocab.txt.js"]), maxTokens });
    await embedder.ready;
    onProgress(total, total, "ready");
    return embedder;
  }

  const api = { BertWordPiece, meanPool, createEmbedder, createSearch, configureOrt, loadAsset, loadInPage };
  if (node) module.exports = api;
  else root.MiniLMBrowser = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
