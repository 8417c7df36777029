/**
 * The shape of an endpoint's action maps: for each action, its request and response payload
 * types. The version layer builds them from the generated types; the core only constrains them.
 */

/** Request and response payload types of one action. */
export interface ActionShape {
  /** Payload of the request (CALL). */
  request: unknown;
  /** Payload of the response (CALLRESULT). */
  response: unknown;
}

/** Action name to payload types: the actions one side may call, or may handle. */
export type ActionShapes = Record<string, ActionShape>;

/**
 * The constraint on an endpoint's action maps. Mapped over the map's own keys (rather than
 * `ActionShapes` itself) so that interfaces, which have no index signature, qualify too.
 */
export type ActionShapesOf<T> = { [K in keyof T]: ActionShape };
