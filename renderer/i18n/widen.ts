// The shape a second-language catalog must have: the French one is the reference, so a key missing in English, or one
// English has and French has not, is a compile error, while the texts themselves may be any string.
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
