import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.js';
import type { PermissionKey } from '../permission-key.js';
import { MAX_ATTACHMENTS, type AttachmentInput } from '../tickets/attachment-rules.js';
import { apiErrorSchema } from './api-errors.js';

type Schema = z.ZodType | undefined;
type Infer<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;
export type ErrorStatus = 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/**
 * One API operation: the zod schemas here both validate the request and produce the
 * OpenAPI document, so the docs cannot drift from what the server accepts and answers.
 */
export interface ApiRoute<P extends Schema, Q extends Schema, B extends Schema, R extends z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI style, below /api/v1: `/tickets/{number}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Checked before the handler runs; the handler's service may refuse more (409, 403). */
  permission: PermissionKey;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The body may also come as multipart/form-data: the body's fields as form fields (text), plus files
   * in the form field named here, handed to the handler as `files` (empty for a JSON body).
   */
  multipart?: { files: string; description: string };
  /** 204: the handler's answer is dropped and the response has no body (a DELETE). */
  status: 200 | 201 | 204;
  response: R;
  /** The answer is a file, not JSON: the handler returns a Response (e.g. `attachmentResponse`), `response` is unused. */
  download?: true;
  /** The answer may also be CSV (the handler returns a Response for it, e.g. with `format=csv`): documented beside the JSON. */
  csv?: { description: string };
  errors: readonly ErrorStatus[];
  handle(c: Context<AppEnv>, input: { params: Infer<P>; query: Infer<Q>; body: Infer<B>; files: AttachmentInput[] }): Promise<z.input<R> | Response>;
}

// The mounting code handles every route alike; its input was validated by the route's own schemas.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyApiRoute = ApiRoute<any, any, any, z.ZodType>;

/** Gives an operation its types; plugins reach it as `defineApiRoute` through core/plugin-api. */
export function defineRoute<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined, R extends z.ZodType = z.ZodType>(route: ApiRoute<P, Q, B, R>): AnyApiRoute {
  return route as unknown as AnyApiRoute;
}

/** `/tickets/{number}` as Hono writes it: `/tickets/:number`. */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: string[] };

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input');
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (object.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

const ERROR_TEXT: Record<ErrorStatus, string> = {
  401: 'no or no valid bearer token',
  403: 'the token’s user lacks the right (or a cookie request failed the CSRF check)',
  404: 'no such resource in this tenant',
  409: 'the lifecycle forbids the change',
  413: 'the body is larger than the server accepts',
  415: 'the body is not application/json (or multipart/form-data where offered)',
  422: 'invalid fields, one message per field',
  429: 'too many requests for this token (or failed sign-ins from this address): wait Retry-After seconds',
};

/** The headers every limited answer carries (draft-ietf-httpapi-ratelimit-headers). */
const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { description: 'requests allowed in the current window', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'requests left in the current window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'seconds until the window starts afresh', schema: { type: 'integer' } },
};

function requestBody(route: AnyApiRoute) {
  if (!route.body) return {};
  const schema = jsonSchema(route.body, 'input');
  const content: Record<string, unknown> = { 'application/json': { schema } };
  if (route.multipart) {
    const files = { type: 'array', maxItems: MAX_ATTACHMENTS, items: { type: 'string', contentMediaType: 'application/octet-stream' }, description: route.multipart.description };
    content['multipart/form-data'] = { schema: { ...schema, properties: { ...schema.properties, [route.multipart.files]: files } } };
  }
  return { requestBody: { required: true, content } };
}

function success(route: AnyApiRoute) {
  const description = route.status === 201 ? 'created' : 'OK';
  if (route.status === 204) return { description: 'done; no content', headers: RATE_LIMIT_HEADERS };
  if (route.download) {
    return { description: 'the file, as a download (Content-Disposition: attachment)', content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } };
  }
  const csv = route.csv ? { 'text/csv': { schema: { type: 'string', contentMediaType: 'text/csv', description: route.csv.description } } } : {};
  return { description, headers: RATE_LIMIT_HEADERS, content: { 'application/json': { schema: jsonSchema(route.response, 'output') }, ...csv } };
}

/** The OpenAPI 3.1 document of the given routes, served at /api/v1/openapi.json. */
export function buildOpenApi(routes: readonly AnyApiRoute[], options: { serverUrl: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = { [route.status]: success(route) };
    for (const status of [...new Set([401, ...route.errors, 429])] as ErrorStatus[]) {
      const headers = status === 429 ? { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } }, ...RATE_LIMIT_HEADERS } : undefined;
      responses[status] = { description: ERROR_TEXT[status], ...(headers ? { headers } : {}), content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    (paths[route.path] ??= {})[route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      description: `Requires the permission \`${route.permission}\`.`,
      tags: [route.tag],
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...requestBody(route),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tresen REST API', version: options.version,
      description: 'Tickets, people and organisations of one tenant, plus the operations of the plugins the tenant has on. Send a personal API token '
        + '(made on the account page) as `Authorization: Bearer <token>`. Each token has a request budget per minute (see the RateLimit-* headers).',
    },
    servers: [{ url: options.serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'personal API token (trs_…)' } },
      schemas: { Error: jsonSchema(apiErrorSchema, 'output') },
    },
  };
}
