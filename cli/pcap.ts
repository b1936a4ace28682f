// Classic libpcap savefile writer (pcap-savefile(5), LINKTYPE_ETHERNET from pcap-linktype(7)).

/** PCAP_MAGIC is the microsecond-resolution savefile magic number. */
export const PCAP_MAGIC = 0xa1b2c3d4;

/** LINKTYPE_ETHERNET is the link-layer header type of IEEE 802.3 Ethernet. */
export const LINKTYPE_ETHERNET = 1;

/** PCAP_SNAPLEN is the snapshot length recorded in the file header (tcpdump's default). */
export const PCAP_SNAPLEN = 262144;

/**
 * PcapFrame is one captured frame: its time on the virtual clock in microseconds, the captured
 * bytes, and optionally the length on the wire when the capture was cut short (defaults to the bytes' length).
 */
export interface PcapFrame {
  tsMicros: number;
  data: Uint8Array;
  origLen?: number;
}

const FILE_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;

/** writePcap returns a little-endian savefile holding `frames` in order. */
export function writePcap(frames: readonly PcapFrame[]): Uint8Array {
  let size = FILE_HEADER_LEN;
  for (const f of frames) size += RECORD_HEADER_LEN + f.data.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, PCAP_MAGIC, true);
  view.setUint16(4, 2, true); // version_major
  view.setUint16(6, 4, true); // version_minor
  view.setInt32(8, 0, true); // thiszone: timestamps are UTC
  view.setUint32(12, 0, true); // sigfigs
  view.setUint32(16, PCAP_SNAPLEN, true);
  view.setUint32(20, LINKTYPE_ETHERNET, true);
  let at = FILE_HEADER_LEN;
  for (const f of frames) {
    // ts_sec is an unsigned 32-bit field.
    if (!Number.isSafeInteger(f.tsMicros) || f.tsMicros < 0 || f.tsMicros / 1_000_000 >= 2 ** 32) {
      throw new RangeError(`pcap: bad timestamp ${f.tsMicros}`);
    }
    view.setUint32(at, Math.floor(f.tsMicros / 1_000_000), true);
    view.setUint32(at + 4, f.tsMicros % 1_000_000, true);
    view.setUint32(at + 8, f.data.length, true);
    view.setUint32(at + 12, f.origLen ?? f.data.length, true);
    out.set(f.data, at + RECORD_HEADER_LEN);
    at += RECORD_HEADER_LEN + f.data.length;
  }
  return out;
}
