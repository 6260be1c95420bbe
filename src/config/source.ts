// Turns the text of one file into statements: lexes every line, applies `.if/.elif/.else/.endif`
// blocks (nestable, per file) and the `.diag/.notice/.warning/.alert` directives. What comes out
// is only the active lines, each with its position.
import { evalCondition } from './cond-expr';
import { didYouMean } from './diagnostics';
import type { Diagnostics } from './diagnostics';
import { lexLine } from './lexer';
import type { Word } from './lexer';

export interface Statement {
  readonly file: string;
  readonly line: number;
  readonly words: readonly Word[];
}

interface Block {
  readonly line: number;
  /** this branch's lines are kept */
  active: boolean;
  /** some branch of this block was already taken (later .elif/.else are skipped) */
  taken: boolean;
  /** the enclosing block is active */
  readonly parentActive: boolean;
  seenElse: boolean;
}

const DIRECTIVES = ['.if', '.elif', '.else', '.endif', '.diag', '.notice', '.warning', '.alert'];

export function readStatements(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv,
  diags: Diagnostics,
): Statement[] {
  const out: Statement[] = [];
  const stack: Block[] = [];
  const lines = text.split('\n');
  for (let idx = 0; idx < lines.length; idx++) {
    const line = idx + 1;
    const lexed = lexLine(lines[idx], { env, file, line });
    const active = stack.length === 0 || stack[stack.length - 1].active;
    const first = lexed.words[0];
    const kw = first?.text ?? '';
    const isBlockKw = kw === '.if' || kw === '.elif' || kw === '.else' || kw === '.endif';
    // Lines of inactive branches are not checked: they may well be written for another build.
    if (!active && !isBlockKw) continue;
    if (lexed.errors.length > 0) {
      for (const e of lexed.errors) diags.alert({ file, line, col: e.col }, e.message);
      continue;
    }
    if (first === undefined) continue;
    const at = { file, line, col: first.col };
    const args = lexed.words.slice(1).map((w) => w.text);
    const text = args.join(' ') === '' ? `(empty '${kw}' message)` : args.join(' ');
    if (!kw.startsWith('.')) {
      out.push({ file, line, words: lexed.words });
      continue;
    }
    switch (kw) {
      case '.if': {
        const parentActive = active;
        const block: Block = { line, active: false, taken: false, parentActive, seenElse: false };
        if (parentActive) {
          const r = evalCondition(args, env);
          if (!r.ok) diags.alert(at, `failed to parse condition in '.if': ${r.message}`);
          else block.active = block.taken = r.value;
        }
        stack.push(block);
        break;
      }
      case '.elif':
      case '.else': {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          diags.alert(at, `'${kw}' appears without a matching '.if'.`);
          break;
        }
        if (top.seenElse) {
          diags.alert(at, `'${kw}' after '.else' in the '.if' block started at line ${top.line}.`);
          top.active = false;
          break;
        }
        if (kw === '.else') {
          top.seenElse = true;
          top.active = top.parentActive && !top.taken;
          top.taken = true;
          break;
        }
        top.active = false;
        if (top.parentActive && !top.taken) {
          const r = evalCondition(args, env);
          if (!r.ok) diags.alert(at, `failed to parse condition in '.elif': ${r.message}`);
          else top.active = top.taken = r.value;
        }
        break;
      }
      case '.endif':
        if (stack.pop() === undefined) diags.alert(at, "'.endif' appears without a matching '.if'.");
        break;
      case '.diag':
      case '.notice':
        diags.notice(at, text);
        break;
      case '.warning':
        diags.warning(at, text);
        break;
      case '.alert':
        diags.alert(at, text);
        break;
      default:
        diags.alert(at, `unknown directive '${kw}'${didYouMean(kw, DIRECTIVES)}`);
    }
  }
  for (const b of stack) {
    diags.alert({ file, line: b.line, col: 1 }, "non-terminated '.if' block.");
  }
  return out;
}
