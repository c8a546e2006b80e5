import type { Context } from 'hono';
import { staff, type AppEnv } from '../../core/plugin-api.js';
import type { Actor } from './topic-store.js';

/** The signed-in staff user as the stores record them (audit, "who" of states and versions). */
export function actorOf(c: Context<AppEnv>): Actor {
  const user = staff(c);
  return { id: user.id, label: user.name || user.email };
}
