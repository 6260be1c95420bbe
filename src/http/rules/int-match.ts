// Integer patterns of ACLs (`-m int`, `-m len`, integer fetches): "3", "eq 3", "ge 3", "gt 3",
// "le 3", "lt 3", "3:5", ":5", "3:". Compiled into inclusive ranges.

export interface IntRange {
  readonly min: number;
  readonly max: number;
}

const INT_PATTERN = /^\s*(?:(eq|ge|gt|le|lt)\s+)?([-+]?\d+)?(?:(:)([-+]?\d+)?)?\s*$/;

/** Parses one integer pattern into an inclusive range, or null when malformed. */
export function parseIntPattern(p: string): IntRange | null {
  const m = INT_PATTERN.exec(p);
  if (m === null) return null;
  const [, op, a, colon, b] = m;
  if (a === undefined && b === undefined) return null;
  if (op !== undefined) {
    if (colon !== undefined || a === undefined) return null;
    const n = Number(a);
    switch (op) {
      case 'eq':
        return { min: n, max: n };
      case 'ge':
        return { min: n, max: Infinity };
      case 'gt':
        return { min: n + 1, max: Infinity };
      case 'le':
        return { min: -Infinity, max: n };
      default:
        return { min: -Infinity, max: n - 1 };
    }
  }
  if (colon === undefined) return { min: Number(a), max: Number(a) };
  return {
    min: a === undefined ? -Infinity : Number(a),
    max: b === undefined ? Infinity : Number(b),
  };
}

/** Compiles patterns into a predicate; malformed patterns are skipped (validated at compile time). */
export function compileIntMatcher(patterns: readonly string[]): (n: number) => boolean {
  const ranges: IntRange[] = [];
  for (const p of patterns) {
    const r = parseIntPattern(p);
    if (r !== null) ranges.push(r);
  }
  if (ranges.length === 1) {
    const { min, max } = ranges[0] as IntRange;
    return (n) => n >= min && n <= max;
  }
  return (n) => {
    for (const r of ranges) if (n >= r.min && n <= r.max) return true;
    return false;
  };
}

/**
 * String to integer as HAProxy casts samples: optional sign, then leading digits; anything else
 * reads as 0. An empty string is no sample (null).
 */
export function parseLeadingInt(v: string): number | null {
  if (v.length === 0) return null;
  let i = 0;
  let neg = false;
  const c0 = v.charCodeAt(0);
  if (c0 === 45 /* - */ || c0 === 43 /* + */) {
    neg = c0 === 45;
    i = 1;
  }
  let n = 0;
  for (; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}
