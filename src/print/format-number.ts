/** @deprecated Moved to src/text/format-number.ts (below fit, so messages can use it); kept so other branches merge. */
export * from '../text/format-number.js';
