#!/usr/bin/env node
// Entry point of the `lmm` command (package.json "bin"); the logic lives in main.ts. Failing writes
// (a full disk, a closed pipe) end with a one-line message and exit code 8, not a stack trace.
import { EXIT_CODES, run } from './main.js';

function outputFailed(e: unknown): void {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOSPC' ? 'no space left on the device' : err.code === 'EPIPE' ? 'the reader closed the pipe' : err.message;
  try {
    process.stderr.write(`Error: cannot write the output (${err.code ?? 'error'}): ${why}\n`);
  } catch {
    // stderr itself is gone: the exit code is all that is left to say it
  }
  process.exitCode = EXIT_CODES.output;
}

process.stdout.on('error', outputFailed);
process.stderr.on('error', () => {
  process.exitCode = EXIT_CODES.output;
});
const write = (stream: NodeJS.WriteStream) => (s: string): void => {
  try {
    stream.write(s);
  } catch (e) {
    outputFailed(e);
  }
};
const code = run(process.argv.slice(2), write(process.stdout), write(process.stderr));
if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
