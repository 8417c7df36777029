// A small schema-driven example generator for tests: builds a minimal valid instance of a
// message schema, and derives mechanically, for every property position the schema describes,
// a valid instance that includes it and invalid variants that break exactly one rule.
//
// It knows the keywords the OCA schemas use (type, enum, $ref to #/definitions, properties,
// required, additionalProperties, items, minItems, maxItems, maxLength, minLength, format,
// minimum, maximum, multipleOf) and throws on anything it does not know, so that a schema
// update with a new feature cannot make the tests quietly test less.
import type { RpcErrorCode } from '../../src/core/error-codes';

export type Schema = { [key: string]: unknown };
type Segment = string | number;

/** One derived payload and what validating it must give. */
export interface Variant {
  /** What was done, for assertion messages. */
  readonly name: string;
  readonly payload: unknown;
  /** Expected canonical code, or `undefined` when the payload must be valid. */
  readonly code: RpcErrorCode | undefined;
  /** JSON Pointer the detail must start with (`/` for the root). */
  readonly path: string;
  /** Text the detail must also contain (the property name for required/additional). */
  readonly mentions?: string;
}

/** Property name used for "unknown property" variants. */
export const EXTRA = 'unknownVendorField';

const KNOWN = new Set([
  '$id',
  '$schema',
  'id',
  'title',
  'description',
  'comment',
  'javaType',
  'default',
  'definitions',
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'additionalItems',
  'items',
  'minItems',
  'maxItems',
  'maxLength',
  'minLength',
  'format',
  'minimum',
  'maximum',
  'multipleOf',
]);

export const VALID_DATE_TIME = '2024-05-01T12:00:00Z';
export const VALID_URI = 'https://example.com/files/firmware-1.2.bin';

