// Untrusted bytes (request line, headers, samples) must never split a log line, forge a field or
// break quoting: HAProxy's url_encode_map rule, applied to every such value in text log lines.
// Control characters, DEL and above, '"' and '#' become '#XX' (upper-case hex of each byte).

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push('#' + i.toString(16).toUpperCase().padStart(2, '0'));

function unsafe(c: number): boolean {
  return c < 32 || c >= 127 || c === 34 || c === 35;
}

/** the value with unsafe characters '#XX'-encoded; the same string when nothing needs it */
export function escapeLog(s: string): string {
  for (let i = 0; i < s.length; i++) if (unsafe(s.charCodeAt(i))) return escapeFrom(s, i);
  return s;
}

function escapeFrom(s: string, start: number): string {
  let out = s.slice(0, start);
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!unsafe(c)) out += s[i];
    else if (c < 256) out += HEX[c];
    else {
      // beyond latin-1: the UTF-8 bytes of the code point (a lone surrogate encodes as U+FFFD)
      const cp = s.codePointAt(i) as number;
      for (const b of Buffer.from(String.fromCodePoint(cp))) out += HEX[b];
      if (cp > 0xffff) i++;
    }
  }
  return out;
}
