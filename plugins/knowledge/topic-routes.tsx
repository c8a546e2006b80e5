import type { Context, Hono } from 'hono';
import {
  Checkbox, DomainError, FormError, Page, SelectField, TextField, flash, href, redirectTo, render, requirePermission, tenantOf, type AppEnv,
} from '../../core/plugin-api.js';
import { actorOf } from './actor.js';
import { TOPIC_NAME_MAX, TopicInUseError, topicName, topicStore, type Topic } from './topic-store.js';

interface TopicValues { name_de: string; name_en: string; position: string; parent_id: string; archived: boolean }

const EMPTY: TopicValues = { name_de: '', name_en: '', position: '0', parent_id: '', archived: false };

/** Admins and supervisors manage the topics at /p/knowledge/topics (a section of the Administration page). */
export function topicRoutes(app: Hono<AppEnv>): void {
  const store = (c: Context<AppEnv>) => topicStore(c.var.services, tenantOf(c).id);
  const guard = requirePermission('knowledge.topics');

  app.get('/topics', guard, (c) => topicsPage(c, EMPTY));

  app.post('/topics', guard, async (c) => {
    const values = await readForm(c);
    try {
      await store(c).create(values, actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      return topicsPage(c, values, error.fields);
    }
    flash(c, 'success', c.var.t('knowledge.topic.created'));
    return redirectTo(c, href(c, '/p/knowledge/topics'));
  });

  app.get('/topics/:id{[0-9]+}', guard, async (c) => {
    const topic = await store(c).get(Number(c.req.param('id')));
    return topicPage(c, topic, valuesOf(topic));
  });

  app.post('/topics/:id{[0-9]+}', guard, async (c) => {
    const topic = await store(c).get(Number(c.req.param('id')));
    const values = await readForm(c);
    try {
      await store(c).update(topic.id, values, actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      return topicPage(c, topic, values, error.fields);
    }
    flash(c, 'success', c.var.t('knowledge.topic.saved'));
    return redirectTo(c, href(c, '/p/knowledge/topics'));
  });

  app.post('/topics/:id{[0-9]+}/delete', guard, async (c) => {
    const topic = await store(c).get(Number(c.req.param('id')));
    try {
      await store(c).remove(topic.id, actorOf(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'conflict') throw error;
      const message = error instanceof TopicInUseError ? c.var.t('knowledge.topic.inUse', { count: error.uses }) : c.var.t(error.message);
      return topicPage(c, topic, valuesOf(topic), undefined, message);
    }
    flash(c, 'success', c.var.t('knowledge.topic.deleted'));
    return redirectTo(c, href(c, '/p/knowledge/topics'));
  });
}

function valuesOf(topic: Topic): TopicValues {
  return { name_de: topic.name_de, name_en: topic.name_en, position: String(topic.position), parent_id: topic.parent_id ? String(topic.parent_id) : '', archived: topic.archived === 1 };
}

async function readForm(c: Context<AppEnv>): Promise<TopicValues> {
  const body = await c.req.parseBody();
  const text = (key: string) => (typeof body[key] === 'string' ? body[key] as string : '');
  return { name_de: text('name_de'), name_en: text('name_en'), position: text('position'), parent_id: text('parent_id'), archived: text('archived') === '1' };
}

function TopicForm(props: { c: Context<AppEnv>; action: string; values: TopicValues; parents: Topic[]; errors?: Record<string, string> | undefined; submit: string }) {
  const { c, values, errors } = props;
  const t = c.var.t;
  return (
    <form method="post" action={props.action} class="card stack knowledge-form" id="knowledge-topic-form">
      <FormError message={errors ? t('error.invalid') : undefined} />
      <TextField name="name_de" label={t('knowledge.topic.nameDe')} value={values.name_de} errors={errors} maxlength={TOPIC_NAME_MAX} />
      <TextField name="name_en" label={t('knowledge.topic.nameEn')} value={values.name_en} errors={errors} maxlength={TOPIC_NAME_MAX} />
      <SelectField name="parent_id" label={t('knowledge.topic.parent')} value={values.parent_id} errors={errors} empty={t('knowledge.topic.noParent')}
        options={props.parents.map((topic) => ({ value: topic.id, label: topicName(topic, c.var.locale) }))} />
      <TextField name="position" label={t('knowledge.topic.position')} value={values.position} errors={errors} type="number" />
      <Checkbox name="archived" label={t('knowledge.topic.archived')} checked={values.archived} />
      <div><button type="submit" class="button-primary" id="knowledge-topic-save">{props.submit}</button></div>
    </form>
  );
}

const translated = (c: Context<AppEnv>, fields?: Readonly<Record<string, string>>) =>
  fields ? Object.fromEntries(Object.entries(fields).map(([field, key]) => [field, c.var.t(key, { max: TOPIC_NAME_MAX })])) : undefined;

async function topicsPage(c: Context<AppEnv>, values: TopicValues, fields?: Readonly<Record<string, string>>) {
  const t = c.var.t;
  const store = topicStore(c.var.services, tenantOf(c).id);
  const [topics, uses] = await Promise.all([store.list(), store.uses()]);
  return render(c, {
    title: t('knowledge.topics'),
    status: fields ? 422 : 200,
    page: (
      <Page title={t('knowledge.topics')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('knowledge.topics') }]}>
        {topics.length === 0 ? <p class="muted">{t('knowledge.topics.none')}</p> : (
          <div class="table-wrap">
            <table class="table knowledge-table" id="knowledge-topics">
              <thead><tr><th>{t('knowledge.topic.name')}</th><th>{t('knowledge.topic.position')}</th><th>{t('knowledge.topic.uses')}</th><th>{t('knowledge.field.state')}</th></tr></thead>
              <tbody>
                {topics.map((topic) => (
                  <tr>
                    <td data-label={t('knowledge.topic.name')}>{topic.parent_id ? '— ' : ''}<a href={href(c, `/p/knowledge/topics/${topic.id}`)}>{topicName(topic, c.var.locale)}</a></td>
                    <td data-label={t('knowledge.topic.position')}>{topic.position}</td>
                    <td data-label={t('knowledge.topic.uses')}>{uses.get(topic.id) ?? 0}</td>
                    <td data-label={t('knowledge.field.state')}>{topic.archived ? <span class="badge badge-off">{t('knowledge.topic.archived')}</span> : <span class="badge badge-on">{t('knowledge.topic.active')}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h2>{t('knowledge.topic.add')}</h2>
        <TopicForm c={c} action={href(c, '/p/knowledge/topics')} values={values} parents={topics.filter((topic) => topic.parent_id === null)} errors={translated(c, fields)} submit={t('knowledge.topic.add')} />
      </Page>
    ),
  });
}

async function topicPage(c: Context<AppEnv>, topic: Topic, values: TopicValues, fields?: Readonly<Record<string, string>>, refusal?: string) {
  const t = c.var.t;
  const topics = await topicStore(c.var.services, tenantOf(c).id).list();
  const name = topicName(topic, c.var.locale);
  return render(c, {
    title: name,
    status: refusal ? 409 : fields ? 422 : 200,
    page: (
      <Page title={name} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('knowledge.topics'), href: href(c, '/p/knowledge/topics') }, { label: name }]}>
        {refusal ? <div class="form-error" role="alert" id="knowledge-topic-refusal">{refusal}</div> : null}
        <TopicForm c={c} action={href(c, `/p/knowledge/topics/${topic.id}`)} values={values} errors={translated(c, fields)} submit={t('knowledge.topic.save')}
          parents={topics.filter((other) => other.parent_id === null && other.id !== topic.id)} />
        <form method="post" action={href(c, `/p/knowledge/topics/${topic.id}/delete`)} class="knowledge-inline">
          <button type="submit" class="button-danger" id="knowledge-topic-delete">{t('knowledge.topic.delete')}</button>
        </form>
      </Page>
    ),
  });
}
