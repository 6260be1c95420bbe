// The upstream HTTP/1.1 client: pooled keep-alive connections to servers, strict response parsing.

export { UpstreamPool } from './pool';
export type { UpstreamPoolOptions } from './pool';
export * from './types';
