// node common.mjs demos/common.js REQUEST.json -> what demos/common.js gives for REQUEST:
//   {base64: [b64, ...]} -> {bytes: [[...], ...], int8: [[...], ...]}
//   {int8Rows: [b64, dim]} -> the rows, or {error}
//   {gunzip: b64} -> the unpacked bytes as text (UTF-8)
//   {escape: [text, ...]} -> escapeHtml of each
//   {encodeCached: {pieces, limit}} -> {ids, calls: how often encodePiece ran, size: the cache's size}
//       (encodePiece(p) = the code points of p)
//   {start: ["ok" | "throws" | "rejects" | "unknown", data]} -> {text, failed, got}: a demo started on a
//       minimal DOM (tests/js/dom_stub.mjs) with `data` in #demo-data
import { controls, installDom } from "./dom_stub.mjs";
import { args, loadScript, print, readJson } from "./runner.mjs";

const common = loadScript(args[0]);
const request = readJson(args[1]);

if (request.base64) {
  print({ bytes: request.base64.map((b) => Array.from(common.base64Bytes(b))),
          int8: request.base64.map((b) => Array.from(common.int8(b))) });
} else if (request.int8Rows) {
  try {
    print(common.int8Rows(...request.int8Rows).map((r) => Array.from(r)));
  } catch (err) {
    print({ error: err.message });
  }
} else if (request.gunzip) {
  print(new TextDecoder().decode(await common.gunzip(request.gunzip)));
} else if (request.escape) {
  print(request.escape.map(common.escapeHtml));
} else if (request.encodeCached) {
  const { pieces, limit } = request.encodeCached;
  const cache = new Map();
  let calls = 0;
  const ids = common.encodeCached(pieces, cache, (p) => { calls++; return Array.from(p, (c) => c.codePointAt(0)); },
                                  limit === null ? undefined : limit);
  print({ ids, calls, size: cache.size });
} else if (request.start) {
  const [kind, data] = request.start;
  const { body, Node } = installDom();
  const root = body.appendChild(new Node("div"));
  root.setAttribute("id", "demo");
  if (data !== null) {
    const tag = body.appendChild(new Node("script"));
    tag.setAttribute("id", "demo-data");
    tag.textContent = JSON.stringify(data);
  }
  let got = null;
  const mounts = {
    ok: (el, d) => { got = d; el.textContent = "mounted"; },
    throws: () => { throw new Error("no vocabulary"); },
    rejects: async () => { throw new Error("cannot unpack"); },
  };
  if (kind in mounts) common.register("test_" + kind, mounts[kind]);
  await common.start("test_" + kind, "demo");
  print({ text: root.textContent, failed: root.dataset.failed || null, got, controls: controls(root) });
} else {
  throw new Error(`unknown request: ${Object.keys(request).join(", ")}`);
}
