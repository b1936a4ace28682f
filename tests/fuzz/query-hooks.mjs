// Node module hooks (node:module register) for tests/fuzz/sandbox.ts: a `.ts` URL with a query
// (`cli/main.ts?run=7`) is a fresh instance of that module, loaded as the plain URL would be, so the
// sandbox can run cli/main.ts once per lab inside one process. Registered after swc-register.mjs, so
// these run first and hand the plain URL on to its TypeScript loader.

export async function load(url, context, next) {
  const q = url.indexOf('?');
  if (url.startsWith('file:') && q > 0 && /\.tsx?$/.test(url.slice(0, q))) return next(url.slice(0, q), context);
  return next(url, context);
}
