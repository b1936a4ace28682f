// Tests of the ICMP error rate limits (src/kernel/route.ts inetPeerXrlimAllow, src/kernel/stack.ts
// icmpXrlimDenied and ipErrorAllowed) against what Linux 6.18 did in fixtures/labs/icmp-ratelimit.lab:
// a burst of six, then one per icmp_ratelimit; ip_error charging the same tokens before icmp_send.

import fc from 'fast-check';
import { inetPeerXrlimAllow, newInetPeer } from '../../src/kernel/route.js';
import { ROUTED, shellWith } from '../support/shell.js';

/** allowed replays messages at the given times (µs) through one peer's bucket and lists those let through (1-based). */
function allowed(times: readonly number[], timeout = 1_000_000): number[] {
  let peer = newInetPeer(times[0] ?? 0);
  const out: number[] = [];
  times.forEach((t, i) => {
    const v = inetPeerXrlimAllow(peer, t, timeout);
    peer = v.peer;
    if (v.allow) out.push(i + 1);
  });
  return out;
}

describe('inetPeerXrlimAllow (inet_peer_xrlim_allow)', () => {
  it.each([
    ['ten at once', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6]],
    ['every 0.3 s', [0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7], [1, 2, 3, 4, 5, 6, 7, 8]],
    ['a burst, then 1.5 s later', [0, 0, 0, 0, 0, 0, 0, 1.5, 1.6], [1, 2, 3, 4, 5, 6, 8]],
  ])('%s', (_name, seconds, expected) => {
    expect(allowed(seconds.map((s) => Math.round(s * 1_000_000)))).toEqual(expected);
  });

  it('lets everything through with icmp_ratelimit 0', () => {
    expect(allowed([0, 0, 0, 0, 0, 0, 0, 0], 0)).toHaveLength(8);
  });

  it('never lets more through than six plus one per timeout elapsed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_000_000 }), { minLength: 1, maxLength: 80 }), (gaps) => {
        let t = 0;
        const times = gaps.map((g) => (t += g));
        const span = times[times.length - 1] - times[0];
        expect(allowed(times).length).toBeLessThanOrEqual(6 + Math.floor(span / 1_000_000));
      }),
    );
  });
});

/** router is ROUTED with an unreachable route on r, as in icmp-ratelimit.lab. */
const router = () => shellWith(...ROUTED, 'ip -n r route add unreachable 10.0.9.0/24');

const seqs = (stdout: string, what: string): number[] =>
  stdout
    .split('\n')
    .filter((l) => l.endsWith(what))
    .map((l) => Number(/icmp_seq=(\d+)/.exec(l)?.[1]));

describe('ICMP errors from a router', () => {
  it('answers eight of ten pings with TTL 1 every 0.3 s', () => {
    const out = router().run('ip netns exec a ping -c 10 -i 0.3 -t 1 10.0.2.2').output.stdout;
    expect(seqs(out, 'Time to live exceeded')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('charges an unreachable route twice: two errors of ten', () => {
    const out = router().run('ip netns exec a ping -c 10 -i 0.3 -W 1 10.0.9.9').output.stdout;
    expect(seqs(out, 'Destination Host Unreachable')).toEqual([1, 2]);
  });

  it("keeps only ip_error's bucket with icmp_ratemask 0", () => {
    const sh = router();
    sh.run('ip netns exec r sysctl -qw net.ipv4.icmp_ratemask=0');
    const out = sh.run('ip netns exec a ping -c 10 -i 0.3 -W 1 10.0.9.9').output.stdout;
    expect(seqs(out, 'Destination Host Unreachable')).toEqual([1, 2, 3, 4, 5, 6, 8]);
  });

  it('does not limit echo replies', () => {
    const out = router().run('ip netns exec a ping -c 20 -i 0.01 -q 10.0.2.2').output.stdout;
    expect(out).toContain('20 packets transmitted, 20 received');
  });
});
