import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.js';
import type { PermissionKey } from '../permissions.js';
import { apiErrorSchema } from './api-errors.js';

type Schema = z.ZodType | undefined;
type Infer<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;
export type ErrorStatus = 401 | 403 | 404 | 409 | 415 | 422;

/**
 * One API operation: the zod schemas here both validate the request and produce the
 * OpenAPI document, so the docs cannot drift from what the server accepts and answers.
 */
export interface ApiRoute<P extends Schema, Q extends Schema, B extends Schema, R extends z.ZodType> {
  method: 'get' | 'post' | 'patch';
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
  status: 200 | 201;
  response: R;
  errors: readonly ErrorStatus[];
  handle(c: Context<AppEnv>, input: { params: Infer<P>; query: Infer<Q>; body: Infer<B> }): Promise<z.input<R>>;
}

// The mounting code handles every route alike; its input was validated by the route's own schemas.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyApiRoute = ApiRoute<any, any, any, z.ZodType>;

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
  409: 'the ticket lifecycle forbids the change',
  415: 'the body is not application/json',
  422: 'invalid fields, one message per field',
};

/** The OpenAPI 3.1 document of the given routes, served at /api/v1/openapi.json. */
export function buildOpenApi(routes: readonly AnyApiRoute[], options: { serverUrl: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {
      [route.status]: { description: route.status === 201 ? 'created' : 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
    };
    for (const status of [401, ...route.errors] as ErrorStatus[]) {
      responses[status] = { description: ERROR_TEXT[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    (paths[route.path] ??= {})[route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      description: `Requires the permission \`${route.permission}\`.`,
      tags: [route.tag],
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tresen REST API', version: options.version, description: 'Tickets, people and organisations of one tenant. Send a personal API token (made on the account page) as `Authorization: Bearer <token>`.' },
    servers: [{ url: options.serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'personal API token (trs_…)' } },
      schemas: { Error: jsonSchema(apiErrorSchema, 'output') },
    },
  };
}
