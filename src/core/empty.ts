/**
 * Stand-ins, shared by every endpoint, for collections an endpoint has not needed yet: a server
 * holds thousands of mostly idle endpoints, and an empty Map or Set costs some 150 bytes. They
 * are never written: each `set`/`add` on one first swaps in the owner's own collection
 * (`delete` and `clear` on an empty collection change nothing).
 */
export const EMPTY_MAP: Map<never, never> = new Map<never, never>();
/** See {@link EMPTY_MAP}. */
export const EMPTY_SET: Set<never> = new Set<never>();
