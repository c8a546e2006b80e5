import type { Context, Hono } from 'hono';
import { DomainError, Page, flash, formatDateTime, href, redirectTo, render, requirePermission, type AppEnv } from '../../core/plugin-api.js';
import { actorOf } from './actor.js';
import type { EntryStore, EntryVersion } from './entry-store.js';
import { diffText, type DiffPart } from './text-diff.js';

const FIELDS = ['title', 'body', 'cause', 'steps', 'tags'] as const;

function fieldText(version: EntryVersion, field: (typeof FIELDS)[number]): string {
  return field === 'tags' ? version.tags.join(', ') : version[field];
}

function Diff(props: { parts: DiffPart[] }) {
  return <p class="knowledge-diff">{props.parts.map((part) => (part.op === 'add' ? <ins>{part.text}</ins> : part.op === 'del' ? <del>{part.text}</del> : part.text))}</p>;
}

/** An entry's versions: the list, the difference between two of them, and restoring one as the newest. */
export function versionRoutes(app: Hono<AppEnv>, store: (c: Context<AppEnv>) => EntryStore): void {
  app.get('/entries/:id{[0-9]+}/versions', requirePermission('knowledge.view'), async (c) => {
    const t = c.var.t;
    const id = Number(c.req.param('id'));
    const entry = await store(c).get(id);
    const versions = await store(c).versions(id);
    const pick = (value: string | undefined, fallback: number) => versions.find((v) => String(v.version) === value)?.version ?? fallback;
    const to = pick(c.req.query('to'), entry.version);
    const from = pick(c.req.query('from'), Math.max(1, to - 1));
    const older = versions.find((v) => v.version === from)!;
    const newer = versions.find((v) => v.version === to)!;
    const canEdit = c.var.can('knowledge.edit');
    const options = (selected: number) => versions.map((v) => <option value={String(v.version)} selected={v.version === selected}>{t('knowledge.version', { version: v.version })}</option>);
    return render(c, {
      title: t('knowledge.versions'),
      page: (
        <Page title={t('knowledge.versions')} crumbs={[{ label: t('knowledge.name'), href: href(c, '/p/knowledge') }, { label: entry.title, href: href(c, `/p/knowledge/entries/${id}`) }, { label: t('knowledge.versions') }]}>
          <form method="get" class="card knowledge-filters" id="knowledge-diff-form">
            <div class="field"><label for="f-from">{t('knowledge.diff.from')}</label><select id="f-from" name="from">{options(from)}</select></div>
            <div class="field"><label for="f-to">{t('knowledge.diff.to')}</label><select id="f-to" name="to">{options(to)}</select></div>
            <div><button type="submit" class="button-primary">{t('knowledge.diff.show')}</button></div>
          </form>
          <section class="card knowledge-diffs" id="knowledge-diff">
            {FIELDS.map((field) => {
              const before = fieldText(older, field);
              const after = fieldText(newer, field);
              if (!before && !after) return null;
              return <><h2>{t(`knowledge.diff.${field}`)}</h2><Diff parts={diffText(before, after)} /></>;
            })}
          </section>
          <ul class="knowledge-versions" id="knowledge-version-list">
            {versions.map((v) => (
              <li>
                <strong>{t('knowledge.version', { version: v.version })}</strong>{' '}
                <span class="muted">{t('knowledge.savedBy', { who: v.saved_by, when: formatDateTime(v.saved_at, c.var.dates) })}</span>
                {v.version === entry.version ? <span class="badge">{t('knowledge.version.current')}</span> : canEdit ? (
                  <form method="post" action={href(c, `/p/knowledge/entries/${id}/versions/${v.version}/restore`)} class="knowledge-inline">
                    <button type="submit" class="button" id={`knowledge-restore-${v.version}`}>{t('knowledge.version.restore')}</button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </Page>
      ),
    });
  });

  app.post('/entries/:id{[0-9]+}/versions/:version{[0-9]+}/restore', requirePermission('knowledge.edit'), async (c) => {
    const id = Number(c.req.param('id'));
    try {
      await store(c).restore(id, Number(c.req.param('version')), actorOf(c));
    } catch (error) {
      // A text that no longer passes today's checks (a topic since archived and removed, …) is refused, not half-restored.
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      flash(c, 'error', c.var.t('knowledge.version.restoreRefused'));
      return redirectTo(c, href(c, `/p/knowledge/entries/${id}/versions`));
    }
    flash(c, 'success', c.var.t('knowledge.version.restored'));
    return redirectTo(c, href(c, `/p/knowledge/entries/${id}`));
  });
}
