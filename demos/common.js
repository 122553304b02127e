/* What the demos share, and how a page starts one.
 *
 * A plain script (no ES module), so that a page read from disk runs it inline: it defines one
 * global, `TokembDemos`; under Node, require() returns the same object. Running it twice (two
 * demos on one page each inline it) keeps the first copy and its registry.
 *
 * The convention (demos/__init__.py's render() writes the page side):
 *   - a demo's script calls TokembDemos.register(name, mount), mount(root, data) drawing the
 *     demo into its root element; data is the JSON the page carries (null if none);
 *   - the page calls TokembDemos.start(name, elementId) once per demo: it reads the JSON from
 *     the element `${elementId}-data` and calls the mount; an error (or a rejected promise from
 *     an async mount) is shown in the demo's status line instead of leaving it blank.
 */
"use strict";
(function (root) {
  if (root.TokembDemos) {
    if (typeof module !== "undefined" && module.exports) module.exports = root.TokembDemos;
    return;
  }

  // ---------------------------------------------------------------- bytes from the page
  // base64 -> bytes, in the browser (atob) and under Node (Buffer)
  function base64Bytes(b64) {
    if (typeof atob === "function") {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return bytes;
    }
    const buf = Buffer.from(b64, "base64");
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  }

  // base64 -> the int8 values it holds (the vectors the pages carry, see demos.quantise)
  function int8(b64) {
    const bytes = base64Bytes(b64);
    return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  // base64 -> rows of `dim` int8 values each (views into one buffer)
  function int8Rows(b64, dim) {
    const values = int8(b64);
    if (values.length % dim) throw new Error(`${values.length} int8 values are not rows of ${dim}`);
    const rows = [];
    for (let start = 0; start < values.length; start += dim) rows.push(values.subarray(start, start + dim));
    return rows;
  }

  // base64 of gzipped bytes -> the bytes, unpacked by the browser's (or Node's) DecompressionStream
  async function gunzip(b64) {
    const stream = new Blob([base64Bytes(b64)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // ---------------------------------------------------------------- text into HTML
  const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  // text made safe for HTML content and for attribute values in either kind of quotes
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
  }

  // ---------------------------------------------------------------- caching
  // cache.get(key), computed by compute(key) and kept if missing; a cache past `limit` entries
  // starts again empty (a long session's memory stays bounded).
  function cached(cache, key, compute, limit = Infinity) {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      if (cache.size >= limit) cache.clear();
      cache.set(key, value);
    }
    return value;
  }

  // the ids of every piece in order, each piece encoded once per cache (encodePiece -> array of ids)
  function encodeCached(pieces, cache, encodePiece, limit = Infinity) {
    const out = [];
    for (const piece of pieces) {
      for (const id of cached(cache, piece, encodePiece, limit)) out.push(id);
    }
    return out;
  }

  // ---------------------------------------------------------------- the registry
  const mounts = new Map();

  function register(name, mount) {
    if (typeof mount !== "function") throw new TypeError(`demo ${name}: mount must be a function`);
    mounts.set(name, mount);
  }

  function showFailure(element, err) {
    let status = element.querySelector('[role="status"]');
    if (!status) {
      status = document.createElement("p");
      status.setAttribute("role", "status");
      element.appendChild(status);
    }
    status.textContent = "The demo could not start: " + ((err && err.message) || err);
    element.dataset.failed = "true";
  }

  // mount demo `name` into the element with id `elementId`, with the JSON of `${elementId}-data`
  function start(name, elementId) {
    const element = document.getElementById(elementId);
    if (!element) throw new Error(`demo ${name}: no element with id ${elementId} on the page`);
    try {
      const mount = mounts.get(name);
      if (!mount) throw new Error(`no demo named ${name} is registered (${[...mounts.keys()].join(", ")})`);
      const dataTag = document.getElementById(elementId + "-data");
      const result = mount(element, dataTag ? JSON.parse(dataTag.textContent) : null);
      if (result && typeof result.then === "function") {
        return result.catch((err) => { showFailure(element, err); });
      }
      return result;
    } catch (err) {
      showFailure(element, err);
      return undefined;
    }
  }

  const api = { base64Bytes, int8, int8Rows, gunzip, escapeHtml, cached, encodeCached, register,
                mount: (name) => mounts.get(name), start };
  root.TokembDemos = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
