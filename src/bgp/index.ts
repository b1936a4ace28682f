// BGP as Calico's BIRD 1.6 runs it (RFC 4271, 4456, 6793, 7911, 4724, 5492, 7606): the session machine,
// the routing table and best path, route reflection, the output queue, Calico's policy and the speaker.

export * from './attrs.js';
export * from './calico.js';
export * from './config.js';
export * from './decision.js';
export * from './export.js';
export * from './fsm.js';
export * from './open.js';
export * from './reflect.js';
export * from './rib.js';
export * from './speaker.js';
export * from './update.js';
