/**
 * Console users and their roles: a `user` reads, an `admin` also acts on stations and
 * manages stations, tags and station passwords.
 */
import { hashPassword, verifyPassword } from './passwords';
import type { Db } from './db';

export type Role = 'admin' | 'user';

export interface User {
  username: string;
  role: Role;
}

export class UserStore {
  constructor(private readonly db: Db) {}

  /** Creates or replaces a user (its password included). */
  async set(username: string, password: string, role: Role): Promise<void> {
    const hash = await hashPassword(password);
    this.db
      .prepare(
        'INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?) ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role',
      )
      .run(username, hash, role);
  }

  exists(username: string): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE username = ?').get(username) !== undefined;
  }

  /** The user, when `password` is theirs. Unknown names cost a hash too, so timing tells nothing. */
  async verify(username: string, password: string): Promise<User | undefined> {
    const row = this.db.prepare('SELECT username, password_hash, role FROM users WHERE username = ?').get(username) as
      { username: string; password_hash: string; role: Role } | undefined;
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    return ok && row ? { username: row.username, role: row.role } : undefined;
  }
}

/** A valid hash of nothing anyone types, compared against for unknown usernames. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
