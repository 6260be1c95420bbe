// Byte classes for RFC 9110/9112 syntax as lookup tables, so the hot loops do one indexed load per
// byte instead of comparisons or regexes.

export const CR = 13;
export const LF = 10;
export const SP = 32;
export const HTAB = 9;
export const COLON = 58;
export const SEMI = 59;
export const EQUALS = 61;
export const DQUOTE = 34;
export const BACKSLASH = 92;

/** tchar (RFC 9110 §5.6.2): 1 = valid, 2 = valid and an upper-case letter */
export const TCHAR = new Uint8Array(256);
/** field-value / reason-phrase bytes: HTAB, SP, VCHAR, obs-text (everything but CTLs and DEL) */
export const VALUE_OK = new Uint8Array(256);
/** HEXDIG value + 1 (0 = not a hex digit) */
export const HEX = new Uint8Array(256);

for (let b = 0; b < 256; b++) {
  VALUE_OK[b] = (b >= 0x20 && b !== 0x7f) || b === HTAB ? 1 : 0;
}
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;
for (let b = 0x30; b <= 0x39; b++) {
  TCHAR[b] = 1;
  HEX[b] = b - 0x30 + 1;
}
for (let b = 0x61; b <= 0x7a; b++) TCHAR[b] = 1;
for (let b = 0x41; b <= 0x5a; b++) TCHAR[b] = 2;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i + 1;
  HEX[0x61 + i] = 10 + i + 1;
}
