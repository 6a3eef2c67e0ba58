/** @deprecated Moved to src/fit/satterthwaite.ts (lmerTest's model carries its Satterthwaite basis); kept so other branches merge. */
export * from '../fit/satterthwaite.js';
