/** `T` with its fields writable: a program's position, kept as one object changed in place (not one per step). @internal */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
