// The Model is immutable at runtime too, not only in its types: a worker that mutates it by
// mistake fails loudly instead of diverging from its siblings.
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
