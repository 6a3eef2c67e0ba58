// The formula parser: R's operator precedence and associativity, calls, parentheses, backticks,
// numbers, random-effects bars, and syntax errors with the 0-based position of the offending character.
import { describe, expect, it } from 'vitest';
import { FormulaSyntaxError } from '../src/errors.js';
import { tokenize } from '../src/formula/lexer.js';
import { parseFormula } from '../src/formula/parse.js';
import type { Expr } from '../src/formula/types.js';

/** The tree as an s-expression: `(~ y (+ x z))`, `(call log x)`, `(paren …)`, `(neg x)`. */
function sx(e: Expr): string {
  switch (e.kind) {
    case 'formula':
      return e.lhs ? `(~ ${sx(e.lhs)} ${sx(e.rhs)})` : `(~ ${sx(e.rhs)})`;
    case 'name':
      return e.name.includes(' ') ? `[${e.name}]` : e.name;
    case 'number':
      return `#${e.value}`;
    case 'call':
      return `(${e.fn} ${e.args.map(sx).join(' ')})`;
    case 'unary':
      return `(${e.op === '-' ? 'neg' : 'pos'} ${sx(e.operand)})`;
    case 'binary':
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case 'paren':
      return `{${sx(e.inner)}}`;
  }
}

describe('parser: trees with R precedence', () => {
  it.each([
    ['y ~ 1', '(~ y #1)'],
    ['~ 0 + x', '(~ (+ #0 x))'],
    ['y ~ x - 1', '(~ y (- x #1))'],
    ['y ~ -1 + x', '(~ y (+ (neg #1) x))'],
    ['y ~ x + 0', '(~ y (+ x #0))'],
    ['y ~ a + b - c + d', '(~ y (+ (- (+ a b) c) d))'],
    ['y ~ a * b + c', '(~ y (+ (* a b) c))'],
    ['y ~ a + b * c', '(~ y (+ a (* b c)))'],
    ['y ~ a * b / c', '(~ y (/ (* a b) c))'],
    ['y ~ a / b:c', '(~ y (/ a (: b c)))'],
    ['y ~ a:b:c', '(~ y (: (: a b) c))'],
    ['y ~ a * b %in% c', '(~ y (* a (%in% b c)))'],
    ['y ~ a %in% b:c', '(~ y (%in% a (: b c)))'],
    ['y ~ (a+b+c)^2', '(~ y (^ {(+ (+ a b) c)} #2))'],
    ['y ~ a^b^c', '(~ y (^ a (^ b c)))'],
    ['y ~ -a^2', '(~ y (neg (^ a #2)))'],
    ['y ~ -a:b', '(~ y (: (neg a) b))'],
    ['y ~ x**2', '(~ y (^ x #2))'],
    ['y ~ I(x^2) + log(x) + exp(x) + sqrt(x)', '(~ y (+ (+ (+ (I (^ x #2)) (log x)) (exp x)) (sqrt x)))'],
    ['y ~ I(2 * x - 1/3 + x^-1)', '(~ y (I (+ (- (* #2 x) (/ #1 #3)) (^ x (neg #1)))))'],
    ['log(y) ~ x', '(~ (log y) x)'],
    ['y ~ `my var` + `x`', '(~ y (+ [my var] x))'],
    ['y.1 ~ x_2 + .z + x.y.z + a1b2', '(~ y.1 (+ (+ (+ x_2 .z) x.y.z) a1b2))'],
    ['y~x+z', '(~ y (+ x z))'],
    ['  y\t~\n x  ', '(~ y x)'],
    ['y ~ I(.5 * x) + I(1e-3 * x) + I(2.5E+2 * x)', '(~ y (+ (+ (I (* #0.5 x)) (I (* #0.001 x))) (I (* #250 x))))'],
    ['y ~ (1|g)', '(~ y {(| #1 g)})'],
    ['y ~ (x|g)', '(~ y {(| x g)})'],
    ['y ~ (1 + x | g)', '(~ y {(| (+ #1 x) g)})'],
    ['y ~ (0 + x | g)', '(~ y {(| (+ #0 x) g)})'],
    ['y ~ (x || g)', '(~ y {(|| x g)})'],
    ['y ~ (1 | a/b)', '(~ y {(| #1 (/ a b))})'],
    ['y ~ (1 | a:b)', '(~ y {(| #1 (: a b))})'],
    ['y ~ x + (1 + x | g) + (1 | h)', '(~ y (+ (+ x {(| (+ #1 x) g)}) {(| #1 h)}))'],
    ['y ~ 1 | g', '(~ y (| #1 g))'],
    ['~ x', '(~ x)'],
    ['x + z', '(+ x z)'],
  ])('%s', (text, tree) => {
    expect(sx(parseFormula(text))).toBe(tree);
  });

  it('records 0-based positions of nodes in the trimmed text', () => {
    const e = parseFormula('  y ~ log(x) + z');
    expect(e.kind === 'formula' && e.pos).toBe(2);
    if (e.kind !== 'formula' || e.rhs.kind !== 'binary') throw new Error('shape');
    expect(e.rhs.pos).toBe(11);
    expect(e.rhs.left.pos).toBe(4);
    expect(e.rhs.right.pos).toBe(13);
  });

  it('keeps number literals as written', () => {
    const e = parseFormula('I(1.50 * x)');
    expect(e.kind === 'call' && e.args[0].kind === 'binary' && e.args[0].left).toMatchObject({ kind: 'number', value: 1.5, text: '1.50' });
  });

  it('tokenizes operators, names and numbers', () => {
    expect(tokenize('y~a%in%b||c**2').map((t) => `${t.kind}:${t.text}@${t.pos}`)).toEqual([
      'name:y@0', 'op:~@1', 'name:a@2', 'op:%in%@3', 'name:b@7', 'op:||@8', 'name:c@10', 'op:^@11', 'number:2@13', 'end:@14',
    ]);
  });
});

