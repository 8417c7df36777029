/**
 * Meter values of every version reduced to what the CSMS keeps: energy register readings in
 * Wh and power in W. 1.6 sends strings with an optional unit; 2.x numbers with a unit and a
 * power-of-ten multiplier. The energy register is the default measurand in both.
 */
import type { OCPP16, OCPP201 } from '../../../src/index';
import type { MeterSample } from '../store/transactions';

const ENERGY = 'Energy.Active.Import.Register';
const POWER = 'Power.Active.Import';
const KEPT = new Set([ENERGY, POWER]);

/** kWh and kW become Wh and W; anything else is taken as the base unit. */
function toBase(value: number, unit: string | undefined): number {
  return unit === 'kWh' || unit === 'kW' ? value * 1000 : value;
}

export function samples16(values: readonly OCPP16.MeterValue[] | undefined): MeterSample[] {
  const out: MeterSample[] = [];
  for (const mv of values ?? []) {
    for (const s of mv.sampledValue) {
      const measurand = s.measurand ?? ENERGY;
      const value = Number(s.value);
      // Phases are summed into the total by the charger already when it sends one without a phase.
      if (!KEPT.has(measurand) || s.phase !== undefined || !Number.isFinite(value)) continue;
      out.push({ at: mv.timestamp, measurand, value: toBase(value, s.unit), unit: measurand === ENERGY ? 'Wh' : 'W' });
    }
  }
  return out;
}

export function samples2x(values: readonly OCPP201.MeterValueType[] | undefined): MeterSample[] {
  const out: MeterSample[] = [];
  for (const mv of values ?? []) {
    for (const s of mv.sampledValue) {
      const measurand = s.measurand ?? ENERGY;
      if (!KEPT.has(measurand) || s.phase !== undefined) continue;
      const value = toBase(s.value * 10 ** (s.unitOfMeasure?.multiplier ?? 0), s.unitOfMeasure?.unit);
      out.push({ at: mv.timestamp, measurand, value, unit: measurand === ENERGY ? 'Wh' : 'W' });
    }
  }
  return out;
}

/** The last energy register reading among `samples`, in Wh. */
export function lastEnergy(samples: readonly MeterSample[]): number | undefined {
  return samples.filter((s) => s.measurand === ENERGY).at(-1)?.value;
}
