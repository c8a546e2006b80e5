import type { Kysely } from 'kysely';
import { DomainError, deliverNotifications, invalidFields, isLocale, notify, pluginScope, type DB, type PluginJob, type Services } from '../../core/plugin-api.js';
import { SLA_BUSINESS_TIME } from '../sla/extension-points.js';
import { readSettings, type SurveySettings } from './settings.js';
import { surveyScope } from './survey-db.js';
import { tenantUrl } from './survey-links.js';

export const OUTCOME_MAX = 2000;
const HOUR = 3_600_000;

/** An alert raised inside an answer's transaction; `deliver` runs after commit (bell, mails). */
export interface AlertRaised { id: number; deliver: () => Promise<void> }

/** Who hears of alerts: the quality group's active members, or the tenant's supervisors and admins when none is set. */
export async function qualityManagers(db: Kysely<DB>, tenantId: number, settings: Pick<SurveySettings, 'qualityGroupId'>) {
  const scope = pluginScope(db, tenantId);
  if (settings.qualityGroupId !== null) {
    const members = await scope.selectFrom('group_members').select('user_id').where('group_id', '=', settings.qualityGroupId).execute();
    if (members.length) {
      return db.selectFrom('users').select(['id', 'email', 'name', 'locale']).where('tenant_id', '=', tenantId).where('active', '=', 1)
        .where('id', 'in', members.map((m) => m.user_id)).orderBy('id').execute();
    }
  }
  return supervisors(db, tenantId);
}

function supervisors(db: Kysely<DB>, tenantId: number) {
  return db.selectFrom('users').select(['id', 'email', 'name', 'locale']).where('tenant_id', '=', tenantId).where('active', '=', 1)
    .where('role', 'in', ['supervisor', 'admin']).orderBy('id').execute();
}

/** Whether a user may work the alert list: a member of the quality group, or anyone holding the alerts permission. */
export async function isQualityManager(db: Kysely<DB>, tenantId: number, userId: number, settings: Pick<SurveySettings, 'qualityGroupId'>): Promise<boolean> {
  return (await qualityManagers(db, tenantId, settings)).some((user) => user.id === userId);
}

/**
 * Raises the survey's alert (or updates its grade and comment while it is open) inside the answer's transaction,
 * with a notification for each quality manager. After commit `deliver` moves their bells and mails them the call to make.
 */
