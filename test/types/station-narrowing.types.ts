// Type tests: inside `cs.handle(version, action, (req, ctx) => ...)` the context is already typed
// for that version: `ctx.station` is a `Station<version>` and `ctx.protocol` is the version, so a
// handler can call the station without narrowing or casts. Compiled by `tsc --noEmit` (npm test),
// never run; every `@ts-expect-error` line must produce an error of its own.
import { CentralSystem } from '../../src/index';
import type { AnyStation, Station, StationHandler, StationHandlerContext } from '../../src/index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

export function handlerContextsAreTypedByVersion(): void {
  const cs = new CentralSystem({ protocols: ['ocpp1.6', 'ocpp2.0.1'] });

  cs.handle('ocpp1.6', 'StatusNotification', (_req, ctx) => {
    expectType<Equal<typeof ctx.station, Station<'ocpp1.6'>>>();
    expectType<Equal<typeof ctx.protocol, 'ocpp1.6'>>();
    void ctx.station.call('Reset', { type: 'Soft' });
    void ctx.station.call('RemoteStartTransaction', { idTag: 'TAG' });
    // @ts-expect-error 'Immediate' is the 2.0.1 reset type; this is a 1.6 station
    void ctx.station.call('Reset', { type: 'Immediate' });
    // @ts-expect-error RequestStartTransaction is 2.0.1 only
    void ctx.station.call('RequestStartTransaction', { idToken: { idToken: 'T', type: 'ISO14443' }, remoteStartId: 1 });
    // @ts-expect-error the protocol is known to be 1.6
    const wrong: 'ocpp2.0.1' = ctx.protocol;
    void wrong;
    return {};
  });

  cs.handle('ocpp2.0.1', 'StatusNotification', (_req, { station, protocol: _protocol }) => {
    expectType<Equal<typeof station, Station<'ocpp2.0.1'>>>();
    expectType<Equal<typeof _protocol, 'ocpp2.0.1'>>();
    void station.call('Reset', { type: 'Immediate' });
    // @ts-expect-error 'Soft' is the 1.6 reset type; this is a 2.0.1 station
    void station.call('Reset', { type: 'Soft' });
    // @ts-expect-error RemoteStartTransaction is 1.6 only
    void station.call('RemoteStartTransaction', { idTag: 'TAG' });
    return {};
  });

  // A station's own handlers get the same context.
  cs.on('connection', (station) => {
    if (station.protocol === 'ocpp1.6') {
      station.handle('Heartbeat', (_req, _ctx) => {
        expectType<Equal<typeof _ctx.station, Station<'ocpp1.6'>>>();
        return { currentTime: new Date().toISOString() };
      });
    }
  });
}

export function handlerTypesCarryTheVersion(): void {
  // A handler written apart from the registration keeps its version.
  const onBoot: StationHandler<'ocpp2.0.1', 'BootNotification'> = (_req, _ctx) => {
    expectType<Equal<typeof _ctx.station, Station<'ocpp2.0.1'>>>();
    return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
  };
  new CentralSystem({ protocols: ['ocpp2.0.1'] }).handle('ocpp2.0.1', 'BootNotification', onBoot);
  // @ts-expect-error a 2.0.1 handler is not a 1.6 one
  new CentralSystem({ protocols: ['ocpp1.6'] }).handle('ocpp1.6', 'BootNotification', onBoot);

  // Without a version, the context still has a station of any version, to be narrowed.
  expectType<Equal<StationHandlerContext['station'], AnyStation>>();
  const any = {} as StationHandlerContext;
  if (any.station.protocol === 'ocpp1.6') expectType<Equal<typeof any.station, Station<'ocpp1.6'>>>();
}
