#!/usr/bin/env node
// Entry point for the benchmark's private build of ovn-northd-ts (run.ts compiles src/ into
// bench/out/dist so the measured daemon matches the compiler that replay() runs).
// OVN_NORTHD_TS_DIST overrides the directory. Like bin/ovn-northd-ts.js, the bundle first.
import { existsSync } from 'node:fs';

const dist = process.env.OVN_NORTHD_TS_DIST ?? new URL('../out/dist', import.meta.url).pathname;
import(existsSync(`${dist}/bundle/main.mjs`) ? `${dist}/bundle/main.mjs` : `${dist}/cli/main.js`).then((m) => m.main(process.argv.slice(2))).catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
