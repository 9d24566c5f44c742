// A value now (the SQLite store of one machine) or later (PostgreSQL, for the nodes of a hub across machines): what is
// known now is used now, so the one-machine hub keeps its synchronous paths.
export type MaybePromise<T> = T | Promise<T>;

/** Runs `use` with the value, at once when it is there; a failure of a promised one goes to `failed`. */
export function whenReady<T>(value: MaybePromise<T>, use: (v: T) => void, failed: (e: unknown) => void): void {
  if (value instanceof Promise) value.then(use).catch(failed);
  else use(value);
}

/** `map` of the value: at once when it is there, later when it is promised. */
export function mapMaybe<T, U>(value: MaybePromise<T>, map: (v: T) => U): MaybePromise<U> {
  return value instanceof Promise ? value.then(map) : map(value);
}
