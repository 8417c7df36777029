// Type tests: `cs.fleet` holds this node's stations and, with a cluster, other nodes' as
// `RemoteStation`s. Either way a station narrowed on `protocol` takes exactly its version's
// actions, a remote one with the same request and response types as a local one; `cs.stations`
// stays this node's `Station`s. Compiled by `tsc --noEmit` (npm test), never run; every
// `@ts-expect-error` line must produce an error of its own.
import { CentralSystem, MemoryCluster, RemoteStation } from '../../src/index';
import type { AnyRemoteStation, AnyStation, OCPP16, OCPP201 } from '../../src/index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

export async function fleetStationsAreTypedByVersion(): Promise<void> {
  const cs = new CentralSystem({ protocols: ['ocpp1.6', 'ocpp2.0.1'], cluster: new MemoryCluster().adapter('a') });
  expectType<Equal<ReturnType<typeof cs.stations.get>, AnyStation<'ocpp1.6' | 'ocpp2.0.1'> | undefined>>();
  expectType<Equal<ReturnType<typeof cs.fleet.get>, AnyStation<'ocpp1.6' | 'ocpp2.0.1'> | AnyRemoteStation<'ocpp1.6' | 'ocpp2.0.1'> | undefined>>();

  const station = cs.fleet.get('CP001');
  if (station === undefined) return;
  // @ts-expect-error the version is not known yet: Reset's request differs between 1.6 and 2.0.1
  void station.call('Reset', { type: 'Soft' });
  if (station.protocol === 'ocpp1.6') {
    const _answer = await station.call('RemoteStartTransaction', { idTag: 'TAG' });
    expectType<Equal<typeof _answer, OCPP16.RemoteStartTransactionResponse>>();
    // @ts-expect-error 'Immediate' is the 2.0.1 reset type
    void station.call('Reset', { type: 'Immediate' });
    // @ts-expect-error a station's own action is not the central system's to call
    void station.call('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' });
  } else {
    const _answer = await station.call('RequestStartTransaction', { idToken: { idToken: 'T', type: 'ISO14443' }, remoteStartId: 1 });
    expectType<Equal<typeof _answer, OCPP201.RequestStartTransactionResponse>>();
  }
  if (station instanceof RemoteStation) {
    expectType<Equal<typeof station.node, string>>();
    // A remote station has no handlers or events: those live on the node that holds it.
    expectType<Equal<'handle' extends keyof typeof station ? true : false, false>>();
    expectType<Equal<'on' extends keyof typeof station ? true : false, false>>();
  } else if (station.protocol === 'ocpp2.0.1') {
    station.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  }
}
