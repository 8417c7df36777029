/**
 * Charge tags (1.6 idTags, 2.x idTokens): who may charge. Authorize, StartTransaction and
 * TransactionEvent are all answered from here, by {@link TagStore.check}.
 */
import { DuplicateError } from './stations';
import type { Db } from './db';

export interface Tag {
  idTag: string;
  name: string;
  /** ISO 8601; null: it does not expire. */
  expiry: string | null;
  blocked: boolean;
  /** The group tag (1.6 parentIdTag, 2.x groupIdToken), if any. */
  parent: string | null;
}

/** The verdict on a tag, in 1.6 words (2.x maps `Invalid` to `Unknown`). */
export type TagStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';

interface TagRow {
  id_tag: string;
  name: string;
  expiry: string | null;
  blocked: number;
  parent: string | null;
}

const toTag = (r: TagRow): Tag => ({ idTag: r.id_tag, name: r.name, expiry: r.expiry, blocked: r.blocked === 1, parent: r.parent });

export class TagStore {
  constructor(private readonly db: Db) {}

  list(): Tag[] {
    return (this.db.prepare('SELECT * FROM tags ORDER BY id_tag').all() as TagRow[]).map(toTag);
  }

  get(idTag: string): Tag | undefined {
    const row = this.db.prepare('SELECT * FROM tags WHERE id_tag = ?').get(idTag) as TagRow | undefined;
    return row && toTag(row);
  }

  /** Adds a tag; a {@link DuplicateError} when it exists (ids are compared exactly). */
  create(tag: Pick<Tag, 'idTag'> & Partial<Tag>): Tag {
    try {
      this.db
        .prepare('INSERT INTO tags (id_tag, name, expiry, blocked, parent, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(tag.idTag, tag.name ?? '', tag.expiry ?? null, tag.blocked ? 1 : 0, tag.parent ?? null, new Date().toISOString());
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new DuplicateError(`tag ${tag.idTag} exists already`);
      throw error;
    }
    return this.get(tag.idTag)!;
  }

  /** Changes the given fields; undefined when there is no such tag. */
  update(idTag: string, fields: Partial<Omit<Tag, 'idTag'>>): Tag | undefined {
    const current = this.get(idTag);
    if (!current) return undefined;
    const next = { ...current, ...fields };
    this.db
      .prepare('UPDATE tags SET name = ?, expiry = ?, blocked = ?, parent = ? WHERE id_tag = ?')
      .run(next.name, next.expiry, next.blocked ? 1 : 0, next.parent, idTag);
    return next;
  }

  remove(idTag: string): boolean {
    return this.db.prepare('DELETE FROM tags WHERE id_tag = ?').run(idTag).changes === 1;
  }

  /** Whether `idTag` may charge now, and its group. Unknown, blocked and expired tags may not. */
  check(idTag: string | undefined, at = new Date()): { status: TagStatus; parent?: string; expiry?: string } {
    const tag = idTag === undefined ? undefined : this.get(idTag);
    if (!tag) return { status: 'Invalid' };
    const extra = { ...(tag.parent ? { parent: tag.parent } : {}), ...(tag.expiry ? { expiry: tag.expiry } : {}) };
    if (tag.blocked) return { status: 'Blocked', ...extra };
    if (tag.expiry !== null && Date.parse(tag.expiry) <= at.getTime()) return { status: 'Expired', ...extra };
    return { status: 'Accepted', ...extra };
  }
}
