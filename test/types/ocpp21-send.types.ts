// Type tests for SEND and CALLRESULTERROR on 2.1 (issue 14, deliverables 4 and 5): `send` takes
// only the actions that travel as SEND in its direction, `call` refuses them, a SEND handler
// returns nothing, and `accept` sees the response type of the action called. Compiled by
// `tsc --noEmit`, never run; each `@ts-expect-error` sits on the one line that must fail.
import { CentralSystem, ChargePoint, NotSupportedError } from '../../src/index';
import type { OCPP21, Station } from '../../src/index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

const stream: OCPP21.NotifyPeriodicEventStream = { id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '1' }] };

export function chargePointSends(cp: ChargePoint<'ocpp2.1'>): void {
  const id: string = cp.send('NotifyPeriodicEventStream', stream);
  void id;
  // @ts-expect-error Heartbeat travels as a CALL, never as a SEND
  cp.send('Heartbeat', {});
  // @ts-expect-error the payload is the stream's: `pending` is required
  cp.send('NotifyPeriodicEventStream', { id: 1, basetime: '2025-01-01T00:00:00Z', data: [] });
  // @ts-expect-error NotifyPeriodicEventStream has no response, so call() does not offer it
  void cp.call('NotifyPeriodicEventStream', stream);
  // @ts-expect-error a charge point does not handle its own SEND action
  cp.handle('NotifyPeriodicEventStream', () => undefined);
}

export function olderVersionsHaveNoSend(cp16: ChargePoint<'ocpp1.6'>, cp201: ChargePoint<'ocpp2.0.1'>): void {
  // @ts-expect-error 1.6 has no SEND
  cp16.send('Heartbeat', {});
  // @ts-expect-error 2.0.1 has no SEND (and no NotifyPeriodicEventStream)
  cp201.send('NotifyPeriodicEventStream', stream);
}

export function centralSystemSide(cs: CentralSystem<'ocpp2.1'>, station: Station<'ocpp2.1'>): void {
  // The station's SEND is handled like a CALL, but its handler returns nothing.
  cs.handle('ocpp2.1', 'NotifyPeriodicEventStream', (request, ctx) => {
    expectType<Equal<typeof request, OCPP21.NotifyPeriodicEventStream>>();
    void ctx.station.identity;
  });
  station.handle('NotifyPeriodicEventStream', async () => {
    await Promise.resolve();
  });
  // @ts-expect-error the CSMS has no SEND actions in 2.1: NotifyPeriodicEventStream is the station's
  station.send('NotifyPeriodicEventStream', stream);
  // @ts-expect-error nor does it call it
  void station.call('NotifyPeriodicEventStream', stream);
}

export async function acceptSeesTheResponseType(cp: ChargePoint<'ocpp2.1'>, station: Station<'ocpp2.1'>): Promise<void> {
  await cp.call(
    'Authorize',
    { idToken: { idToken: 'T', type: 'ISO14443' } },
    {
      accept: (result) => {
        expectType<Equal<typeof result, OCPP21.AuthorizeResponse>>();
        if (result.tariff !== undefined) throw new NotSupportedError({ description: 'tariff cannot be applied' });
      },
    },
  );
  await station.call(
    'GetTariffs',
    { evseId: 1 },
    {
      accept: (_result) => {
        expectType<Equal<typeof _result, OCPP21.GetTariffsResponse>>();
      },
    },
  );
  // @ts-expect-error accept gets the response, not the request
  await cp.call('Heartbeat', {}, { accept: (_result: { idToken: string }) => undefined });
}
