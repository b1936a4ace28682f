// `node --import ./tests/fuzz/query-register.mjs` adds query-hooks.mjs to a process and to every
// worker thread it starts (workers inherit the --import options), after swc-register.mjs.
import { register } from 'node:module';

register('./query-hooks.mjs', import.meta.url);
