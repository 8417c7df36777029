/**
 * What the OCPP handlers share: the stores, the change feed and the settings, plus the tag
 * verdicts in each version's words. Kept apart so the handler files hold only handlers.
 */
import type { OCPP16, OCPP201 } from '../../../src/index';
import type { ChangeFeed } from '../events';
import type { StationStore } from '../store/stations';
import type { TagStore } from '../store/tags';
import type { TransactionStore } from '../store/transactions';

/** The versions this CSMS serves, newest first (2.1 is opt-in in the SDK; we opt in). */
export const CSMS_PROTOCOLS = ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'] as const;
export type CsmsVersion = (typeof CSMS_PROTOCOLS)[number];

export interface HandlerContext {
  stations: StationStore;
  tags: TagStore;
  transactions: TransactionStore;
  feed: ChangeFeed;
  /** Heartbeat interval given to accepted stations, in seconds. */
  heartbeatIntervalSec: number;
  /** Retry interval given to pending stations, in seconds. */
  pendingIntervalSec: number;
}

/** 1.6 IdTagInfo for `idTag`, from the tag table. */
export function idTagInfo(ctx: HandlerContext, idTag: string): OCPP16.IdTagInfo {
  const verdict = ctx.tags.check(idTag);
  return {
    status: verdict.status,
    ...(verdict.parent ? { parentIdTag: verdict.parent } : {}),
    ...(verdict.expiry ? { expiryDate: verdict.expiry } : {}),
  };
}

/** 2.x IdTokenInfo: 2.x has no `Invalid`; an unknown token is `Unknown`. */
export function idTokenInfo(ctx: HandlerContext, idToken: string): OCPP201.IdTokenInfoType {
  const verdict = ctx.tags.check(idToken);
  return {
    status: verdict.status === 'Invalid' ? 'Unknown' : verdict.status,
    ...(verdict.parent ? { groupIdToken: { idToken: verdict.parent, type: 'Central' } } : {}),
    ...(verdict.expiry ? { cacheExpiryDateTime: verdict.expiry } : {}),
  };
}

export const now = (): string => new Date().toISOString();
