// The encapsulation drivers, registered with a simulator's driver registry by the world factory.

import type { DriverRegistry } from '../kernel/driver.js';
import { ipipDriver } from './ipip.js';
import { vxlanDriver } from './vxlan.js';

/** EncapModules says which modules are loaded: vxlan always; ipip as on the machine being modelled. */
export interface EncapModules {
  /** ipip loads the ipip module: every namespace gets tunl0 (a Calico node has it; the lab kernel does not). */
  readonly ipip: boolean;
}

/** registerEncap adds vxlan, and ipip when its module is loaded, to a registry. */
export function registerEncap(registry: DriverRegistry, modules: EncapModules): void {
  registry.register(vxlanDriver);
  if (modules.ipip) registry.register(ipipDriver);
}

export { ipipDriver, IPIP_MTU } from './ipip.js';
export { vxlanDriver, vxlanInfo, type VxlanCreate, type VxlanInfo } from './vxlan.js';
