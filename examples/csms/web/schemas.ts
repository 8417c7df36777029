/**
 * JSON Schemas of the API's request bodies: Fastify validates each request against them before
 * a route runs, and openapi.ts publishes the same objects, so the document cannot drift from
 * what the server accepts. Unknown fields are refused, not silently dropped.
 */
const str = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const connectorId = { type: 'integer', minimum: 0, maximum: 100 } as const;
/** An idTag: at most 20 characters in 1.6, and a printable one. */
const idTag = { type: 'string', minLength: 1, maxLength: 20, pattern: '^[\\x21-\\x7e]+$' } as const;

export const BODY = {
  remoteStart: {
    type: 'object',
    additionalProperties: false,
    required: ['idTag'],
    properties: { idTag, connectorId },
  },
  remoteStop: {
    type: 'object',
    additionalProperties: false,
    properties: { transactionId: { type: 'string', minLength: 1, maxLength: 36, description: "the station's id; default: its running transaction" } },
  },
  reset: {
    type: 'object',
    additionalProperties: false,
    properties: { type: { type: 'string', enum: ['soft', 'hard', 'Soft', 'Hard', 'OnIdle', 'Immediate'] } },
  },
  unlock: { type: 'object', additionalProperties: false, properties: { connectorId } },
  availability: {
    type: 'object',
    additionalProperties: false,
    required: ['available'],
    properties: { available: { type: 'boolean' }, connectorId },
  },
  trigger: {
    type: 'object',
    additionalProperties: false,
    required: ['message'],
    properties: { message: str(40), connectorId },
  },
  localList: {
    type: 'object',
    additionalProperties: false,
    required: ['listVersion'],
    properties: {
      listVersion: { type: 'integer', minimum: 1 },
      idTags: { type: 'array', items: idTag, maxItems: 1000, description: 'tags from the tag table to send; default: all of them' },
      updateType: { type: 'string', enum: ['Full', 'Differential'] },
    },
  },
  newStation: {
    type: 'object',
    additionalProperties: false,
    required: ['identity'],
    properties: {
      identity: { type: 'string', minLength: 1, maxLength: 48, pattern: '^[A-Za-z0-9._~-]+$' },
      description: { type: 'string', maxLength: 200 },
      password: { type: 'string', minLength: 16, maxLength: 40, description: 'Basic-auth password (OCPP: 16 to 40 characters)' },
    },
  },
  editStation: {
    type: 'object',
    additionalProperties: false,
    properties: {
      description: { type: 'string', maxLength: 200 },
      password: { type: ['string', 'null'], minLength: 16, maxLength: 40, description: 'null removes the password requirement' },
      admission: { type: 'string', enum: ['accepted', 'pending'] },
    },
  },
  newTag: {
    type: 'object',
    additionalProperties: false,
    required: ['idTag'],
    properties: {
      idTag,
      name: { type: 'string', maxLength: 100 },
      expiry: { type: ['string', 'null'], format: 'date-time' },
      blocked: { type: 'boolean' },
      parent: { anyOf: [idTag, { type: 'null' }] },
    },
  },
  editTag: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', maxLength: 100 },
      expiry: { type: ['string', 'null'], format: 'date-time' },
      blocked: { type: 'boolean' },
      parent: { anyOf: [idTag, { type: 'null' }] },
    },
  },
} as const;

/** The request bodies, typed as the schemas above allow. */
export interface Bodies {
  remoteStart: { idTag: string; connectorId?: number };
  remoteStop: { transactionId?: string };
  reset: { type?: string };
  unlock: { connectorId?: number };
  availability: { available: boolean; connectorId?: number };
  trigger: { message: string; connectorId?: number };
  localList: { listVersion: number; idTags?: string[]; updateType?: 'Full' | 'Differential' };
  newStation: { identity: string; description?: string; password?: string };
  editStation: { description?: string; password?: string | null; admission?: 'accepted' | 'pending' };
  newTag: { idTag: string; name?: string; expiry?: string | null; blocked?: boolean; parent?: string | null };
  editTag: { name?: string; expiry?: string | null; blocked?: boolean; parent?: string | null };
}