export function pointer(segments: readonly Segment[]): string {
  return segments.length ? '/' + segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/') : '/';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep-freezes a value so that a test proves the validator does not mutate it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Example and variant generation for one message schema. */
export class SchemaExamples {
  constructor(private readonly root: Schema) {}

  /** Follows a local `$ref`; checks that every keyword is one this generator understands. */
  resolve(schema: Schema): Schema {
    let s = schema;
    for (let hops = 0; typeof s['$ref'] === 'string'; hops++) {
      const ref = s['$ref'];
      const m = /^#\/definitions\/(.+)$/.exec(ref);
      const defs = this.root['definitions'] as Record<string, Schema> | undefined;
      if (!m || !defs || !defs[m[1]] || hops > 20) throw new Error(`cannot resolve $ref ${ref}`);
      s = defs[m[1]];
    }
    for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`schema keyword ${k} is not handled by the example generator`);
    return s;
  }

  /** A minimal valid instance: required properties only, first enum values, shortest lengths. */
  minimal(schema: Schema): unknown {
    const s = this.resolve(schema);
    if ('const' in s) return s['const'];
    if (Array.isArray(s['enum'])) return s['enum'][0];
    // No type at all (2.0.1 DataTransfer `data`): any JSON value is valid.
    if (s['type'] === undefined) return { any: ['json', 1, true, null] };
    switch (s['type']) {
      case 'object': {
        const props = (s['properties'] ?? {}) as Record<string, Schema>;
        const out: Record<string, unknown> = {};
        for (const name of (s['required'] ?? []) as string[]) out[name] = this.minimal(props[name]);
        return out;
      }
      case 'array':
        return Array.from({ length: (s['minItems'] as number | undefined) ?? 0 }, () => this.minimal(s['items'] as Schema));
      case 'string': {
        if (s['format'] === 'date-time') return VALID_DATE_TIME;
        if (s['format'] === 'uri') return VALID_URI;
        if (s['format'] !== undefined) throw new Error(`format ${JSON.stringify(s['format'])} is not handled`);
        return 'x'.repeat(Math.max(1, (s['minLength'] as number | undefined) ?? 1));
      }
      case 'integer':
      case 'number': {
        let n = (s['minimum'] as number | undefined) ?? 0;
        if (typeof s['maximum'] === 'number' && n > s['maximum']) n = s['maximum'];
        return n;
      }
      case 'boolean':
        return true;
      default:
        throw new Error(`type ${JSON.stringify(s['type'])} is not handled`);
    }
  }

  /** Every property position below the root, depth-first: the segments leading to it and its schema. */
  positions(): { segments: Segment[]; schema: Schema; requiredInParent: boolean }[] {
    const out: { segments: Segment[]; schema: Schema; requiredInParent: boolean }[] = [];
    const visit = (schema: Schema, segments: Segment[], depth: number): void => {
      if (depth > 24) throw new Error(`schema nests deeper than 24 levels at ${pointer(segments)}`);
      const s = this.resolve(schema);
      if (s['type'] === 'object') {
        const required = new Set((s['required'] ?? []) as string[]);
        for (const [name, child] of Object.entries((s['properties'] ?? {}) as Record<string, Schema>)) {
          out.push({ segments: [...segments, name], schema: child, requiredInParent: required.has(name) });
          visit(child, [...segments, name], depth + 1);
        }
      } else if (s['type'] === 'array') {
        out.push({ segments: [...segments, 0], schema: s['items'] as Schema, requiredInParent: false });
        visit(s['items'] as Schema, [...segments, 0], depth + 1);
      }
    };
    visit(this.root, [], 0);
    return out;
  }

  /** A minimal valid instance that also contains the position `segments` (built minimally). */
  withPosition(segments: readonly Segment[]): unknown {
    const build = (schema: Schema, rest: readonly Segment[]): unknown => {
      const s = this.resolve(schema);
      const value = this.minimal(s);
      if (!rest.length) return value;
      const [head, ...tail] = rest;
      if (s['type'] === 'object') {
        const props = s['properties'] as Record<string, Schema>;
        (value as Record<string, unknown>)[head as string] = build(props[head as string], tail);
      } else {
        const arr = value as unknown[];
        arr[0] = build(s['items'] as Schema, tail);
      }
      return value;
    };
    return build(this.root, segments);
  }

  /** The schema at a position, resolved. */
  private at(segments: readonly Segment[]): Schema {
    let s = this.resolve(this.root);
    for (const seg of segments) {
      s = this.resolve(typeof seg === 'number' ? (s['items'] as Schema) : (s['properties'] as Record<string, Schema>)[seg]);
    }
    return s;
  }

  /** All variants: valid ones (optional positions present, open objects with extras) and invalid ones. */
  variants(): Variant[] {
    const out: Variant[] = [];
    const root = this.resolve(this.root);
    const base = this.minimal(root) as Record<string, unknown>;
    out.push({ name: 'minimal example', payload: base, code: undefined, path: '/' });
    out.push(...this.objectVariants([], base, root));

    for (const { segments, requiredInParent } of this.positions()) {
      const where = pointer(segments);
      const s = this.at(segments);
      const instance = this.withPosition(segments);
      out.push({ name: `valid with ${where} present`, payload: instance, code: undefined, path: where });
      const set = (value: unknown): unknown => replaceAt(instance, segments, value);

      if (requiredInParent) {
        const parent = pointer(segments.slice(0, -1));
        out.push({
          name: `required ${where} missing`,
          payload: removeAt(instance, segments),
          code: 'OccurrenceConstraintViolation',
          path: parent,
          mentions: `'${String(segments[segments.length - 1])}'`,
        });
      }
      if (s['type'] !== undefined) {
        out.push({ name: `${where} of a wrong JSON type`, payload: set(wrongType(s)), code: 'TypeConstraintViolation', path: where });
      }
      if (Array.isArray(s['enum'])) {
        out.push({ name: `${where} not in its enum`, payload: set('NotAnEnumValue'), code: 'PropertyConstraintViolation', path: where });
      }
      if (typeof s['maxLength'] === 'number') {
        out.push({
          name: `${where} longer than ${s['maxLength']}`,
          payload: set('x'.repeat(s['maxLength'] + 1)),
          code: 'PropertyConstraintViolation',
          path: where,
        });
      }
      if (s['format'] === 'date-time') {
        out.push({ name: `${where} not a date-time`, payload: set('01/05/2024 12:00'), code: 'PropertyConstraintViolation', path: where });
      }
      if (s['format'] === 'uri') {
        out.push({ name: `${where} not a URI`, payload: set('not a uri'), code: 'PropertyConstraintViolation', path: where });
      }
      if (s['type'] === 'integer') {
        out.push({ name: `${where} not an integer`, payload: set(1.5), code: 'TypeConstraintViolation', path: where });
      }
      if (typeof s['minimum'] === 'number') {
        out.push({ name: `${where} below its minimum`, payload: set(s['minimum'] - 1), code: 'PropertyConstraintViolation', path: where });
      }
      if (typeof s['maximum'] === 'number') {
        out.push({ name: `${where} above its maximum`, payload: set(s['maximum'] + 1), code: 'PropertyConstraintViolation', path: where });
      }
      if (typeof s['multipleOf'] === 'number') {
        out.push({
          name: `${where} not a multiple of ${s['multipleOf']}`,
          payload: set(s['multipleOf'] / 2),
          code: 'PropertyConstraintViolation',
          path: where,
        });
      }
      if (s['type'] === 'array') {
        const item = this.minimal(s['items'] as Schema);
        if (typeof s['minItems'] === 'number' && s['minItems'] > 0) {
          out.push({ name: `${where} with fewer than ${s['minItems']} items`, payload: set([]), code: 'OccurrenceConstraintViolation', path: where });
        }
        if (typeof s['maxItems'] === 'number') {
          const many = Array.from({ length: s['maxItems'] + 1 }, () => item);
          out.push({ name: `${where} with more than ${s['maxItems']} items`, payload: set(many), code: 'OccurrenceConstraintViolation', path: where });
        }
      }
      if (s['type'] === 'object') {
        const objectValue = getAt(instance, segments) as Record<string, unknown>;
        for (const v of this.objectVariants(segments, objectValue, s)) {
          out.push({ ...v, payload: replaceAt(instance, segments, v.payload) });
        }
      }
    }
    return out;
  }

  /** Extra-property variant of one object: rejected when the object is closed, accepted when open. */
  private objectVariants(segments: readonly Segment[], value: Record<string, unknown>, s: Schema): Variant[] {
    const where = pointer(segments);
    const payload = { ...value, [EXTRA]: 1 };
    if (s['additionalProperties'] === false) {
      return [{ name: `unknown property in ${where}`, payload, code: 'FormatViolation', path: where, mentions: `'${EXTRA}'` }];
    }
    return [{ name: `unknown property in the open object ${where}`, payload, code: undefined, path: where }];
  }
}

