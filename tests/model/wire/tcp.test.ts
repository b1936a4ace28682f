// Tests for the TCP header and options (RFC 9293, RFC 7323, RFC 2018) against segments Linux sent.

import fc from 'fast-check';
import { parseIpv4 } from '../../../src/model/addr.js';
import { decodeTcp, decodeTcpOptions, encodeTcp, tcpFlags, type TcpRepr } from '../../../src/model/wire/tcp.js';
import { arbIpv4, arbPayload, arbTcpRepr, hexBytes } from './arbitraries.js';
import { frameBytes } from './captured.js';

const ip = (s: string): number => parseIpv4(s)!;
const POD = ip('10.233.133.2');
const PEER = ip('10.8.152.200');

/** segmentOf returns the TCP segment of a captured frame and its direction's addresses. */
function segmentOf(name: string, fromPod: boolean): { bytes: Uint8Array; src: number; dst: number } {
  return { bytes: frameBytes(name).subarray(34), src: fromPod ? POD : PEER, dst: fromPod ? PEER : POD };
}

describe('tcp', () => {
  it('decodes the options of a Linux SYN in its order', () => {
    const { bytes, src, dst } = segmentOf('tcp-http-syn', true);
    const r = decodeTcp(bytes, src, dst);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.checksumValid).toBe(true);
    expect(r.value.headerLength).toBe(40);
    expect(r.value.repr).toMatchObject({ dstPort: 8080, ack: 0, window: 64860, urgent: 0, flags: tcpFlags({ syn: true }) });
    expect(r.value.repr.options).toEqual([
      { kind: 'mss', value: 1410 },
      { kind: 'sack-permitted' },
      { kind: 'timestamp', tsval: 546361080, tsecr: 0 },
      { kind: 'nop' },
      { kind: 'window-scale', shift: 10 },
    ]);
  });

  it('decodes a RST-ACK from a closed port', () => {
    const { bytes, src, dst } = segmentOf('tcp-rst-ack', false);
    const r = decodeTcp(bytes, src, dst);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.repr).toMatchObject({ srcPort: 5001, seq: 0, window: 0, options: [], flags: tcpFlags({ rst: true, ack: true }) });
    expect(r.value.checksumValid).toBe(true);
  });

  it('decodes a request with its payload', () => {
    const { bytes, src, dst } = segmentOf('tcp-http-get', true);
    const r = decodeTcp(bytes, src, dst);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.repr.flags).toEqual(tcpFlags({ psh: true, ack: true }));
    expect(new TextDecoder().decode(r.value.payload).split('\r\n')[0]).toBe('GET / HTTP/1.1');
  });

  it.each([
    ['tcp-http-syn', true],
    ['tcp-http-syn-ack', false],
    ['tcp-http-get', true],
    ['tcp-http-200', false],
    ['tcp-http-fin-client', true],
    ['tcp-rst-ack', false],
    ['tcp-echo-data-server', false],
  ])('encodes captured %s back to its bytes, checksum included', (name, fromPod) => {
    const { bytes, src, dst } = segmentOf(name, fromPod);
    const r = decodeTcp(bytes, src, dst);
    if (!r.ok) throw new Error(r.error);
    expect(encodeTcp(r.value.repr, r.value.payload, src, dst)).toEqual(bytes);
  });

  it('pads options with EOL to a 4-byte boundary and reads the EOL back', () => {
    const repr: TcpRepr = {
      srcPort: 1,
      dstPort: 2,
      seq: 0xffffffff,
      ack: 0x80000000,
      flags: tcpFlags({ ack: true, cwr: true, ece: true }),
      window: 1,
      urgent: 0,
      options: [{ kind: 'sack-permitted' }],
    };
    const bytes = encodeTcp(repr, new Uint8Array(0), POD, PEER);
    expect(bytes.length).toBe(24);
    expect(bytes[12]).toBe(0x60);
    expect(bytes[13]).toBe(0xd0);
    expect(bytes.subarray(20)).toEqual(hexBytes('0402 0000'));
    const r = decodeTcp(bytes, POD, PEER);
    expect(r.ok && r.value.repr).toEqual({ ...repr, options: [{ kind: 'sack-permitted' }, { kind: 'eol' }] });
  });

  it('keeps SACK blocks and odd-length known kinds as unknown options', () => {
    const r = decodeTcpOptions(hexBytes('0101 050a 00000001 00000002 0205 abcdef'));
    expect(r).toEqual({
      ok: true,
      value: [
        { kind: 'nop' },
        { kind: 'nop' },
        { kind: 'unknown', code: 5, data: hexBytes('00000001 00000002') },
        { kind: 'unknown', code: 2, data: hexBytes('abcdef') },
      ],
    });
  });

  it('refuses more than 40 option bytes', () => {
    const repr: TcpRepr = {
      srcPort: 1,
      dstPort: 2,
      seq: 0,
      ack: 0,
      flags: tcpFlags(),
      window: 0,
      urgent: 0,
      options: Array.from({ length: 5 }, () => ({ kind: 'timestamp' as const, tsval: 0, tsecr: 0 })),
    };
    expect(() => encodeTcp(repr, new Uint8Array(0), POD, PEER)).toThrow(RangeError);
  });

  const base = 'b80a 1f90 00000000 00000000';
  it.each([
    ['empty', ''],
    ['19 bytes', `${base}5002 fd5c 0000 00`],
    ['data offset 4', `${base}4002 fd5c 0000 0000`],
    ['data offset past the segment', `${base}6002 fd5c 0000 0000`],
    ['option length 0', `${base}6002 fd5c 0000 0000 0200 0000`],
    ['option length 1', `${base}6002 fd5c 0000 0000 0201 0000`],
    ['option running past the header', `${base}6002 fd5c 0000 0000 0105 0000`],
    ['option kind without length', `${base}6002 fd5c 0000 0000 0101 0102`],
  ])('rejects %s', (_name, hex) => {
    expect(decodeTcp(hexBytes(hex), POD, PEER).ok).toBe(false);
  });

  it('property: decode(encode(x)) is x', () => {
    fc.assert(
      fc.property(arbTcpRepr, arbPayload(40), arbIpv4, arbIpv4, (repr, payload, src, dst) => {
        const r = decodeTcp(encodeTcp(repr, payload, src, dst), src, dst);
        if (!r.ok) throw new Error(r.error);
        expect(r.value.repr).toEqual(repr);
        expect(r.value.payload).toEqual(payload);
        expect(r.value.checksumValid).toBe(true);
      }),
    );
  });

  it('property: decode never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), arbIpv4, arbIpv4, (b, s, d) => void decodeTcp(b, s, d)));
  });
});
