// Makes a BirdLab with BIRD running and waits, for the hygiene test: it prints one JSON line with the
// pids and paths to watch, then sleeps until killed (SIGTERM/SIGINT must leave nothing behind).

import { BirdLab } from './harness.js';

const lab = await BirdLab.create({ birdAddress: '10.99.0.1/24', simAddresses: ['10.99.0.2/24'] });
await lab.startBird('router id 10.99.0.1;\nprotocol device { scan time 2; }\n');
const bird = Number((await lab.exec('bird', ['cat', `${lab.dir}/bird.pid`])).stdout.trim());
process.stdout.write(`${JSON.stringify({ holder: lab.holderPid, bird, dir: lab.dir, prefix: lab.prefix })}\n`);
setInterval(() => undefined, 1000);
