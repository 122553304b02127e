// node analogy_explorer.mjs demos/analogy_explorer.js DATA.json REQUEST.json
// DATA: the page's data (demo_data()), or null. REQUEST, one of:
//   {solve: [{positive, negative, k, method, exclude, expected}, ...]}
//       -> [{answers, ms, rank} or {error}, ...]
//   {time: [[positive, negative], ...], rounds: 3}
//       -> {worst}: the slowest solve + rankOf in ms, both methods, after the first (warm-up) round
//   {project2d: [[...], ...]}  -> the 2-D PCA coordinates
//   {placeLabels: [{label, x, y}, ...], charWidth, lineHeight} -> {map: MAP, boxes: [...]}
import { args, elapsedMs, loadScript, print, readJson } from "./runner.mjs";

const ae = loadScript(args[0]);
const data = readJson(args[1]);
const request = readJson(args[2]);
const model = data ? ae.loadModel(data) : null;

if (request.solve) {
  print(request.solve.map((c) => {
    try {
      const t0 = process.hrtime.bigint();
      const r = ae.solve(model, c.positive, c.negative, { k: c.k, method: c.method, exclude: c.exclude });
      const ms = elapsedMs(t0);
      return { answers: r.answers, ms, rank: c.expected ? ae.rankOf(model, r, c.expected) : null };
    } catch (err) {
      return { error: err.message };
    }
  }));
} else if (request.time) {
  let worst = 0;
  for (let round = 0; round < (request.rounds || 3); round++) {
    for (const [pos, neg] of request.time) {
      for (const method of ["3cosadd", "3cosmul"]) {
        const t0 = process.hrtime.bigint();
        const r = ae.solve(model, pos, neg, { k: 10, method, exclude: true });
        ae.rankOf(model, r, "queen");
        if (round > 0) worst = Math.max(worst, elapsedMs(t0));  // round 0 warms the JIT up, as a page's first click does
      }
    }
  }
  print({ worst });
} else if (request.project2d) {
  print(ae.project2d(request.project2d));
} else if (request.placeLabels) {
  const measure = (s) => [request.charWidth * s.length, request.lineHeight];
  print({ map: ae.MAP, boxes: ae.placeLabels(request.placeLabels, measure).map((p) => p.box) });
} else {
  throw new Error(`unknown request: ${Object.keys(request).join(", ")}`);
}
