/**
 * Error codes as each version spells them on the wire (1.6 keeps `FormationViolation` and
 * `OccurenceConstraintViolation`), and which code a version uses for a broken frame.
 */
import { rulesFor, type OcppVersion } from '../index';

/** The wire spellings of the codes negative tests look for, in one version. */
export interface VersionCodes {
  /** A payload of the wrong form: `FormationViolation` (1.6), `FormatViolation` (2.x). */
  readonly format: string;
  /** A missing required field or too many items: `OccurenceConstraintViolation` (1.6), `OccurrenceConstraintViolation` (2.x). */
  readonly occurrence: string;
  /** A field of the wrong type. */
  readonly type: string;
  /** A field with a wrong value. */
  readonly property: string;
  /** What a text that is no valid frame gets: `FormationViolation` (1.6), `RpcFrameworkError` (2.x). */
  readonly framing: string;
  /** An action the version does not know. */
  readonly notImplemented: string;
  /** A known action the peer does not support. */
  readonly notSupported: string;
  /** A CALL refused for security reasons (e.g. before an accepted boot). */
  readonly security: string;
  /** An internal failure. */
  readonly internal: string;
}

/**
 * The wire spellings of error codes in `protocol`. An `RpcError` from `call()` and
 * `ReceivedCallError.code` carry the canonical (2.0.1) spelling whatever the version, and
 * `expectCallError` accepts either; these are for raw frames and transcripts.
 *
 * @throws TypeError for an unknown version.
 */
export function codes(protocol: OcppVersion): VersionCodes {
  const r = rulesFor(protocol);
  return Object.freeze({
    format: r.toWireCode('FormatViolation'),
    occurrence: r.toWireCode('OccurrenceConstraintViolation'),
    type: r.toWireCode('TypeConstraintViolation'),
    property: r.toWireCode('PropertyConstraintViolation'),
    framing: r.toWireCode(r.framingErrorCode),
    notImplemented: r.toWireCode('NotImplemented'),
    notSupported: r.toWireCode('NotSupported'),
    security: r.toWireCode('SecurityError'),
    internal: r.toWireCode('InternalError'),
  });
}
