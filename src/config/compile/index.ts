// The compiler: AST in, immutable Model out. Sections are compiled in declaration order; each
// proxy starts from a defaults section (the last one declared before it, or the one it names with
// `from`). Cross-proxy checks (backend references, modes) run last, over every proxy that parsed,
// so one run lists as many problems as possible.
import type { ConfigAst, SectionNode } from '../ast';
import type { Diagnostics } from '../diagnostics';
import {
  MODEL_SCHEMA,
  type BackendModel,
  type CompileResult,
  type FrontendModel,
  type Model,
} from '../model';
import { draftFrom, newDraft, type ProxyDraft } from './draft';
import { buildBackend, buildFrontend, proxyWarnings } from './finalize';
import { deepFreeze } from './freeze';
import { compileGlobal } from './global';
import { proxyStatement } from './proxy';
import { Stmt } from './stmt';

function sectionPos(sec: SectionNode): ProxyDraft['pos'] {
  const w = sec.header.words[1] ?? sec.header.words[0];
  return { file: sec.header.file, line: sec.header.line, col: w.col };
}

export function compileAst(ast: ConfigAst, diags: Diagnostics): CompileResult {
  const global = compileGlobal(ast.sections, diags);
  const namedDefaults = new Map<string, ProxyDraft>();
  let lastDefaults: ProxyDraft | null = null;
  const proxies: ProxyDraft[] = [];
  const frontends = new Map<string, ProxyDraft>();
  const backends = new Map<string, ProxyDraft>();
  let nextId = 1;

  for (const sec of ast.sections) {
    if (sec.kind === 'global') continue;
    const pos = sectionPos(sec);
    const name = sec.name ?? '';
    if (sec.kind !== 'defaults' && sec.name === null) continue; // header already reported
    let parent: ProxyDraft | null = sec.kind === 'defaults' ? null : lastDefaults;
    if (sec.from !== null) {
      const ref = namedDefaults.get(sec.from);
      if (ref === undefined) {
        const what = sec.kind === 'defaults' ? 'defaults section' : sec.kind;
        diags.alert(pos, `defaults section '${sec.from}' not found for ${what} '${name}'.`);
      } else parent = ref;
    } else if (
      parent !== null &&
      sec.kind !== 'defaults' &&
      parent.httpRequest.length + parent.inheritedHttpRequest.length > 0
    ) {
      diags.alert(
        pos,
        `${sec.kind} '${name}' cannot use defaults section '${parent.name}' implicitly because it declares 'http-request' rules; use '${sec.kind} ${name} from ${parent.name}'.`,
      );
    }
    const draft: ProxyDraft =
      parent === null ? newDraft(sec.kind, name, pos) : draftFrom(parent, sec.kind, name, pos);
    if (sec.kind === 'defaults') {
      if (sec.name !== null) {
        const dup = namedDefaults.get(name);
        if (dup !== undefined) {
          diags.alert(
            pos,
            `defaults section '${name}' has the same name as another defaults section declared at ${dup.pos.file}:${dup.pos.line}.`,
          );
        }
        namedDefaults.set(name, draft);
      }
      lastDefaults = draft;
    } else {
      draft.id = nextId++;
      const hasFe = sec.kind !== 'backend';
      const hasBe = sec.kind !== 'frontend';
      for (const [has, map] of [
        [hasFe, frontends],
        [hasBe, backends],
      ] as const) {
        if (!has) continue;
        const dup = map.get(name);
        if (dup !== undefined) {
          diags.alert(
            pos,
            `${sec.kind} '${name}' has the same name as ${dup.kind} '${name}' declared at ${dup.pos.file}:${dup.pos.line}.`,
          );
        } else map.set(name, draft);
      }
      proxies.push(draft);
    }
    for (const st of sec.body) proxyStatement(new Stmt(st, diags), draft, global.tune.bufsize);
    proxyWarnings(draft, diags);
  }

  const feModels: FrontendModel[] = [];
  const beModels: BackendModel[] = [];
  for (const d of proxies) {
    if (d.kind !== 'backend') feModels.push(buildFrontend(d, backends, global.logs, diags));
    if (d.kind !== 'frontend') beModels.push(buildBackend(d, global.logs, diags));
  }
  if (diags.alertCount > 0) return { model: null, diagnostics: diags.list };
  const model: Model = {
    schema: MODEL_SCHEMA,
    files: ast.files,
    global,
    frontends: feModels,
    backends: beModels,
  };
  return { model: deepFreeze(model), diagnostics: diags.list };
}
