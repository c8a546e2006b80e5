import { z } from 'zod';
import type { Services, TenantScope } from '../../core/plugin-api.js';

/** At most this many optional questions beside the overall grade. */
export const QUESTIONS_MAX = 5;
export const TEXT_MAX = 1000;

const label = z.string().trim().max(120);
/** An optional question (speed, competence, friendliness…): graded on the same scale, never required. */
const questionSchema = z.object({ en: label, de: label })
  .refine((q) => q.en !== '' && q.de !== '', { message: 'survey.settings.questionBoth' });

/** The survey's settings per tenant, validated by the host (updatePluginSettings) with this schema. */
export const surveySettingsSchema = z.object({
  /** Channels: the mail with grade buttons, and the list of pending surveys in the portal. */
  mail: z.boolean().default(true),
  portal: z.boolean().default(true),
  /** Minutes after the close before the mail goes out. */
  delayMinutes: z.number().int().min(0).max(30 * 24 * 60).default(0),
  /** Percent of closed tickets asked (decided per ticket from its id, so the same ticket always gets the same answer). */
  sampleRate: z.number().int().min(1).max(100).default(100),
  /** Days a person is not asked again after a survey. */
  windowDays: z.number().int().min(0).max(365).default(30),
  /** Days the link in the mail takes answers. */
  validityDays: z.number().int().min(1).max(90).default(14),
  /** What the customer sees: school grades 1–6, five stars, or thumbs up/down (mapped to grades for the statistics). */
  scale: z.enum(['grades', 'stars', 'thumbs']).default('grades'),
  /** The grade a thumbs up and a thumbs down count as. */
  thumbsUpGrade: z.number().int().min(1).max(6).default(1),
  thumbsDownGrade: z.number().int().min(1).max(6).default(5),
  /** Grades at or beyond this (worse) raise a quality alert and need a comment. */
  alertThreshold: z.number().int().min(2).max(6).default(4),
  commentRequired: z.boolean().default(true),
  questions: z.array(questionSchema).max(QUESTIONS_MAX).default([]),
  /** The support group that gets the quality alerts (its members: the quality managers); none: supervisors. */
  qualityGroupId: z.number().int().positive().nullable().default(null),
  /** Hours an alert may stay open before the supervisors are told. */
  escalateHours: z.number().int().min(1).max(24 * 14).default(4),
  /** Texts above the form and in the mail, per language (empty: the built-in text). */
  introEn: z.string().trim().max(TEXT_MAX).default(''),
  introDe: z.string().trim().max(TEXT_MAX).default(''),
  thanksEn: z.string().trim().max(TEXT_MAX).default(''),
  thanksDe: z.string().trim().max(TEXT_MAX).default(''),
}).refine((s) => s.thumbsUpGrade < s.thumbsDownGrade, { path: ['thumbsDownGrade'], message: 'survey.settings.thumbsOrder' });

export type SurveySettings = z.infer<typeof surveySettingsSchema>;

/** Stored settings with defaults; stored settings that no longer parse fall back to the defaults. */
export function surveySettingsFrom(raw: Record<string, unknown>): SurveySettings {
  const parsed = surveySettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : surveySettingsSchema.parse({});
}

/** The tenant's settings through the directory (requests, event handlers). */
export async function surveySettings(services: Pick<Services, 'tenants'>, tenantId: number): Promise<SurveySettings> {
  return surveySettingsFrom(await services.tenants.pluginSettings(tenantId, 'survey'));
}

/** The tenant's settings through a tenant scope (slots, jobs). */
export async function readSettings(scope: TenantScope): Promise<SurveySettings> {
  const row = await scope.selectFrom('tenant_plugins').select('settings').where('plugin_id', '=', 'survey').executeTakeFirst();
  return surveySettingsFrom(JSON.parse(row?.settings ?? '{}') as Record<string, unknown>);
}

/** The key an optional question's answer is stored under (its position: q1…q5). */
export const questionKey = (index: number) => `q${index + 1}`;
