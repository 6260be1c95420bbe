// http-request rules runtime: ACLs, conditions, log-format, actions and content switching, all
// compiled once at load into closures.

export { compileAclTerm, validateAclTerm } from './acl';
export { compileCondition } from './condition';
export { compileLogFormat, logFormatConstant, validateLogFormat } from './logformat';
export type { LogFormatMode } from './logformat';
export { compileHttpRequestRules } from './actions';
export { compileBackendSelector } from './backend';
export { compileIntMatcher, parseIntPattern } from './int-match';
