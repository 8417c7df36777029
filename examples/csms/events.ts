/**
 * What changed, for whoever shows it live: the OCPP handlers emit, the console's event stream
 * (web/live.ts) forwards to browsers. One tiny emitter keeps the OCPP layer ignorant of the web.
 */
import { EventEmitter } from 'eventemitter3';

/** Why a station's view changed. */
export type ChangeKind = 'connection' | 'boot' | 'status' | 'transaction' | 'meter' | 'admin';

export interface CsmsEvents {
  /** Something about `identity` changed; listeners re-read what they show. */
  change: (e: { identity: string; kind: ChangeKind }) => void;
}

export class ChangeFeed extends EventEmitter<CsmsEvents> {
  changed(identity: string, kind: ChangeKind): void {
    this.emit('change', { identity, kind });
  }
}
