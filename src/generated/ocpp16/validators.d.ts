// GENERATED, DO NOT EDIT. Source: schemas/ocpp1.6/ (OCA JSON schemas, patched in memory by scripts/codegen/patches.ts). Generator: scripts/generate.ts (npm run generate).
/** One validation error, as ajv reports it (the fields this SDK relies on). */
export interface ErrorObjectLike {
  /** ajv keyword that failed: `required`, `type`, `enum`, `additionalProperties`, ... */
  keyword: string;
  /** JSON Pointer of the failing value in the payload; `''` for the root. */
  instancePath: string;
  /** JSON Pointer of the failing keyword in the schema. */
  schemaPath: string;
  /** Keyword details, e.g. `{ missingProperty }`, `{ additionalProperty }`, `{ allowedValues }`. */
  params: Record<string, unknown>;
  /** ajv's English message, e.g. `must be string`. */
  message?: string;
}

/** A precompiled validator. Returns true when `data` is valid; otherwise sets `errors`. */
export interface ValidateFunction {
  (data: unknown): boolean;
  /** Errors of the last call (one at most: generated with `allErrors: false`); null after a valid call. */
  errors?: ErrorObjectLike[] | null;
}

/** The request and response validators of one action. */
export interface ActionValidators {
  readonly request: ValidateFunction;
  readonly response: ValidateFunction;
}

/**
 * Precompiled validators for every ocpp1.6 action, keyed by action name: the
 * request and the response schema of each. Generated with ajv (draft-07 rules, which the
 * generator checks the OCA drafts agree with; ajv-formats for `date-time`/`uri`; first
 * error only, no defaults, no coercion, no property removal).
 */
export declare const validators: Readonly<Record<string, ActionValidators>>;
