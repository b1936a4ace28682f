// A small cluster with a Calico route reflector: three nodes on one LAN, the node-to-node mesh off,
// rr-0 reflecting (routeReflectorClusterID 244.0.0.1), every node peering with it through one
// BGPPeer (`peerSelector: route-reflector == 'true'`), one pod on each client. Used by the tests of
// src/tools/cluster next to seed000's full mesh.

/** RR_CLUSTER is the scenario. */
export const RR_CLUSTER = `apiVersion: calisim/v1
kind: Cluster
metadata: {name: rr}
spec:
  startTime: "2025-05-16T12:00:00Z"
  networks:
  - {name: lan, cidr: 10.0.0.0/24, gateway: 10.0.0.1}
  nodes:
  - {name: rr-0, network: lan, address: 10.0.0.10, routeReflectorClusterID: 244.0.0.1, labels: {route-reflector: "true"}}
  - {name: node-1, network: lan, address: 10.0.0.11}
  - {name: node-2, network: lan, address: 10.0.0.12}
  pods:
  - {name: web-1, node: node-1}
  - {name: web-2, node: node-2}
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: default-ipv4-ippool}
spec: {cidr: 10.200.0.0/16, blockSize: 26, ipipMode: Never, vxlanMode: Never, natOutgoing: true, nodeSelector: all()}
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata: {name: default}
spec: {nodeToNodeMeshEnabled: false, logSeverityScreen: Info}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: peer-with-rrs}
spec:
  nodeSelector: all()
  peerSelector: route-reflector == 'true'
`;
