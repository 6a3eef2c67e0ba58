/**
 * exp, log, log1p and expm1 with the same bits in every JavaScript host: fdlibm's algorithms (as V8's
 * Math.exp, Math.log, ... in Node compute them, and as the WebAssembly engine's glmer PIRLS does in
 * assembly/fdlibm.ts) in plain double arithmetic, by the @stdlib packages. Math.exp and Math.log are not
 * portable: Chromium's rounds some results unlike Node's, and glmer's start (the link of μ₀), aic and
 * quadrature would then move a fit's last bits from one host to the other.
 */
import exp from '@stdlib/math-base-special-exp';
import log from '@stdlib/math-base-special-ln';
import log1p from '@stdlib/math-base-special-log1p';
import expm1 from '@stdlib/math-base-special-expm1';

export { exp, log, log1p, expm1 };
