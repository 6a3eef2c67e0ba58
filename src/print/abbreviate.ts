/**
 * R's abbreviate(names, minlength) (method "left.kept", use.classes = TRUE, strict = FALSE): drop
 * lower-case vowels, then lower-case letters, then other characters from the right (never the first
 * character of a word) until the name is short enough; duplicates get a longer minlength.
 */

const isVowel = (c: string): boolean => 'aeiou'.includes(c);
const isLower = (c: string): boolean => c >= 'a' && c <= 'z';
const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/** One name abbreviated to at most minlength characters (R's stripchars). */
export function stripChars(input: string, minlength: number): string {
  let s = input.replace(/^\s+/, '').split('');
  const len = (): number => s.filter((c) => !isSpace(c)).length;
  if (s.length <= minlength) return s.join('');
  const lastChar = (i: number): boolean => !isSpace(s[i - 1]) && (i + 1 >= s.length || isSpace(s[i + 1]));
  const firstChar = (i: number): boolean => isSpace(s[i - 1]);
  const pass = (drop: (c: string, i: number) => boolean): boolean => {
    for (let i = s.length - 1; i > 0; i--) {
      if (i < s.length && drop(s[i], i)) s.splice(i, 1);
      if (len() <= minlength) return true;
    }
    return false;
  };
  // trailing spaces go; inner spaces stay as word boundaries until the end
  while (s.length > 1 && isSpace(s[s.length - 1])) s.pop();
  const done =
    len() <= minlength ||
    pass((c, i) => isVowel(c) && lastChar(i)) ||
    pass((c, i) => isVowel(c) && !firstChar(i)) ||
    pass((c, i) => isLower(c) && lastChar(i)) ||
    pass((c, i) => isLower(c) && !firstChar(i)) ||
    pass((c, i) => !firstChar(i) && !isSpace(c));
  void done;
  if (s.length > minlength) s = s.filter((c, i) => i === 0 || !isSpace(c));
  return s.join('');
}

/** R's abbreviate() of a vector of names: unique abbreviations of at least `minlength` characters. */
export function abbreviate(input: readonly string[], minlength: number): string[] {
  // R's wrapper drops leading and trailing blanks first
  const names = input.map((n) => n.replace(/^ +/, '').replace(/ +$/, ''));
  const out = names.map((n) => stripChars(n, minlength));
  let ml = minlength;
  for (let guard = 0; guard < 100; guard++) {
    const seen = new Map<string, number>();
    const dup = new Set<number>();
    out.forEach((a, i) => {
      if (seen.has(a) && names[seen.get(a)!] !== names[i]) {
        dup.add(i);
        dup.add(seen.get(a)!);
      } else if (!seen.has(a)) seen.set(a, i);
    });
    if (dup.size === 0) break;
    ml++;
    for (const i of dup) out[i] = stripChars(names[i], ml);
  }
  return out;
}
