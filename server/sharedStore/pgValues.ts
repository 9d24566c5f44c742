// Values as PostgreSQL's BIGINT and TEXT hold them, read as SQLite reads the same values: what a store on PostgreSQL
// checks before sending a number or a string, so that a value SQLite would find nothing for finds nothing here too,
// without the server refusing it.
const BIGINT_MAX = 2n ** 63n - 1n;
const BIGINT_MIN = -(2n ** 63n);

/**
 * `n` as the bound of `column >= bound` on a BIGINT column: rounded up (the column holds integers) and clamped to
 * BIGINT's range, so a bound SQLite compares as a REAL (1e300, 1.5) finds the same rows here instead of failing.
 * NaN finds nothing, as in SQLite (which binds it as NULL): null. `column < n` is `column < lowerBound(n)` too, and
 * `column <= n` is `column < lowerBound(Math.floor(n) + 1)`.
 */
export function lowerBound(n: number): string | null {
  if (Number.isNaN(n)) return null;
  if (n === Infinity) return BIGINT_MAX.toString();
  if (n === -Infinity) return BIGINT_MIN.toString();
  const b = BigInt(Math.ceil(n));
  return (b > BIGINT_MAX ? BIGINT_MAX : b < BIGINT_MIN ? BIGINT_MIN : b).toString();
}

/** An id that cannot be a row's (fractional, unsafe, NaN) is unknown without asking the server, as in SQLite. */
export const isId = (id: number): boolean => Number.isSafeInteger(id);

/**
 * A string PostgreSQL's TEXT cannot hold (it has a NUL character, which the server refuses as a parameter) is no
 * row's name, login, code or hash: looked up, it finds nothing without asking the server, as SQLite answers.
 */
export const storable = (s: string): boolean => !s.includes('\0');

/** Free text written with a NUL (a reason, a rule) is stored without it: TEXT cannot hold one. */
export const withoutNul = (s: string): string => s.replaceAll('\0', '');
