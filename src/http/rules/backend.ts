// Content switching: `use_backend <name> [if|unless cond]` in order, first match wins, else
// `default_backend`, else null (the caller answers 503). A backend name containing '%' is a
// log-format (`use_backend be_%[req.hdr(host),lower]`), expanded per request.

import type { FrontendModel } from '../../config/model';
import type { Exchange } from '../exchange';
import { compileCondition } from './condition';
import { compileLogFormat, logFormatConstant } from './logformat';

interface Route {
  readonly test: (ex: Exchange) => boolean;
  readonly name: (ex: Exchange) => string;
}

function compileName(name: string): (ex: Exchange) => string {
  const constant = name.includes('%') ? logFormatConstant(name) : name;
  if (constant !== null) return () => constant;
  return compileLogFormat(name);
}

export function compileBackendSelector(fe: FrontendModel): (ex: Exchange) => string | null {
  const routes: Route[] = fe.useBackend.map((u) => ({
    test: compileCondition(u.cond),
    name: compileName(u.backend),
  }));
  const fallback = fe.defaultBackend;
  if (routes.length === 0) return () => fallback;
  return (ex) => {
    for (const r of routes) if (r.test(ex)) return r.name(ex);
    return fallback;
  };
}
