// Operations on flat header arrays ([name, value, name, value, ...], lower-case names).

export function getHeader(h: readonly string[], name: string): string | undefined {
  for (let i = h.length - 2; i >= 0; i -= 2) if (h[i] === name) return h[i + 1];
  return undefined;
}

/** every value of a header, in order */
export function getHeaders(h: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < h.length; i += 2) if (h[i] === name) out.push(h[i + 1] as string);
  return out;
}

export function hasHeader(h: readonly string[], name: string): boolean {
  for (let i = 0; i < h.length; i += 2) if (h[i] === name) return true;
  return false;
}

export function addHeader(h: string[], name: string, value: string): void {
  h.push(name, value);
}

/** removes every occurrence of a header; returns how many were removed */
export function delHeader(h: string[], name: string): number {
  let w = 0;
  let removed = 0;
  for (let r = 0; r < h.length; r += 2) {
    if (h[r] === name) {
      removed++;
      continue;
    }
    if (w !== r) {
      h[w] = h[r] as string;
      h[w + 1] = h[r + 1] as string;
    }
    w += 2;
  }
  h.length = w;
  return removed;
}

export function setHeader(h: string[], name: string, value: string): void {
  delHeader(h, name);
  h.push(name, value);
}
