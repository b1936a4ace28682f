// Golden output of BIRD 2.0.12 (Debian 12) captured by running two bird daemons peering over a
// veth pair in throwaway network namespaces, with birdc one-shot commands and a raw control-socket
// session (see the report of this change for the configuration). Times are UTC on 2026-12-01.

/** BIRD2_GOLDEN maps a birdc command line to its stdout and exit status. */
export const BIRD2_GOLDEN: ReadonlyMap<string, { readonly stdout: string; readonly status: number }> = new Map([
  [
    'show protocols',
    {
      stdout:
        'BIRD 2.0.12 ready.\nName       Proto      Table      State  Since         Info\ndevice1    Device     ---        up     22:02:56.642  \ndirect1    Direct     ---        up     22:02:56.642  \nkernel1    Kernel     master4    up     22:02:56.642  \nstatic1    Static     master4    up     22:02:56.642  \nMesh_10_23_14_111 BGP        ---        up     22:02:58.310  Established   \nMesh_10_23_14_112 BGP        ---        start  22:02:56.642  Connect       Socket: No route to host\nGlobal_10_23_14_1 BGP        ---        start  22:02:56.642  Passive       \n',
      status: 0,
    },
  ],
  [
    'show protocols all',
    {
      stdout:
        'BIRD 2.0.12 ready.\nName       Proto      Table      State  Since         Info\ndevice1    Device     ---        up     22:02:56.642  \n\ndirect1    Direct     ---        up     22:02:56.642  \n  Channel ipv4\n    State:          UP\n    Table:          master4\n    Preference:     240\n    Input filter:   ACCEPT\n    Output filter:  REJECT\n    Routes:         1 imported, 0 exported, 1 preferred\n    Route change stats:     received   rejected   filtered    ignored   accepted\n      Import updates:              1          0          0          0          1\n      Import withdraws:            0          0        ---          0          0\n      Export updates:              0          0          0        ---          0\n      Export withdraws:            0        ---        ---        ---          0\n\nkernel1    Kernel     master4    up     22:02:56.642  \n  Channel ipv4\n    State:          UP\n    Table:          master4\n    Preference:     10\n    Input filter:   ACCEPT\n    Output filter:  ACCEPT\n    Routes:         1 imported, 3 exported, 1 preferred\n    Route change stats:     received   rejected   filtered    ignored   accepted\n      Import updates:              1          0          0          0          1\n      Import withdraws:            0          0        ---          0          0\n      Export updates:              6          1          0        ---          5\n      Export withdraws:            0        ---        ---        ---          0\n\nstatic1    Static     master4    up     22:02:56.642  \n  Channel ipv4\n    State:          UP\n    Table:          master4\n    Preference:     200\n    Input filter:   ACCEPT\n    Output filter:  REJECT\n    Routes:         1 imported, 0 exported, 1 preferred\n    Route change stats:     received   rejected   filtered    ignored   accepted\n      Import updates:              1          0          0          0          1\n      Import withdraws:            0          0        ---          0          0\n      Export updates:              0          0          0        ---          0\n      Export withdraws:            0        ---        ---        ---          0\n\nMesh_10_23_14_111 BGP        ---        up     22:02:58.310  Established   \n  Description:    Connection to BGP peer\n  BGP state:          Established\n    Neighbor address: 10.23.14.111\n    Neighbor AS:      64512\n    Local AS:         64512\n    Neighbor ID:      10.23.14.111\n    Local capabilities\n      Multiprotocol\n        AF announced: ipv4\n      Route refresh\n      Graceful restart\n        Restart time: 120\n        AF supported: ipv4\n        AF preserved:\n      4-octet AS numbers\n      ADD-PATH\n        RX: ipv4\n        TX: ipv4\n      Enhanced refresh\n      Long-lived graceful restart\n    Neighbor capabilities\n      Multiprotocol\n        AF announced: ipv4\n      Route refresh\n      Graceful restart\n        Restart time: 120\n        AF supported: ipv4\n        AF preserved:\n      4-octet AS numbers\n      ADD-PATH\n        RX: ipv4\n        TX: ipv4\n      Enhanced refresh\n      Long-lived graceful restart\n    Session:          internal multihop AS4\n    Source address:   10.23.14.110\n    Hold timer:       179.978/240\n    Keepalive timer:  69.093/80\n  Channel ipv4\n    State:          UP\n    Table:          master4\n    Preference:     100\n    Input filter:   ACCEPT\n    Output filter:  (unnamed)\n    Routes:         1 imported, 2 exported, 1 preferred\n    Route change stats:     received   rejected   filtered    ignored   accepted\n      Import updates:              1          0          0          0          1\n      Import withdraws:            0          0        ---          0          0\n      Export updates:              4          1          1        ---          2\n      Export withdraws:            0        ---        ---        ---          0\n    BGP Next hop:   10.23.14.110\n    IGP IPv4 table: master4\n\nMesh_10_23_14_112 BGP        ---        start  22:02:56.642  Connect       Socket: No route to host\n  Description:    Connection to BGP peer\n  BGP state:          Connect\n    Neighbor address: 10.23.14.112\n    Neighbor AS:      64512\n    Local AS:         64512\n    Last error:       Socket: No route to host\n  Channel ipv4\n    State:          DOWN\n    Table:          master4\n    Preference:     100\n    Input filter:   ACCEPT\n    Output filter:  (unnamed)\n    IGP IPv4 table: master4\n\nGlobal_10_23_14_1 BGP        ---        start  22:02:56.642  Passive       \n  Description:    Connection to BGP peer\n  BGP state:          Passive\n    Neighbor address: 10.23.14.1\n    Neighbor AS:      64513\n    Local AS:         64512\n  Channel ipv4\n    State:          DOWN\n    Table:          master4\n    Preference:     100\n    Input filter:   ACCEPT\n    Output filter:  (unnamed)\n    IGP IPv4 table: master4\n\n',
      status: 0,
    },
  ],
  [
    'show route',
    {
      stdout:
        'BIRD 2.0.12 ready.\nTable master4:\n10.23.14.0/24        unicast [direct1 22:02:56.645] * (240)\n\tdev eth0\n10.233.80.1/32       unicast [kernel1 22:02:56.645] * (10)\n\tdev eth0\n10.233.81.0/26       unicast [Mesh_10_23_14_111 22:02:58.549] * (100) [i]\n\tvia 10.23.14.111 on eth0\n10.233.80.0/26       blackhole [static1 22:02:56.642] * (200)\n',
      status: 0,
    },
  ],
  [
    'show route all',
    {
      stdout:
        'BIRD 2.0.12 ready.\nTable master4:\n10.23.14.0/24        unicast [direct1 22:02:56.645] * (240)\n\tdev eth0\n\tType: device univ\n10.233.80.1/32       unicast [kernel1 22:02:56.645] * (10)\n\tdev eth0\n\tType: inherit univ\n\tKernel.source: 3\n\tKernel.metric: 0\n\tKernel.prefsrc: 10.23.14.110\n\tKernel.scope: 253\n10.233.81.0/26       unicast [Mesh_10_23_14_111 22:02:58.549] * (100) [i]\n\tvia 10.23.14.111 on eth0\n\tType: BGP univ\n\tBGP.origin: IGP\n\tBGP.as_path: \n\tBGP.next_hop: 10.23.14.111\n\tBGP.local_pref: 100\n10.233.80.0/26       blackhole [static1 22:02:56.642] * (200)\n\tType: static univ\n',
      status: 0,
    },
  ],
  [
    'show protocols all Mesh_10_23_14_112',
    {
      stdout:
        'BIRD 2.0.12 ready.\nName       Proto      Table      State  Since         Info\nMesh_10_23_14_112 BGP        ---        start  22:02:56.642  Connect       Socket: No route to host\n  Description:    Connection to BGP peer\n  BGP state:          Connect\n    Neighbor address: 10.23.14.112\n    Neighbor AS:      64512\n    Local AS:         64512\n    Last error:       Socket: No route to host\n  Channel ipv4\n    State:          DOWN\n    Table:          master4\n    Preference:     100\n    Input filter:   ACCEPT\n    Output filter:  (unnamed)\n    IGP IPv4 table: master4\n\n',
      status: 0,
    },
  ],
  [
    'show route 10.233.81.0/26',
    {
      stdout:
        'BIRD 2.0.12 ready.\nTable master4:\n10.233.81.0/26       unicast [Mesh_10_23_14_111 22:02:58.549] * (100) [i]\n\tvia 10.23.14.111 on eth0\n',
      status: 0,
    },
  ],
  [
    'show route for 10.233.81.5',
    {
      stdout:
        'BIRD 2.0.12 ready.\nTable master4:\n10.233.81.0/26       unicast [Mesh_10_23_14_111 22:02:58.549] * (100) [i]\n\tvia 10.23.14.111 on eth0\n',
      status: 0,
    },
  ],
  ['show route 1.2.3.0/24', { stdout: 'BIRD 2.0.12 ready.\nNetwork not found\n', status: 1 }],
  [
    'show protocols nosuch',
    { stdout: 'BIRD 2.0.12 ready.\nsyntax error, unexpected CF_SYM_UNDEFINED, expecting END or CF_SYM_KNOWN or TEXT or ALL\n', status: 1 },
  ],
  [
    'sh p',
    {
      stdout:
        'BIRD 2.0.12 ready.\nName       Proto      Table      State  Since         Info\ndevice1    Device     ---        up     22:02:56.642  \ndirect1    Direct     ---        up     22:02:56.642  \nkernel1    Kernel     master4    up     22:02:56.642  \nstatic1    Static     master4    up     22:02:56.642  \nMesh_10_23_14_111 BGP        ---        up     22:02:58.310  Established   \nMesh_10_23_14_112 BGP        ---        start  22:02:56.642  Connect       Socket: No route to host\nGlobal_10_23_14_1 BGP        ---        start  22:02:56.642  Passive       \n',
      status: 0,
    },
  ],
  ['show foo', { stdout: "BIRD 2.0.12 ready.\nNo such command. Press `?' for help.\n", status: 1 }],
  [
    'show status',
    {
      stdout:
        'BIRD 2.0.12 ready.\nBIRD 2.0.12\nRouter ID is 10.23.14.110\nHostname is vm\nCurrent server time is 2026-12-01 22:03:04.673\nLast reboot on 2026-12-01 22:02:56.642\nLast reconfiguration on 2026-12-01 22:02:56.642\nDaemon is up and running\n',
      status: 0,
    },
  ],
]);

