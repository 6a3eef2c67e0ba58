#!/usr/bin/env node
// Entry point of the `lmm` command (package.json "bin"); the logic lives in main.ts.
import { run } from './main.js';

process.exitCode = run(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
