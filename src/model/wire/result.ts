// Result values for the wire decoders (smoltcp style): decoding never throws, it returns an error.

/** Result is either a decoded value or the reason decoding failed. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** ok wraps a successfully decoded value. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** err wraps the reason a decode failed; it fits any Result<T>. */
export function err(error: string): Result<never> {
  return { ok: false, error };
}
