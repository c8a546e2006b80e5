import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../time.js';

export type LinkPurpose = 'password-reset' | 'portal-magic-link' | 'portal-request' | 'unsubscribe' | 'survey' | 'calendar-feed';

export interface LinkClaims {
  purpose: LinkPurpose;
  subject: string;
  tenantId: number | null;
  jti: string;
  extra: Record<string, unknown>;
}

export class LinkError extends Error {
  constructor(readonly reason: 'invalid' | 'expired' | 'used') {
    super(`link ${reason}`);
  }
}

/** Signed, expiring links (HS256 with a key derived from the instance secret); single use where asked. */
export function createSignedLinks(db: Kysely<DB>, secret: string, clock: Clock) {
  const key = new TextEncoder().encode(`tresen-links:${secret}`);
  return {
    async sign(claims: { purpose: LinkPurpose; subject: string; tenantId: number | null; ttlSeconds: number; extra?: Record<string, unknown> }): Promise<string> {
      const now = Math.floor(clock().getTime() / 1000);
      return new SignJWT({ pur: claims.purpose, tid: claims.tenantId, ext: claims.extra ?? {} })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.subject)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + claims.ttlSeconds)
        .sign(key);
    },

    async verify(token: string, purpose: LinkPurpose): Promise<LinkClaims> {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: clock() });
        if (payload.pur !== purpose || !payload.sub || !payload.jti) throw new LinkError('invalid');
        const used = await db.selectFrom('used_tokens').select('jti').where('jti', '=', payload.jti).executeTakeFirst();
        if (used) throw new LinkError('used');
        return { purpose, subject: payload.sub, tenantId: (payload.tid as number | null) ?? null, jti: payload.jti, extra: (payload.ext as Record<string, unknown>) ?? {} };
      } catch (error) {
        if (error instanceof LinkError) throw error;
        if (error instanceof errors.JWTExpired) throw new LinkError('expired');
        throw new LinkError('invalid');
      }
    },

    /** Spends a single-use link; false when it was spent already (a race lost). */
    async spend(claims: LinkClaims, expiresAt: Date, executor: Kysely<DB> = db): Promise<boolean> {
      const result = await executor.insertInto('used_tokens').values({ jti: claims.jti, expires_at: expiresAt.toISOString() })
        .onConflict((oc) => oc.column('jti').doNothing()).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
  };
}
export type SignedLinks = ReturnType<typeof createSignedLinks>;
