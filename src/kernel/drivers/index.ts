// The link kinds the kernel itself provides; src/encap adds vxlan and ipip.

import { DriverRegistry } from '../driver.js';
import { bridgeDriver } from './bridge.js';
import { loopbackDriver } from './loopback.js';
import { vethDriver } from './veth.js';

/** kernelDrivers returns a registry holding loopback, veth and bridge. */
export function kernelDrivers(): DriverRegistry {
  const r = new DriverRegistry();
  r.register(loopbackDriver);
  r.register(vethDriver);
  r.register(bridgeDriver);
  return r;
}
