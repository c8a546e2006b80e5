import { createHash, createHmac, randomBytes } from 'node:crypto';
import { jwtVerify, errors } from 'jose';
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

/** A link's token: 24 random bytes as base64url, 32 characters. */
const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Expiring links for mails and feeds (password reset, portal sign-in and request links, survey, calendar feed):
 * an opaque token of 32 characters that the server looks up (table link_tokens, by the token's SHA-256), so a
 * link stays short enough to read, and what it opens never travels in it. Single use where the caller spends it.
 * A `stable` link (a calendar feed a client subscribes to) is the same token each time for the same purpose,
 * person and extra: derived with a key from the instance secret, its row's expiry pushed on by each signing.
 * Links signed before the short tokens (a JWT signed with the same secret) keep working until they expire.
 */
export function createSignedLinks(db: Kysely<DB>, secret: string, clock: Clock) {
  const legacyKey = new TextEncoder().encode(`tresen-links:${secret}`);
  const stableKey = `tresen-stable-links:${secret}`;

  async function verifyLegacy(token: string, purpose: LinkPurpose): Promise<LinkClaims> {
    try {
      const { payload } = await jwtVerify(token, legacyKey, { algorithms: ['HS256'], currentDate: clock() });
      if (payload.pur !== purpose || !payload.sub || !payload.jti) throw new LinkError('invalid');
      return { purpose, subject: payload.sub, tenantId: (payload.tid as number | null) ?? null, jti: payload.jti, extra: (payload.ext as Record<string, unknown>) ?? {} };
    } catch (error) {
      if (error instanceof LinkError) throw error;
      if (error instanceof errors.JWTExpired) throw new LinkError('expired');
      throw new LinkError('invalid');
    }
  }

  return {
    async sign(claims: { purpose: LinkPurpose; subject: string; tenantId: number | null; ttlSeconds: number; extra?: Record<string, unknown>; stable?: boolean }): Promise<string> {
      const now = clock();
      const extra = JSON.stringify(claims.extra ?? {});
      const token = claims.stable
        ? createHmac('sha256', stableKey).update(JSON.stringify([claims.purpose, claims.tenantId, claims.subject, extra])).digest('base64url').slice(0, 32)
        : randomBytes(24).toString('base64url');
      const row = {
        token_hash: hashOf(token), purpose: claims.purpose, subject: claims.subject, tenant_id: claims.tenantId, extra,
        created_at: now.toISOString(), expires_at: new Date(now.getTime() + claims.ttlSeconds * 1000).toISOString(),
      };
      await db.insertInto('link_tokens').values(row).onConflict((oc) => oc.column('token_hash').doUpdateSet({ expires_at: row.expires_at })).execute();
      return token;
    },

    async verify(token: string, purpose: LinkPurpose): Promise<LinkClaims> {
      let claims: LinkClaims;
      if (TOKEN.test(token)) {
        const jti = hashOf(token);
        const row = await db.selectFrom('link_tokens').selectAll().where('token_hash', '=', jti).executeTakeFirst();
        if (!row || row.purpose !== purpose) throw new LinkError('invalid');
        if (row.expires_at <= clock().toISOString()) throw new LinkError('expired');
        let extra: Record<string, unknown> = {};
        try {
          extra = JSON.parse(row.extra) as Record<string, unknown>;
        } catch {
          throw new LinkError('invalid');
        }
        claims = { purpose, subject: row.subject, tenantId: row.tenant_id, jti, extra };
      } else if (token.length <= 2048 && token.split('.').length === 3) {
        claims = await verifyLegacy(token, purpose);
      } else {
        throw new LinkError('invalid');
      }
      const used = await db.selectFrom('used_tokens').select('jti').where('jti', '=', claims.jti).executeTakeFirst();
      if (used) throw new LinkError('used');
      return claims;
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
