// Results of calls that can fail for expected reasons: values, not exceptions (STYLE.md).
export type Ok<T> = { ok: true; value: T };
export type Err<C extends string = string> = { ok: false; error: { code: C; message: string } };
export type Result<T, C extends string = string> = Ok<T> | Err<C>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <C extends string>(code: C, message: string): Err<C> => ({ ok: false, error: { code, message } });
