#!/usr/bin/env node
// Entry point: the CLI as one bundled module (npm run build), or the compiled modules in
// dist/cli/ when the bundle has not been built.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.mjs', import.meta.url);
const entry = existsSync(bundle) ? bundle.href : '../dist/cli/main.js';
import(entry).then((m) => m.main(process.argv.slice(2))).catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
