// `node --import ./tests/cli/lab/swc-register.mjs cli/main.ts …` runs the CLI from its sources.
import { register } from 'node:module';

register('./swc-hooks.mjs', import.meta.url);