describe('parser: syntax errors point at the offending character', () => {
  const failure = (f: string): FormulaSyntaxError => {
    try {
      parseFormula(f);
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaSyntaxError);
      return e as FormulaSyntaxError;
    }
    throw new Error(`no error for ${JSON.stringify(f)}`);
  };
  it.each([
    ['y ~ x +', 7, /Unexpected end of formula at position 8/],
    ['y ~ (x', 6, /Missing '\)'/],
    ['y ~ x))', 5, /Unmatched '\)'/],
    ['y ~ x $ z', 6, /Unexpected character '\$'/],
    ['~~', 1, /A formula has one '~'/],
    ['y ~ (1|)', 7, /Unexpected '\)'/],
    ['', 0, /Empty formula/],
    ['   ', 0, /Empty formula/],
    ['y ~ log(', 8, /Unexpected end of formula/],
    ['y ~ log(x', 9, /Missing '\)' to close log\(/],
    ['y ~ ()', 5, /Empty parentheses/],
    ['y ~ f()', 6, /f\(\) needs an argument/],
    ['y ~ log(x,)', 10, /Unexpected '\)'/],
    ['y ~ x y', 6, /Unexpected 'y'/],
    ['y ~ 2x', 5, /Unexpected character 'x' after the number 2/],
    ['y ~ `x', 4, /Unterminated backtick name/],
    ['y ~ ``', 4, /Empty backtick name/],
    ['y ~ x %% 2', 6, /Unknown operator/],
    ['y ~ x ~ z', 6, /Unexpected '~'/],
    ['y ~ x^', 6, /Unexpected end of formula/],
    ['y ~ x + * z', 8, /Unexpected '\*'/],
    ['y ~ x | | g', 8, /Unexpected '\|'/],
    ['y ~ x, z', 5, /Unexpected ','/],
    ['y ~ x >= 2', 6, /Unexpected character '>'/],
    ['y ~ "x"', 4, /Unexpected character '"'/],
  ])('%j fails at %i', (f, pos, message) => {
    const err = failure(f);
    expect(err.position).toBe(pos);
    expect(err.message).toMatch(message);
    const lines = err.message.split('\n');
    expect(lines[lines.length - 2]).toBe(`  ${f.trim()}`);
    expect(lines[lines.length - 1]).toBe(`${' '.repeat(2 + pos)}^`);
    expect(err.code).toBe('FORMULA_SYNTAX');
  });
});
