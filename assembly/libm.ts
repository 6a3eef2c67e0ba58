// The engine's exp and log: AssemblyScript's table-driven implementations, named directly. Math.exp and
// Math.log choose between these and smaller table-free ones by the compiler's shrink level, and the two round
// differently in the last bit, so a build setting would otherwise change the engine's numbers.
// The table-driven log is also the algorithm of glibc's log, which R's log() calls: on the arguments compared
// (bench/BROWSER-SIZE.md) the two agree bit for bit, the table-free one does not.
import { exp_lut, log_lut } from 'util/math';

export function exp(x: f64): f64 {
  return exp_lut(x);
}

export function log(x: f64): f64 {
  return log_lut(x);
}
