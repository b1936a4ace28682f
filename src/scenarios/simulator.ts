// The world factory the shell, the CLI and the library use: a simulator with the kernel's link kinds
// and the encapsulation drivers wired in (the kernel never imports src/encap).

import { kernelDrivers } from '../kernel/drivers/index.js';
import { Sim } from '../kernel/engine.js';
import { registerEncap } from '../encap/index.js';

/** SimulatorOptions choose the machine being modelled. */
export interface SimulatorOptions {
  /**
   * ipip loads the ipip module, so every namespace gets the fallback tunl0. Labs leave it off, as on
   * the kernel they are compared with; a Calico node has it.
   */
  readonly ipip?: boolean;
}

/** createSimulator returns a simulator holding only the initial namespace. */
export function createSimulator(opts: SimulatorOptions = {}): Sim {
  const drivers = kernelDrivers();
  registerEncap(drivers, { ipip: opts.ipip ?? false });
  return new Sim({ drivers });
}