function wrongType(s: Schema): unknown {
  switch (s['type']) {
    case 'string':
      return 42;
    case 'integer':
    case 'number':
      return '42';
    case 'boolean':
      return 'true';
    case 'array':
      return {};
    case 'object':
      return 'object';
    default:
      throw new Error(`no wrong type for ${JSON.stringify(s['type'])}`);
  }
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function getAt(root: unknown, segments: readonly Segment[]): unknown {
  let node = root;
  for (const seg of segments) node = (node as Record<string | number, unknown>)[seg];
  return node;
}

/** Copy of `root` with the value at `segments` replaced (root replaced when segments is empty). */
export function replaceAt(root: unknown, segments: readonly Segment[], value: unknown): unknown {
  if (!segments.length) return clone(value);
  const copy = clone(root);
  const parent = getAt(copy, segments.slice(0, -1)) as Record<string | number, unknown>;
  parent[segments[segments.length - 1]] = clone(value);
  return copy;
}

/** Copy of `root` without the property at `segments`. */
export function removeAt(root: unknown, segments: readonly Segment[]): unknown {
  const copy = clone(root);
  const parent = getAt(copy, segments.slice(0, -1));
  if (!isObject(parent)) throw new Error(`cannot remove ${pointer(segments)}: parent is not an object`);
  delete parent[segments[segments.length - 1] as string];
  return copy;
}
