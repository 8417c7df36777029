/** The cluster's public names, gathered for the package door (src/index.ts). */
export type {
  ClaimResult,
  ClusterAdapter,
  ClusterEvent,
  ClusterEventBase,
  ClusterHost,
  Delivery,
  PresenceChange,
  RemoteCall,
  RemoteFailure,
  RemoteOutcome,
  StationRef,
} from './adapter';
export type { Fleet } from './directory';
export {
  ClusterUnavailableError,
  RemoteCallError,
  StationNotConnectedError,
  type ClusterUnavailableErrorInit,
  type RemoteCallErrorInit,
  type StationNotConnectedErrorInit,
} from './errors';
export { MemoryCluster, type MemoryAdapterOptions } from './memory';
export { RemoteStation, type AnyRemoteStation } from './remote-station';