/** BIRD2_RAW is the raw socket text after the hello for `show protocols`, `show route`, `show protocols all Mesh_10_23_14_111`. */
export const BIRD2_RAW =
  '2002-Name       Proto      Table      State  Since         Info\n1002-device1    Device     ---        up     22:02:56.642  \n direct1    Direct     ---        up     22:02:56.642  \n kernel1    Kernel     master4    up     22:02:56.642  \n static1    Static     master4    up     22:02:56.642  \n Mesh_10_23_14_111 BGP        ---        up     22:02:58.310  Established   \n Mesh_10_23_14_112 BGP        ---        start  22:02:56.642  Connect       Socket: No route to host\n Global_10_23_14_1 BGP        ---        start  22:02:56.642  Passive       \n0000 \n1007-Table master4:\n 10.23.14.0/24        unicast [direct1 22:02:56.645] * (240)\n \tdev eth0\n 10.233.80.1/32       unicast [kernel1 22:02:56.645] * (10)\n \tdev eth0\n 10.233.81.0/26       unicast [Mesh_10_23_14_111 22:02:58.549] * (100) [i]\n \tvia 10.23.14.111 on eth0\n 10.233.80.0/26       blackhole [static1 22:02:56.642] * (200)\n0000 \n2002-Name       Proto      Table      State  Since         Info\n1002-Mesh_10_23_14_111 BGP        ---        up     22:02:58.310  Established   \n1006-  Description:    Connection to BGP peer\n   BGP state:          Established\n     Neighbor address: 10.23.14.111\n     Neighbor AS:      64512\n     Local AS:         64512\n     Neighbor ID:      10.23.14.111\n     Local capabilities\n       Multiprotocol\n         AF announced: ipv4\n       Route refresh\n       Graceful restart\n         Restart time: 120\n         AF supported: ipv4\n         AF preserved:\n       4-octet AS numbers\n       ADD-PATH\n         RX: ipv4\n         TX: ipv4\n       Enhanced refresh\n       Long-lived graceful restart\n     Neighbor capabilities\n       Multiprotocol\n         AF announced: ipv4\n       Route refresh\n       Graceful restart\n         Restart time: 120\n         AF supported: ipv4\n         AF preserved:\n       4-octet AS numbers\n       ADD-PATH\n         RX: ipv4\n         TX: ipv4\n       Enhanced refresh\n       Long-lived graceful restart\n     Session:          internal multihop AS4\n     Source address:   10.23.14.110\n     Hold timer:       178.523/240\n     Keepalive timer:  67.638/80\n   Channel ipv4\n     State:          UP\n     Table:          master4\n     Preference:     100\n     Input filter:   ACCEPT\n     Output filter:  (unnamed)\n     Routes:         1 imported, 2 exported, 1 preferred\n     Route change stats:     received   rejected   filtered    ignored   accepted\n       Import updates:              1          0          0          0          1\n       Import withdraws:            0          0        ---          0          0\n       Export updates:              4          1          1        ---          2\n       Export withdraws:            0        ---        ---        ---          0\n     BGP Next hop:   10.23.14.110\n     IGP IPv4 table: master4\n \n0000 \n';
