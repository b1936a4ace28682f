// Frames captured from a Linux 6.18 kernel on the pod end of a veth (a pod 10.233.133.2 with gateway
// 10.233.133.1, a peer 10.8.152.200 behind a 1450-byte MTU link, a VXLAN device with VNI 4096 between
// them), TX checksum offload off so every checksum is complete, with the lines `tcpdump -n -e -t`
// 4.99.3 printed for them. Traffic: ping, ping -t 1, ping -M do -s 1432, ping into unreachable and
// prohibit routes, UDP to a closed port, curl to python's http.server, TCP to a closed port, a socat
// echo, and ping over the VXLAN device. Replace only with another real capture.

/** CapturedFrame is one real frame and what tcpdump printed for it. */
export interface CapturedFrame {
  name: string;
  hex: string;
  tcpdump: string;
}

/** CAPTURE holds the frames in capture order; TCP lines depend on that order (relative sequence numbers). */
export const CAPTURE: CapturedFrame[] = [
  {
    name: 'arp-request-gateway',
    hex: 'ffffffffffff4a8d0e936a39080600010800060400014a8d0e936a390ae985020000000000000ae98501',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.233.133.1 tell 10.233.133.2, length 28',
  },
  {
    name: 'arp-reply-gateway',
    hex: '4a8d0e936a39eeeeeeeeeeee08060001080006040002eeeeeeeeeeee0ae985014a8d0e936a390ae98502',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype ARP (0x0806), length 42: Reply 10.233.133.1 is-at ee:ee:ee:ee:ee:ee, length 28',
  },
  {
    name: 'icmp-echo-request',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000054839240004001845b0ae985020a0898c8080094b92ff400010a8d016b0000' +
      '00006486040000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435' +
      '3637',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: 10.233.133.2 > 10.8.152.200: ICMP echo request, id 12276, seq 1, length 64',
  },
  {
    name: 'icmp-echo-reply',
    hex:
      '4a8d0e936a39eeeeeeeeeeee08004500005474c100003f01d42c0a0898c80ae9850200009cb92ff400010a8d016b0000' +
      '00006486040000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435' +
      '3637',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 98: 10.8.152.200 > 10.233.133.2: ICMP echo reply, id 12276, seq 1, length 64',
  },
  {
    name: 'icmp-echo-request-ttl1',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000054839340000101c35a0ae985020a0898c808008bb12ff500010a8d016b0000' +
      '00006d8d040000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435' +
      '3637',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: 10.233.133.2 > 10.8.152.200: ICMP echo request, id 12277, seq 1, length 64',
  },
  {
    name: 'icmp-time-exceeded',
    hex:
      '4a8d0e936a39eeeeeeeeeeee080045c0007058730000400101850ae985010ae985020b00f4ff00000000450000548393' +
      '40000101c35a0ae985020a0898c808008bb12ff500010a8d016b000000006d8d04000000000010111213141516171819' +
      '1a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 126: 10.233.133.1 > 10.233.133.2: ICMP time exceeded in-transit, length 92',
  },
  {
    name: 'icmp-echo-request-df-1440',
    hex:
      'eeeeeeeeeeee4a8d0e936a390800450005b4000040004001028e0ae985020a0898c808006ad82ff600010a8d016b0000' +
      '00006993040000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435' +
      '363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465' +
      '666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495' +
      '969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5' +
      'c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5' +
      'f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425' +
      '262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455' +
      '565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485' +
      '868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5' +
      'b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5' +
      'e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f101112131415' +
      '161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445' +
      '464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475' +
      '767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5' +
      'a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5' +
      'd6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405' +
      '060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435' +
      '363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465' +
      '666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495' +
      '969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5' +
      'c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5' +
      'f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425' +
      '262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455' +
      '565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485' +
      '868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5' +
      'b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5' +
      'e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f101112131415' +
      '161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445' +
      '464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475' +
      '767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f9091929394959697',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 1474: 10.233.133.2 > 10.8.152.200: ICMP echo request, id 12278, seq 1, length 1440',
  },
  {
    name: 'icmp-need-to-frag',
    hex:
      '4a8d0e936a39eeeeeeeeeeee080045c00240587400004001ffb30ae985010ae98502030486a7000005aa450005b40000' +
      '40004001028e0ae985020a0898c808006ad82ff600010a8d016b00000000699304000000000010111213141516171819' +
      '1a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40414243444546474849' +
      '4a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f70717273747576777879' +
      '7a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9' +
      'aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9' +
      'dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff00010203040506070809' +
      '0a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233343536373839' +
      '3a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263646566676869' +
      '6a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f90919293949596979899' +
      '9a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9' +
      'cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9' +
      'fafbfcfdfeff0001020304050607',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 590: 10.233.133.1 > 10.233.133.2: ICMP 10.8.152.200 unreachable - need to frag (mtu 1450), length 556',
  },
  {
    name: 'icmp-echo-request-unreachable-route',
    hex:
      'eeeeeeeeeeee4a8d0e936a390800450000546d464000400133140ae985020a6300010800d6a22ff700010a8d016b0000' +
      '0000229a040000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435' +
      '3637',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: 10.233.133.2 > 10.99.0.1: ICMP echo request, id 12279, seq 1, length 64',
  },
  {
    name: 'icmp-host-unreachable',
    hex:
      '4a8d0e936a39eeeeeeeeeeee080045c0007058750000400101830ae985010ae985020301fcfe00000000450000546d46' +
      '4000400133140ae985020a6300010800d6a22ff700010a8d016b00000000229a04000000000010111213141516171819' +
      '1a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 126: 10.233.133.1 > 10.233.133.2: ICMP host 10.99.0.1 unreachable, length 92',
  },
  {
    name: 'icmp-echo-request-prohibit-route',
    hex:
      'eeeeeeeeeeee4a8d0e936a3908004500005496af4000400109ac0ae985020a62000108002b9b2ff800010a8d016b0000' +
      '0000cda0040000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435' +
      '3637',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: 10.233.133.2 > 10.98.0.1: ICMP echo request, id 12280, seq 1, length 64',
  },
  {
    name: 'icmp-admin-prohibited-filter',
    hex:
      '4a8d0e936a39eeeeeeeeeeee080045c0007058760000400101820ae985010ae98502030dfcf2000000004500005496af' +
      '4000400109ac0ae985020a62000108002b9b2ff800010a8d016b00000000cda004000000000010111213141516171819' +
      '1a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 126: 10.233.133.1 > 10.233.133.2: ICMP host 10.98.0.1 unreachable - admin prohibited filter, length 92',
  },
  {
    name: 'udp-to-closed-port',
    hex: 'eeeeeeeeeeee4a8d0e936a3908004500001e9abb400040116d580ae985020a0898c8bc11270f000a71f3780a',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 44: 10.233.133.2.48145 > 10.8.152.200.9999: UDP, length 2',
  },
  {
    name: 'icmp-udp-port-unreachable',
    hex:
      '4a8d0e936a39eeeeeeeeeeee080045c0003a74c300003f01d3840a0898c80ae9850203032fd4000000004500001e9abb' +
      '40003f116e580ae985020a0898c8bc11270f000a71f3780a',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 72: 10.8.152.200 > 10.233.133.2: ICMP 10.8.152.200 udp port 9999 unreachable, length 38',
  },
  {
    name: 'tcp-http-syn',
    hex:
      'eeeeeeeeeeee4a8d0e936a3908004500003cb9f0400040064e100ae985020a0898c8a40a1f905cc966b700000000a002' +
      'fd5ca1720000020405820402080a2090cef8000000000103030a',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 74: 10.233.133.2.41994 > 10.8.152.200.8080: Flags [S], seq 1556702903, win 64860, options [mss 1410,sackOK,TS val 546361080 ecr 0,nop,wscale 10], length 0',
  },
  {
    name: 'tcp-http-syn-ack',
    hex:
      '4a8d0e936a39eeeeeeeeeeee08004500003c000040003f0609010a0898c80ae985021f90a40a8c775de05cc966b8a012' +
      'fb3416fc0000020405820402080acdced4662090cef80103030a',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 74: 10.8.152.200.8080 > 10.233.133.2.41994: Flags [S.], seq 2356633056, ack 1556702904, win 64308, options [mss 1410,sackOK,TS val 3452884070 ecr 546361080,nop,wscale 10], length 0',
  },
  {
    name: 'tcp-http-ack',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000034b9f1400040064e170ae985020a0898c8a40a1f905cc966b88c775de18010' +
      '0040408e00000101080a2090cef8cdced466',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 66: 10.233.133.2.41994 > 10.8.152.200.8080: Flags [.], ack 1, win 64, options [nop,nop,TS val 546361080 ecr 3452884070], length 0',
  },
  {
    name: 'tcp-http-get',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000085b9f2400040064dc50ae985020a0898c8a40a1f905cc966b88c775de18018' +
      '00404da900000101080a2090cef8cdced466474554202f20485454502f312e310d0a486f73743a2031302e382e313532' +
      '2e3230303a383038300d0a557365722d4167656e743a206375726c2f372e38382e310d0a4163636570743a202a2f2a0d' +
      '0a0d0a',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 147: 10.233.133.2.41994 > 10.8.152.200.8080: Flags [P.], seq 1:82, ack 1, win 64, options [nop,nop,TS val 546361080 ecr 3452884070], length 81: HTTP: GET / HTTP/1.1',
  },
  {
    name: 'tcp-http-ack-get',
    hex:
      '4a8d0e936a39eeeeeeeeeeee08004500003471ce40003f06973a0a0898c80ae985021f90a40a8c775de15cc967098010' +
      '003f403e00000101080acdced4662090cef8',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 66: 10.8.152.200.8080 > 10.233.133.2.41994: Flags [.], ack 82, win 63, options [nop,nop,TS val 3452884070 ecr 546361080], length 0',
  },
  {
    name: 'tcp-http-200',
    hex:
      '4a8d0e936a39eeeeeeeeeeee0800450000ed71cf40003f0696800a0898c80ae985021f90a40a8c775de15cc967098018' +
      '003f82f900000101080acdced4692090cef8485454502f312e3020323030204f4b0d0a5365727665723a2053696d706c' +
      '65485454502f302e3620507974686f6e2f332e31312e370d0a446174653a205361742c203231204e6f76203230323620' +
      '31323a32323a333520474d540d0a436f6e74656e742d747970653a20746578742f68746d6c0d0a436f6e74656e742d4c' +
      '656e6774683a2031370d0a4c6173742d4d6f6469666965643a205361742c203231204e6f7620323032362031323a3232' +
      '3a333220474d540d0a0d0a',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 251: 10.8.152.200.8080 > 10.233.133.2.41994: Flags [P.], seq 1:186, ack 82, win 63, options [nop,nop,TS val 3452884073 ecr 546361080], length 185: HTTP: HTTP/1.0 200 OK',
  },
  {
    name: 'tcp-http-ack-200',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000034b9f3400040064e150ae985020a0898c8a40a1f905cc967098c775e9a8010' +
      '00403f7e00000101080a2090cefbcdced469',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 66: 10.233.133.2.41994 > 10.8.152.200.8080: Flags [.], ack 186, win 64, options [nop,nop,TS val 546361083 ecr 3452884073], length 0',
  },
  {
    name: 'tcp-http-body',
    hex:
      '4a8d0e936a39eeeeeeeeeeee08004500004571d040003f0697270a0898c80ae985021f90a40a8c775e9a5cc967098018' +
      '003fb6a700000101080acdced46a2090cefb3c68313e63616c6973696d3c2f68313e0a',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 83: 10.8.152.200.8080 > 10.233.133.2.41994: Flags [P.], seq 186:203, ack 82, win 63, options [nop,nop,TS val 3452884074 ecr 546361083], length 17: HTTP',
  },
  {
    name: 'tcp-http-ack-body',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000034b9f4400040064e140ae985020a0898c8a40a1f905cc967098c775eab8010' +
      '00403f6b00000101080a2090cefccdced46a',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 66: 10.233.133.2.41994 > 10.8.152.200.8080: Flags [.], ack 203, win 64, options [nop,nop,TS val 546361084 ecr 3452884074], length 0',
  },
  {
    name: 'tcp-http-fin-server',
    hex:
      '4a8d0e936a39eeeeeeeeeeee08004500003471d140003f0697370a0898c80ae985021f90a40a8c775eab5cc967098011' +
      '003f3f6b00000101080acdced46a2090cefc',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 66: 10.8.152.200.8080 > 10.233.133.2.41994: Flags [F.], seq 203, ack 82, win 63, options [nop,nop,TS val 3452884074 ecr 546361084], length 0',
  },
  {
    name: 'tcp-http-fin-client',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000034b9f5400040064e130ae985020a0898c8a40a1f905cc967098c775eac8011' +
      '00403f6900000101080a2090cefccdced46a',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 66: 10.233.133.2.41994 > 10.8.152.200.8080: Flags [F.], seq 82, ack 204, win 64, options [nop,nop,TS val 546361084 ecr 3452884074], length 0',
  },
  {
    name: 'tcp-http-last-ack',
    hex:
      '4a8d0e936a39eeeeeeeeeeee08004500003471d240003f0697360a0898c80ae985021f90a40a8c775eac5cc9670a8010' +
      '003f3f6a00000101080acdced46a2090cefc',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 66: 10.8.152.200.8080 > 10.233.133.2.41994: Flags [.], ack 83, win 63, options [nop,nop,TS val 3452884074 ecr 546361084], length 0',
  },
  {
    name: 'tcp-syn-closed-port',
    hex:
      'eeeeeeeeeeee4a8d0e936a3908004500003c14f240004006f30e0ae985020a0898c8d08c1389245bfa8900000000a002' +
      'fd5cb5b30000020405820402080a18ae46ba000000000103030a',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 74: 10.233.133.2.53388 > 10.8.152.200.5001: Flags [S], seq 610007689, win 64860, options [mss 1410,sackOK,TS val 414074554 ecr 0,nop,wscale 10], length 0',
  },
  {
    name: 'tcp-rst-ack',
    hex: '4a8d0e936a39eeeeeeeeeeee080045000028000040003f0609150a0898c80ae985021389d08c00000000245bfa8a5014' + '00007a190000',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 54: 10.8.152.200.5001 > 10.233.133.2.53388: Flags [R.], seq 0, ack 610007690, win 0, length 0',
  },
  {
    name: 'tcp-echo-syn',
    hex:
      'eeeeeeeeeeee4a8d0e936a3908004500003cec51400040061baf0ae985020a0898c8ecfa13887daa005800000000a002' +
      'fd5c0b920000020405820402080a753f18c0000000000103030a',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 74: 10.233.133.2.60666 > 10.8.152.200.5000: Flags [S], seq 2108293208, win 64860, options [mss 1410,sackOK,TS val 1967069376 ecr 0,nop,wscale 10], length 0',
  },
  {
    name: 'tcp-echo-syn-ack',
    hex:
      '4a8d0e936a39eeeeeeeeeeee08004500003c000040003f0609010a0898c80ae985021388ecfafeaf16a77daa0059a012' +
      'fb346d750000020405820402080a5e112ccb753f18c00103030a',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 74: 10.8.152.200.5000 > 10.233.133.2.60666: Flags [S.], seq 4272887463, ack 2108293209, win 64308, options [mss 1410,sackOK,TS val 1578183883 ecr 1967069376,nop,wscale 10], length 0',
  },
  {
    name: 'tcp-echo-ack',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000034ec52400040061bb60ae985020a0898c8ecfa13887daa0059feaf16a88010' +
      '0040970700000101080a753f18c05e112ccb',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 66: 10.233.133.2.60666 > 10.8.152.200.5000: Flags [.], ack 1, win 64, options [nop,nop,TS val 1967069376 ecr 1578183883], length 0',
  },
  {
    name: 'tcp-echo-data-client',
    hex:
      'eeeeeeeeeeee4a8d0e936a3908004500003aec53400040061baf0ae985020a0898c8ecfa13887daa0059feaf16a88018' +
      '0040531d00000101080a753f18c05e112ccb68656c6c6f0a',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 72: 10.233.133.2.60666 > 10.8.152.200.5000: Flags [P.], seq 1:7, ack 1, win 64, options [nop,nop,TS val 1967069376 ecr 1578183883], length 6',
  },
  {
    name: 'tcp-echo-ack-data',
    hex:
      '4a8d0e936a39eeeeeeeeeeee0800450000346c3a40003f069cce0a0898c80ae985021388ecfafeaf16a87daa005f8010' +
      '003f970200000101080a5e112ccb753f18c0',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 66: 10.8.152.200.5000 > 10.233.133.2.60666: Flags [.], ack 7, win 63, options [nop,nop,TS val 1578183883 ecr 1967069376], length 0',
  },
  {
    name: 'tcp-echo-fin-client',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000034ec54400040061bb40ae985020a0898c8ecfa13887daa005ffeaf16a88011' +
      '0040970000000101080a753f18c05e112ccb',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 66: 10.233.133.2.60666 > 10.8.152.200.5000: Flags [F.], seq 7, ack 1, win 64, options [nop,nop,TS val 1967069376 ecr 1578183883], length 0',
  },
  {
    name: 'tcp-echo-data-server',
    hex:
      '4a8d0e936a39eeeeeeeeeeee08004500003a6c3b40003f069cc70a0898c80ae985021388ecfafeaf16a87daa00608018' +
      '003f490c00000101080a5e112ccc753f18c0776f726c640a',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 72: 10.8.152.200.5000 > 10.233.133.2.60666: Flags [P.], seq 1:7, ack 8, win 63, options [nop,nop,TS val 1578183884 ecr 1967069376], length 6',
  },
  {
    name: 'tcp-echo-ack-server-data',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000034ec55400040061bb30ae985020a0898c8ecfa13887daa0060feaf16ae8010' +
      '004096f800000101080a753f18c15e112ccc',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 66: 10.233.133.2.60666 > 10.8.152.200.5000: Flags [.], ack 7, win 64, options [nop,nop,TS val 1967069377 ecr 1578183884], length 0',
  },
  {
    name: 'tcp-echo-fin-server',
    hex:
      '4a8d0e936a39eeeeeeeeeeee0800450000346c3c40003f069ccc0a0898c80ae985021388ecfafeaf16ae7daa00608011' +
      '003f96f800000101080a5e112ccc753f18c1',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 66: 10.8.152.200.5000 > 10.233.133.2.60666: Flags [F.], seq 7, ack 8, win 63, options [nop,nop,TS val 1578183884 ecr 1967069377], length 0',
  },
  {
    name: 'tcp-echo-last-ack',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000034ec56400040061bb20ae985020a0898c8ecfa13887daa0060feaf16af8010' +
      '004096f700000101080a753f18c15e112ccc',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 66: 10.233.133.2.60666 > 10.8.152.200.5000: Flags [.], ack 8, win 64, options [nop,nop,TS val 1967069377 ecr 1578183884], length 0',
  },
  {
    name: 'vxlan-arp-request',
    hex:
      'eeeeeeeeeeee4a8d0e936a3908004500004edc61000040116b820ae985020a0898c8ebe612b5003a6653080000000010' +
      '0000ffffffffffff66666666660108060001080006040001666666666601c0a83142000000000000c0a83183',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 92: 10.233.133.2.60390 > 10.8.152.200.4789: VXLAN, flags [I] (0x08), vni 4096\n66:66:66:66:66:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 192.168.49.131 tell 192.168.49.66, length 28',
  },
  {
    name: 'vxlan-arp-reply',
    hex:
      '4a8d0e936a39eeeeeeeeeeee08004500004ead9200003f119b510a0898c80ae98502ebe612b5003a00b4080000000010' +
      '000066666666660166666666660208060001080006040002666666666602c0a83183666666666601c0a83142',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 92: 10.8.152.200.60390 > 10.233.133.2.4789: VXLAN, flags [I] (0x08), vni 4096\n66:66:66:66:66:02 > 66:66:66:66:66:01, ethertype ARP (0x0806), length 42: Reply 192.168.49.131 is-at 66:66:66:66:66:02, length 28',
  },
  {
    name: 'vxlan-icmp-echo-request',
    hex:
      'eeeeeeeeeeee4a8d0e936a39080045000086dc62000040116b490ae985020a0898c89eb112b50072a53a080000000010' +
      '0000666666666602666666666601080045000054784640004001de4cc0a83142c0a8318308009077308900010d8d016b' +
      '000000006233070000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233' +
      '34353637',
    tcpdump:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 148: 10.233.133.2.40625 > 10.8.152.200.4789: VXLAN, flags [I] (0x08), vni 4096\n66:66:66:66:66:01 > 66:66:66:66:66:02, ethertype IPv4 (0x0800), length 98: 192.168.49.66 > 192.168.49.131: ICMP echo request, id 12425, seq 1, length 64',
  },
  {
    name: 'vxlan-icmp-echo-reply',
    hex:
      '4a8d0e936a39eeeeeeeeeeee080045000086ad9300003f119b180a0898c80ae985029eb112b50072a53a080000000010' +
      '00006666666666016666666666020800450000545ccf0000400139c4c0a83183c0a8314200009877308900010d8d016b' +
      '000000006233070000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233' +
      '34353637',
    tcpdump:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 148: 10.8.152.200.40625 > 10.233.133.2.4789: VXLAN, flags [I] (0x08), vni 4096\n66:66:66:66:66:02 > 66:66:66:66:66:01, ethertype IPv4 (0x0800), length 98: 192.168.49.131 > 192.168.49.66: ICMP echo reply, id 12425, seq 1, length 64',
  },
];

/** frameBytes decodes the hex of a captured frame. */
export function frameBytes(name: string): Uint8Array {
  const f = CAPTURE.find((c) => c.name === name);
  if (!f) throw new Error(`no captured frame ${name}`);
  return Uint8Array.from(Buffer.from(f.hex, 'hex'));
}
