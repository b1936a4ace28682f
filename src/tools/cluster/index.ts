// The userspace of a Calico cluster's machines, added to the shell's PATH: calicoctl, birdc/birdcl
// and kubectl on the nodes, gobgp next to a GoBGP speaker, and ifconfig, arp, ss and ethtool on every
// machine (BusyBox's own ifconfig and arp in BusyBox pods). Each program says where it is installed.

import { registerProgram } from '../programs.js';
import { ARP } from './arp.js';
import { BIRDC, BIRDCL } from './birdc.js';
import { CALICOCTL } from './calicoctl.js';
import { ETHTOOL } from './ethtool.js';
import { GOBGP } from './gobgp.js';
import { IFCONFIG } from './ifconfig.js';
import { KUBECTL } from './kubectl.js';
import { SS } from './ss.js';

/** CLUSTER_PROGRAMS are the programs this folder adds. */
export const CLUSTER_PROGRAMS = [CALICOCTL, BIRDC, BIRDCL, KUBECTL, GOBGP, IFCONFIG, ARP, SS, ETHTOOL] as const;

for (const p of CLUSTER_PROGRAMS) registerProgram(p);
