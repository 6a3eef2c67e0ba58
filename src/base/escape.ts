/**
 * Making user text safe to show: control characters (C0, DEL, C1, and the bidirectional overrides
 * that reorder what a terminal shows) become visible escapes, so a level name cannot clear the
 * screen or set the terminal title, and echoed input is capped so a 1 MB formula cannot produce a
 * 2 MB message. `--json` output does not use this: JSON has its own escapes.
 */

/** Longest piece of user input an error message repeats (characters). */
export const ECHO_LIMIT = 200;

// C0 controls except \n and \t (layout in printed tables), DEL, C1 controls, bidi overrides/isolates
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_LAYOUT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Escapes control characters for terminal output, keeping newlines and tabs (printed tables' layout). */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/** Whether `text` has a character `escapeControl` would escape. */
export function hasControl(text: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text);
}

/**
 * A piece of user input as an error message repeats it: every control character escaped (newlines
 * too: a message names one thing) and at most `limit` characters, with the full length said when cut.
 */
export function escapeForMessage(text: string, limit = ECHO_LIMIT): string {
  const cut = text.length > limit;
  const shown = (cut ? text.slice(0, limit) : text).replace(CONTROL_OR_LAYOUT, escapeChar);
  return cut ? `${shown}… (${text.length} characters in all)` : shown;
}
