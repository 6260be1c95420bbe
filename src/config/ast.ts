// The syntax tree: sections with their statements, in source order, positions kept. It says only
// what was written; meaning (inheritance, validation, defaults) is the compiler's business.
import type { Word } from './lexer';
import type { Statement } from './source';

export type { Statement, Word };

export type SectionKind = 'global' | 'defaults' | 'frontend' | 'backend' | 'listen';

export interface SectionNode {
  readonly kind: SectionKind;
  /** proxy or named-defaults name; null for `global` and anonymous `defaults` */
  readonly name: string | null;
  /** `from <defaults-name>` */
  readonly from: string | null;
  readonly header: Statement;
  readonly body: Statement[];
}

export interface ConfigAst {
  readonly files: readonly string[];
  readonly sections: readonly SectionNode[];
}
