/**
 * The one reader behind every payload reader: an object read field by field, each field by a
 * function of its own. Server payloads are read leniently (a field that is missing or of the
 * wrong kind gets its empty value); client payloads are checked strictly, naming the first field
 * that breaks a rule so that a server can answer `invalid input: <field>`.
 *
 * @module
 */

/** The outcome of reading a client payload: the value, or the first field that broke a rule. */
export type ReadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly field: string };

/** A payload's fields, or `undefined` when it is not an object. */
export function fields(raw: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

/** Reads each field of an object with its own function; `undefined` when it is not an object, or when a function gives `undefined` (then `failed` hears the field's name). */
export function readFields<T>(raw: unknown, read: { readonly [K in keyof T]: (value: unknown) => T[K] | undefined }, failed?: (field: string) => void): T | undefined {
  const f = fields(raw);
  if (!f) return void failed?.('payload');
  const value = {} as T;
  for (const key in read) {
    const field = read[key](f[key]);
    if (field === undefined) return void failed?.(key);
    value[key] = field;
  }
  return value;
}

// ---------------------------------------------------------------- lenient: what a server sends

/** A string, a number as a string, or `""`. */
export const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : '');

/** A finite number, or a string that is one; else `undefined`. */
export function num(value: unknown): number | undefined {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/** A number as {@link num} reads it, or `0`. */
export const num0 = (value: unknown): number => num(value) ?? 0;

/** `true`, `"true"` or `1`; anything else is `false`. */
export const bool = (value: unknown): boolean => value === true || value === 'true' || value === 1;

// ---------------------------------------------------------------- strict: what a client sends

/** Checks a client payload field by field (see {@link readFields}). */
export function check<T>(raw: unknown, read: { readonly [K in keyof T]: (value: unknown) => T[K] | undefined }): ReadResult<T> {
  let field = '';
  const value = readFields(raw, read, (name) => void (field = name));
  return value === undefined ? { ok: false, field } : { ok: true, value };
}

/**
 * A field's check followed by another of the value it gives. Not named `then`: a module that
 * exports `then` is a thenable, and `await import()` of it never settles.
 */
export const andThen =
  <A, B>(first: (value: unknown) => A | undefined, next: (value: A) => B | undefined) =>
  (value: unknown): B | undefined => {
    const checked = first(value);
    return checked === undefined ? undefined : next(checked);
  };

/** A safe integer. */
export const int = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);

/** A string of at most `max` characters; missing reads as `""` unless `required` (then it must not be blank either). */
export const text =
  (max: number, required = false) =>
  (value: unknown): string | undefined =>
    value === undefined || value === null ? (required ? undefined : '') : typeof value === 'string' && value.length <= max && !(required && value.trim() === '') ? value : undefined;

/** Like {@link text}, trimmed, and at most `max` characters after trimming. */
export const trimmed = (max: number, required = true) => andThen(text(Infinity, required), (value) => (value.trim().length <= max ? value.trim() : undefined));

/** A boolean; missing reads as `false`. */
export const flag = (value: unknown): boolean | undefined => (value === undefined || value === null ? false : typeof value === 'boolean' ? value : undefined);
