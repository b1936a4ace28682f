// The wire formats the simulator speaks, one module per header (RFC 826, 791, 792, 768, 9293, 7348, 1071).

export * from './result.js';
export * from './bytes.js';
export * from './checksum.js';
export * from './ethernet.js';
export * from './arp.js';
export * from './ipv4.js';
export * from './icmp.js';
export * from './udp.js';
export * from './tcp.js';
export * from './vxlan.js';
export * from './bgp.js';
