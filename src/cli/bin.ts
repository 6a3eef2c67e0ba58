#!/usr/bin/env node
// Entry point of the `lmm` command (package.json "bin"); the logic lives in main.ts. Failing writes
// (a full disk, a closed pipe) end with a one-line message and exit code 8, not a stack trace.
import { EXIT_CODES, run, type Plotter } from './main.js';

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
/** --plot's writer, loaded only when asked for: its plotting packages are optional dependencies. */
async function loadPlotter(argv: readonly string[]): Promise<Plotter | undefined | null> {
  if (!argv.some((a) => a === '--plot' || a.startsWith('--plot='))) return undefined;
  try {
    const { parsePlotArgument, writePlot } = await import('../node-plot.js');
    return (spec, model) => {
      const { kind, path } = parsePlotArgument(spec);
      writePlot(kind, model as Parameters<typeof writePlot>[1], path);
    };
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    process.stderr.write(
      missing
        ? 'Error: --plot needs the optional packages @observablehq/plot and linkedom: npm install @observablehq/plot linkedom\n'
        : `Error: cannot load the plotting module: ${(e as Error).message}\n`,
    );
    return null;
  }
}

const argv = process.argv.slice(2);
const plotter = await loadPlotter(argv);
const code = plotter === null ? EXIT_CODES.option : run(argv, write(process.stdout), write(process.stderr), plotter, process.stderr);
if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
