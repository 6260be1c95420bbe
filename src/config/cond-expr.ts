// The expression language of `.if` / `.elif` (HAProxy's cfg_eval_condition): integers, the empty
// string, predicates such as defined(VAR) or streq(a,b), `!`, `&&` (binds tighter), `||` and
// parentheses. The line has already been lexed (variables expanded) and is re-joined with single
// spaces, so `streq("$X", 1)` compares against " 1", exactly as HAProxy does.

type Result = { ok: true; value: boolean } | { ok: false; message: string };

const PREDICATES: Readonly<Record<string, number>> = {
  defined: 1,
  streq: 2,
  strneq: 2,
  strstr: 2,
};

/** Predicates HAProxy has whose answer depends on its build; sluice cannot answer them honestly. */
const UNSUPPORTED_PREDICATES = new Set([
  'feature',
  'version_atleast',
  'version_before',
  'openssl_version_atleast',
  'openssl_version_before',
  'ssllib_name_startswith',
  'awslc_api_atleast',
  'awslc_api_before',
  'enabled',
  'fips_mode',
]);

class Parser {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  private skipBlanks(): void {
    while (this.src[this.pos] === ' ' || this.src[this.pos] === '\t') this.pos++;
  }

  parse(): Result {
    this.skipBlanks();
    if (this.pos >= this.src.length) return { ok: true, value: false };
    const r = this.or();
    if (!r.ok) return r;
    this.skipBlanks();
    if (this.pos < this.src.length) {
      return {
        ok: false,
        message: `unexpected character '${this.src[this.pos]}' at position ${this.pos + 1}`,
      };
    }
    return r;
  }

  private or(): Result {
    let left = this.and();
    while (left.ok) {
      this.skipBlanks();
      if (!this.src.startsWith('||', this.pos)) break;
      this.pos += 2;
      const right = this.and();
      if (!right.ok) return right;
      left = { ok: true, value: left.value || right.value };
    }
    return left;
  }

  private and(): Result {
    let left = this.term();
    while (left.ok) {
      this.skipBlanks();
      if (!this.src.startsWith('&&', this.pos)) break;
      this.pos += 2;
      const right = this.term();
      if (!right.ok) return right;
      left = { ok: true, value: left.value && right.value };
    }
    return left;
  }

  private term(): Result {
    this.skipBlanks();
    const c = this.src[this.pos];
    if (c === undefined) return { ok: false, message: 'unexpected end of condition' };
    if (c === '!') {
      this.pos++;
      const r = this.term();
      return r.ok ? { ok: true, value: !r.value } : r;
    }
    if (c === '(') {
      this.pos++;
      const r = this.or();
      if (!r.ok) return r;
      this.skipBlanks();
      if (this.src[this.pos] !== ')') return { ok: false, message: "missing closing ')'" };
      this.pos++;
      return r;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*|^-?[0-9]+/.exec(this.src.slice(this.pos));
    if (m === null)
      return { ok: false, message: `unparsable conditional expression at position ${this.pos + 1}` };
    const word = m[0];
    this.pos += word.length;
    if (/^-?[0-9]+$/.test(word)) return { ok: true, value: Number(word) !== 0 };
    if (this.src[this.pos] !== '(') return { ok: false, message: `unknown term '${word}' in condition` };
    this.pos++;
    const close = this.src.indexOf(')', this.pos);
    if (close < 0) return { ok: false, message: `missing closing ')' after '${word}('` };
    const rawArgs = this.src.slice(this.pos, close);
    this.pos = close + 1;
    const args = rawArgs === '' ? [] : rawArgs.split(',');
    return this.predicate(word, args);
  }

  private predicate(name: string, args: string[]): Result {
    if (UNSUPPORTED_PREDICATES.has(name)) {
      return { ok: false, message: `predicate '${name}' is not supported by sluice yet` };
    }
    const arity = PREDICATES[name];
    if (arity === undefined) return { ok: false, message: `unknown predicate '${name}'` };
    if (args.length !== arity) {
      return { ok: false, message: `predicate '${name}' expects ${arity} argument(s), got ${args.length}` };
    }
    switch (name) {
      case 'defined':
        return { ok: true, value: this.env[args[0]] !== undefined };
      case 'streq':
        return { ok: true, value: args[0] === args[1] };
      case 'strneq':
        return { ok: true, value: args[0] !== args[1] };
      default:
        return { ok: true, value: args[0].includes(args[1]) };
    }
  }
}

export function evalCondition(words: readonly string[], env: NodeJS.ProcessEnv): Result {
  return new Parser(words.join(' '), env).parse();
}
