/**
 * A ChargePoint running in a web page: connect to a central system, send a BootNotification,
 * show the answer. Bundled for the browser by esbuild (`npx ts-node examples/browser/serve.ts`
 * does that and serves the page); the import below is the source of the package's `browser`
 * entry, which an application would write as `import { ChargePoint } from 'ocpp-sdk'`.
 *
 * The page takes its settings from the query string: `?url=ws://127.0.0.1:9220/ocpp&identity=CP-1`.
 * A browser WebSocket cannot send headers, so no Basic auth here (a `password` option throws).
 */
import { ChargePoint } from '../../src/browser';

const params = new URLSearchParams(location.search);
const url = params.get('url') ?? `ws://${location.hostname || '127.0.0.1'}:9220/ocpp`;
const identity = params.get('identity') ?? 'BROWSER-1';

const status = document.getElementById('status') as HTMLOutputElement;
(document.getElementById('url') as HTMLElement).textContent = url;
(document.getElementById('identity') as HTMLElement).textContent = identity;

function show(text: string, state: 'done' | 'error'): void {
  status.textContent = text;
  status.dataset.state = state;
}

async function main(): Promise<void> {
  const cp = new ChargePoint({ url, identity, protocol: 'ocpp1.6', reconnect: false });
  await cp.connect();
  try {
    const boot = await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Browser-1' });
    show(boot.status, 'done');
  } finally {
    await cp.close();
  }
}

main().catch((error: unknown) => show(`error: ${error instanceof Error ? error.message : String(error)}`, 'error'));
