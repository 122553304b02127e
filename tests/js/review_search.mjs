// node review_search.mjs demos/review_search.js DATA.json REQUEST.json
// DATA: the page's data (demo_data(), or {k} for the live search). REQUEST, one of:
//   {search: [[kind, index], ...]} -> per case, one result per model: {model, label, hits, precision}
//   {mount: "review_search" | "review_search_live", id} -> {controls: [{tag, id, label}], text}:
//       the demo mounted on a minimal DOM (tests/js/dom_stub.mjs), its form controls and their labels
import { dirname, join } from "node:path";

import { controls, installDom } from "./dom_stub.mjs";
import { args, loadScript, print, readJson } from "./runner.mjs";

const rs = loadScript(args[0]);
const data = readJson(args[1]);
const request = readJson(args[2]);

if (request.search) {
  const prepared = rs.prepare(data);
  print(request.search.map(([kind, index]) => rs.search(data, prepared, kind, index)));
} else if (request.mount) {
  const { body, Node } = installDom();
  const root = body.appendChild(new Node("div"));
  root.setAttribute("id", request.id);
  const common = loadScript(join(dirname(args[0]), "common.js"));  // the registry the demo registered in
  common.mount(request.mount)(root, data);
  print({ controls: controls(root), text: root.textContent });
} else {
  throw new Error(`unknown request: ${Object.keys(request).join(", ")}`);
}
