// The link kinds the kernel itself provides, and a physical NIC; src/encap adds vxlan and ipip.

import { DriverRegistry } from '../driver.js';
import { bridgeDriver } from './bridge.js';
import { loopbackDriver } from './loopback.js';
import { nicDriver } from './nic.js';
import { vethDriver } from './veth.js';

/** kernelDrivers returns a registry holding loopback, veth, bridge and the physical NIC. */
export function kernelDrivers(): DriverRegistry {
  const r = new DriverRegistry();
  r.register(loopbackDriver);
  r.register(vethDriver);
  r.register(bridgeDriver);
  r.register(nicDriver);
  return r;
}