export async function raiseAlert(services: Services, trx: Kysely<DB>, tenant: { id: number; slug: string; locale: string } | undefined, settings: SurveySettings, input: { surveyId: number; ticketId: number; grade: number; comment: string | null; at: string }): Promise<AlertRaised> {
  if (!tenant) throw new DomainError('not_found', 'error.notFound');
  const tenantId = tenant.id;
  const scope = surveyScope(trx, tenantId);
  const open = await scope.selectFrom('survey_alerts').select('id').where('survey_id', '=', input.surveyId).where('done_at', 'is', null).executeTakeFirst();
  if (open) {
    await scope.updateTable('survey_alerts').set({ grade: input.grade, comment: input.comment }).where('id', '=', open.id).execute();
    return { id: open.id, deliver: async () => {} };
  }
  const alert = await scope.insertInto('survey_alerts', {
    survey_id: input.surveyId, ticket_id: input.ticketId, grade: input.grade, comment: input.comment, created_at: input.at, escalated_at: null, done_at: null, done_by: null, outcome: null,
  }).returning('id').executeTakeFirstOrThrow();
  const managers = await qualityManagers(trx, tenantId, settings);
  const ticket = await scope.selectFrom('tickets').select(['number', 'subject']).where('id', '=', input.ticketId).executeTakeFirstOrThrow();
  const translatorFor = (locale: string | null) => services.catalog.translator(isLocale(locale) ? locale : isLocale(tenant.locale) ? tenant.locale : 'en');
  for (const manager of managers) {
    await notify(trx, {
      tenantId, userId: manager.id, ticketId: input.ticketId, kind: 'survey.alert', actorLabel: translatorFor(manager.locale)('survey.name'),
      summary: translatorFor(manager.locale)('survey.alert.summary', { grade: input.grade, number: ticket.number }), now: input.at,
      message: { key: 'survey.alert.summary', params: { grade: input.grade, number: ticket.number } },
    });
  }
  return {
    id: alert.id,
    async deliver() {
      const survey = await surveyScope(services.db, tenantId).selectFrom('survey_surveys').innerJoin('people', 'people.id', 'survey_surveys.person_id')
        .select(['people.name', 'people.phone', 'people.email']).where('survey_surveys.id', '=', input.surveyId).executeTakeFirst();
      const link = await tenantUrl(services, tenant, '/p/survey/alerts');
      for (const manager of managers) {
        services.events.publish({ tenantId, type: 'notification', data: { userId: manager.id } });
        const t = translatorFor(manager.locale);
        try {
          await services.mailer.send({
            tenantId, to: manager.email, subject: t('survey.alert.mailSubject', { grade: input.grade, number: ticket.number }),
            text: `${t('survey.alert.mailText', {
              grade: input.grade, number: ticket.number, subject: ticket.subject, customer: survey?.name ?? '—', phone: survey?.phone ?? '—', email: survey?.email ?? '—',
              comment: input.comment ?? '—', link,
            })}\n`,
            headers: { 'Auto-Submitted': 'auto-generated' },
          });
        } catch (error) {
          services.log.warn('survey alert mail failed', { tenantId, alert: alert.id, error: String(error) });
        }
      }
    },
  };
}

export interface AlertRow {
  id: number; ticket_id: number; grade: number; comment: string | null; created_at: string; escalated_at: string | null; done_at: string | null; outcome: string | null;
  number: string; subject: string; customer: string; phone: string | null; done_by_name: string | null;
}

export function alertStore(services: Services, tenantId: number) {
  const scope = surveyScope(services.db, tenantId);
  return {
    /** Open alerts oldest first, then the last 50 done ones. */
    async list(): Promise<{ open: AlertRow[]; done: AlertRow[] }> {
      const base = () => scope.selectFrom('survey_alerts').innerJoin('survey_surveys', 'survey_surveys.id', 'survey_alerts.survey_id')
        .innerJoin('tickets', 'tickets.id', 'survey_alerts.ticket_id').innerJoin('people', 'people.id', 'survey_surveys.person_id')
        .leftJoin('users', 'users.id', 'survey_alerts.done_by')
        .select(['survey_alerts.id', 'survey_alerts.ticket_id', 'survey_alerts.grade', 'survey_alerts.comment', 'survey_alerts.created_at', 'survey_alerts.escalated_at',
          'survey_alerts.done_at', 'survey_alerts.outcome', 'tickets.number', 'tickets.subject', 'people.name as customer', 'people.phone', 'users.name as done_by_name']);
      const open = await base().where('survey_alerts.done_at', 'is', null).orderBy('survey_alerts.created_at').limit(500).execute();
      const done = await base().where('survey_alerts.done_at', 'is not', null).orderBy('survey_alerts.done_at', 'desc').limit(50).execute();
      return { open, done };
    },

    /** Records the call's outcome: the alert is done. 404 for another tenant's alert, 409 when someone was quicker. */
    async done(alertId: number, outcome: string, actor: { id: number; label: string }): Promise<void> {
      const text = outcome.trim();
      if (!text) throw invalidFields('error.invalid', { outcome: 'survey.alerts.outcomeRequired' });
      if (text.length > OUTCOME_MAX) throw invalidFields('error.invalid', { outcome: 'survey.alerts.outcomeTooLong' });
      const alert = await scope.selectFrom('survey_alerts').select(['id', 'done_at', 'ticket_id']).where('id', '=', alertId).executeTakeFirst();
      if (!alert) throw new DomainError('not_found', 'error.notFound');
      await services.db.transaction().execute(async (trx) => {
        const result = await scope.withDb(trx).updateTable('survey_alerts').set({ done_at: services.clock().toISOString(), done_by: actor.id, outcome: text })
          .where('id', '=', alertId).where('done_at', 'is', null).executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) throw new DomainError('conflict', 'survey.alerts.doneAlready');
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'survey.alert_done', target: String(alertId), details: { ticketId: alert.ticket_id } }, trx);
      });
    },
  };
}

