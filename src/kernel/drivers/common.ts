// What every driver's `ip -d link` details share.

import type { Link } from '../../model/world.js';
import { IPV6_MIN_MTU, type LinkDetails } from '../linkinfo.js';

/**
 * withInet6 drops `addrgenmode` from a device's details when it has no inet6_dev: addrconf removes it
 * when the MTU goes below IPV6_MIN_MTU (1280) and makes it again when the MTU comes back.
 */
export function withInet6(l: Link, d: LinkDetails): LinkDetails {
  if (l.mtu >= IPV6_MIN_MTU || d.addrGenMode === undefined) return d;
  const { addrGenMode: _gone, ...rest } = d;
  return rest;
}
