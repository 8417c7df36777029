/**
 * The stations of a cluster test. They live in the test process, not in the nodes, so that they
 * outlive a node's SIGKILL and can count what they received across it.
 */
import { WebSocket } from 'ws';
import { ChargePoint } from '../../src/index';
import type { TestNode } from './nodes';
import { bounded } from './timing';

/** What a {@link TestStation} does with the CALLs it gets. */
export interface StationBehaviour {
  /** How long RemoteStartTransaction takes to answer (a station that is slow to decide). @default 0 */
  remoteStartDelayMs?: number;
}

/**
 * A ChargePoint (OCPP 1.6) in the test process that counts every CALL it receives, so that a
 * count survives the death of the node it was connected to. Answers GetConfiguration with its
 * identity and a `tag` telling connections of the same identity apart.
 */
export class TestStation {
  readonly cp: ChargePoint<'ocpp1.6'>;
  readonly received = new Map<string, number>();

  constructor(
    readonly identity: string,
    readonly node: TestNode,
    readonly tag: string,
    behaviour: StationBehaviour = {},
  ) {
    this.cp = new ChargePoint({ url: node.url, identity, protocol: 'ocpp1.6', reconnect: false, callTimeoutMs: 5000 });
    const count = (action: string): void => {
      this.received.set(action, (this.received.get(action) ?? 0) + 1);
    };
    this.cp.handle('GetConfiguration', () => {
      count('GetConfiguration');
      return { configurationKey: [{ key: 'Identity', readonly: true, value: `${identity}/${tag}` }] };
    });
    this.cp.handle('Reset', () => {
      count('Reset');
      return { status: 'Accepted' };
    });
    this.cp.handle('RemoteStartTransaction', async () => {
      count('RemoteStartTransaction');
      const delay = behaviour.remoteStartDelayMs ?? 0;
      // Unref'd: a station still "deciding" must not keep the test process alive at the end.
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay).unref());
      return { status: 'Accepted' };
    });
  }

  count(action: string): number {
    return this.received.get(action) ?? 0;
  }

  /** Connects and sends its BootNotification. */
  async start(): Promise<this> {
    await this.cp.connect();
    await this.cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
    return this;
  }

  get open(): boolean {
    return this.cp.state === 'open';
  }

  close(): Promise<void> {
    return bounded(
      this.cp.close().catch(() => undefined),
      2000,
      undefined,
    );
  }
}

/**
 * A station on a bare `ws` socket that can stop reading: frozen, it answers neither pings nor the
 * close frame, like a connection whose peer went half-dead, so the node holding it closes late.
 */
export class RawStation {
  private readonly socket: WebSocket;
  private readonly opened: Promise<void>;

  constructor(
    node: TestNode,
    readonly identity: string,
  ) {
    this.socket = new WebSocket(`${node.url}/${identity}`, 'ocpp1.6');
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('error', () => undefined);
  }

  /** Connects and sends a BootNotification, waiting (bounded) for its answer. */
  async start(): Promise<this> {
    await bounded(this.opened, 3000, 'timeout');
    const answered = new Promise<void>((resolve) => this.socket.once('message', () => resolve()));
    this.socket.send(JSON.stringify([2, 'boot-1', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Raw' }]));
    if ((await bounded(answered, 3000, 'timeout')) === 'timeout') throw new Error(`${this.identity}: no answer to its BootNotification`);
    return this;
  }

  /** Stops reading: the close frame the node sends is never answered. */
  freeze(): void {
    (this.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.socket.terminate();
  }
}
