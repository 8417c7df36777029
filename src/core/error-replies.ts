/**
 * Bounds on what our CALLERRORs (and 2.1 CALLRESULTERRORs) carry. Their descriptions often echo
 * the peer's input (an unknown property name, an action, a framing detail), and a handler's
 * `RpcError` may carry any details object: neither may make an answer grow with what a hostile
 * peer sends, nor leak a large internal object.
 */
import type { RpcErrorCode } from './error-codes';
import { isRpcErrorCode, type RpcError } from './errors';
import { serializeError } from './frames';
import type { ProtocolRules } from './protocol-rules';

/** What the description of a CALLERROR (or CALLRESULTERROR) for a local failure says; the real error stays local. */
export const INTERNAL_ERROR_DESCRIPTION = 'An internal error occurred';

/**
 * The code to send for an {@link RpcError} our application threw: its own, canonical; a code
 * outside the table (or one the peer's version lacks a spelling for) must not reach the wire, so
 * it goes out as GenericError, with its description kept.
 */
export function replyCodeOf(error: RpcError, rules: Pick<ProtocolRules, 'fromWireCode'>): RpcErrorCode {
  const canonical = rules.fromWireCode(error.code);
  return isRpcErrorCode(canonical) ? canonical : 'GenericError';
}

/**
 * Longest errorDescription we send, in code points, on every version. OCPP 2.0.1 and 2.1 set 255
 * (Part 4 §4.2.3); 1.6 sets no limit, but a description is a line for a human, and without a
 * limit a 1.6 peer could make us echo a 500,000-character property name back. One limit for all
 * versions keeps the answers alike; a version whose rules set a lower one gets the lower one.
 */
export const MAX_ERROR_DESCRIPTION_LENGTH = 255;

/**
 * Largest errorDetails we send, in characters of JSON. Details are for diagnosis, a few fields;
 * larger ones (say a handler that attached a whole request or a database row) are replaced by
 * `{}` and reported locally instead.
 */
export const MAX_ERROR_DETAILS_LENGTH = 4096;

/** The description limit on a connection: the version's own limit when lower, else {@link MAX_ERROR_DESCRIPTION_LENGTH}. */
export function descriptionLimit(versionLimit: number | undefined): number {
  return versionLimit === undefined || versionLimit > MAX_ERROR_DESCRIPTION_LENGTH ? MAX_ERROR_DESCRIPTION_LENGTH : versionLimit;
}

/** Cuts a description to `max` code points without splitting a surrogate pair. */
export function cutDescription(text: string, max: number): string {
  if (text.length <= max) return text;
  let points = 0;
  for (let i = 0; i < text.length; i++) {
    if (points === max) return text.slice(0, i);
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    points++;
  }
  return text;
}

/** Names an action in a description without echoing an absurdly long one back. */
export function quoteAction(action: string): string {
  return action.length <= 64 ? action : action.slice(0, 64) + '…';
}

/**
 * The text of a CALLERROR (4) or CALLRESULTERROR (5) with details (callers serialize one without
 * details directly, which spares this result object). When the details could not be sent (they do not serialize, or their JSON is longer than
 * {@link MAX_ERROR_DETAILS_LENGTH}), the text carries `{}` instead and `dropped` says why, for
 * the caller to report.
 */
export function serializeBoundedError(
  type: 4 | 5,
  messageId: string,
  wireCode: string,
  description: string,
  details: unknown,
): { readonly text: string; readonly dropped: Error | undefined } {
  let text: string;
  try {
    text = serializeError(type, messageId, wireCode, description, details);
  } catch (error) {
    // Details that do not serialize (a cycle, a BigInt) must not cost the peer its answer.
    return {
      text: serializeError(type, messageId, wireCode, description, undefined),
      dropped: new TypeError('errorDetails could not be serialized; {} was sent instead', { cause: error }),
    };
  }
  // A frame this short cannot hold details over the limit; only a long one pays a second serialization.
  if (text.length <= MAX_ERROR_DETAILS_LENGTH) return { text, dropped: undefined };
  const bare = serializeError(type, messageId, wireCode, description, undefined);
  const detailsLength = text.length - bare.length + 2; // bare holds "{}"
  if (detailsLength <= MAX_ERROR_DETAILS_LENGTH) return { text, dropped: undefined };
  return {
    text: bare,
    dropped: new RangeError(`errorDetails serialize to ${detailsLength} characters, over the ${MAX_ERROR_DETAILS_LENGTH} sent; {} was sent instead`),
  };
}
