// Shapes shared by the catalogues: a feature's messages are written once in English (the reference)
// and each other locale must translate every key, which the type checks.
export type PluralForms = { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string };
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : PluralForms };
