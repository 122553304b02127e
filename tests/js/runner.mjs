// What every Node runner in this folder shares: load a demo's script (a classic script that
// require() reads, see demos/common.js), read the JSON files tests/node_runner.py writes, print JSON.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";

const require = createRequire(import.meta.url);

export function loadScript(path) {
  return require(resolve(path));
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

export function print(value) {
  process.stdout.write(JSON.stringify(value));
}

export function elapsedMs(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// argv after the script: node RUNNER.mjs A B ... -> [A, B, ...]
export const args = process.argv.slice(2);
