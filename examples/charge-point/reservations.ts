/**
 * The simulated charger's reservation (1.6 ReserveNow / CancelReservation) of its one
 * connector: who it is held for (an idTag, or any idTag of the same parent), until when, and
 * its expiry. The charger decides whether a reservation may be made and what the connector
 * reports; this desk only keeps it.
 */

/** A reservation of the connector. */
export interface SimReservation {
  readonly id: number;
  readonly idTag: string;
  /** Any idTag whose Authorize answer names this parent may use the reservation too. */
  readonly parentIdTag: string | undefined;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** The reservation of the connector, if any, with its expiry timer. */
export class ReservationDesk {
  /** The reservation held now. */
  current: SimReservation | undefined;

  /** @param expired called when the reservation's expiry date passes (the charger ends it). */
  constructor(private readonly expired: (id: number) => void) {}

  /** Holds the connector for `idTag` (replacing a reservation of the same id) until `expiryDate`. */
  reserve(id: number, idTag: string, parentIdTag: string | undefined, expiryDate: string): void {
    this.clear();
    const timer = setTimeout(() => this.expired(id), Math.max(0, Date.parse(expiryDate) - Date.now()));
    timer.unref();
    this.current = { id, idTag, parentIdTag, timer };
  }

  /** Whether `idTag` (whose parent is `parentIdTag`, as the CSMS said) may charge on the connector. */
  admits(idTag: string, parentIdTag: string | undefined): boolean {
    const r = this.current;
    return r === undefined || r.idTag === idTag || (r.parentIdTag !== undefined && r.parentIdTag === parentIdTag);
  }

  /** Ends the reservation (used, cancelled or expired); returns its id. */
  clear(): number | undefined {
    const r = this.current;
    if (r === undefined) return undefined;
    clearTimeout(r.timer);
    this.current = undefined;
    return r.id;
  }
}