/**
 * Alerts still open after the tenant's escalation hours: the supervisors (and admins) are notified once and the
 * alert is marked escalated. While the tenant has sla on and the ticket runs under a service level, the hours are
 * business hours on that level's calendar (an alert raised on Friday evening escalates on Monday); otherwise wall
 * time. Wall time is the lower bound of both, so the query takes the wall-time candidates, oldest first, and the
 * business-time check skips those not yet due. Returns how many escalated.
 */
export async function escalateAlerts(services: Services, tenantId: number): Promise<number> {
  const scope = surveyScope(services.db, tenantId);
  const settings = await readSettings(scope);
  const now = services.clock();
  const before = new Date(now.getTime() - settings.escalateHours * HOUR).toISOString();
  const due = await scope.selectFrom('survey_alerts').innerJoin('tickets', 'tickets.id', 'survey_alerts.ticket_id')
    .select(['survey_alerts.id', 'survey_alerts.ticket_id', 'survey_alerts.grade', 'survey_alerts.created_at', 'tickets.number'])
    .where('survey_alerts.done_at', 'is', null).where('survey_alerts.escalated_at', 'is', null).where('survey_alerts.created_at', '<=', before).orderBy('survey_alerts.created_at').limit(200).execute();
  if (!due.length) return 0;
  const [businessTime] = await services.hooks.extensions(SLA_BUSINESS_TIME, tenantId);
  const bosses = await supervisors(services.db, tenantId);
  const tenant = await services.tenants.byId(tenantId);
  let count = 0;
  for (const alert of due) {
    const business = businessTime
      ? await businessTime.minutesBetween({ tenantId, ticketId: alert.ticket_id, scope, from: new Date(alert.created_at), until: now })
      : null;
    if (business && business.minutes < settings.escalateHours * 60) continue;
    const pending = await services.db.transaction().execute(async (trx) => {
      const claimed = await scope.withDb(trx).updateTable('survey_alerts').set({ escalated_at: now.toISOString() }).where('id', '=', alert.id).where('escalated_at', 'is', null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return null;
      const notices = [];
      for (const boss of bosses) {
        const t = services.catalog.translator(isLocale(boss.locale) ? boss.locale : isLocale(tenant?.locale) ? tenant.locale : 'en');
        const message: { key: string; params: Record<string, string | number> } = business
          ? { key: 'survey.alert.escalatedBusiness', params: { grade: alert.grade, number: alert.number, hours: settings.escalateHours, calendar: business.calendar } }
          : { key: 'survey.alert.escalated', params: { grade: alert.grade, number: alert.number, hours: settings.escalateHours } };
        notices.push(await notify(trx, {
          tenantId, userId: boss.id, ticketId: alert.ticket_id, kind: 'survey.escalated', actorLabel: t('survey.name'),
          summary: t(message.key, message.params), message,
          now: now.toISOString(),
        }));
      }
      return notices;
    });
    if (!pending) continue;
    count++;
    // The bells move; supervisors who take notifications by mail get one.
    await deliverNotifications(services, pending);
  }
  return count;
}

/** Every 15 minutes, for every tenant that has the plugin on. */
export const escalateJob: PluginJob = {
  id: 'escalate',
  schedule: 'FREQ=MINUTELY;INTERVAL=15',
  async run(ctx) {
    if (ctx.tenantId !== null && ctx.services) await escalateAlerts(ctx.services, ctx.tenantId);
  },
};
