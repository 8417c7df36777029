/**
 * The registration state a BootNotification answer sets, read the same way on both sides: the
 * server's Station (gating, checklist item 48) and the client's ChargePoint (`boot()` and its gating, items 47 and 49).
 */

/** Registration state, from the answers to a BootNotification (the same three values in 1.6 and 2.0.1). */
export type BootStatus = 'Accepted' | 'Pending' | 'Rejected';

/** The status of a BootNotification response, or undefined when it carries none we know. */
export function bootStatusOf(response: unknown): BootStatus | undefined {
  const status = (response as { status?: unknown } | null | undefined)?.status;
  return status === 'Accepted' || status === 'Pending' || status === 'Rejected' ? status : undefined;
}
