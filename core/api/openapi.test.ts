import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { apiRouteList } from './api-routes.js';

type Doc = {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, {
    operationId: string;
    parameters: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
    requestBody?: { content: { 'application/json': { schema: { properties: Record<string, Record<string, unknown>>; required?: string[]; additionalProperties?: boolean } } } };
    responses: Record<string, { content: { 'application/json': { schema: Record<string, unknown> } } }>;
  }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

describe.each(dialects)('OpenAPI document on %s', (dialect) => {
  let app: TestApp;
  let doc: Doc;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    await app.createTenant('acme');
    const response = await app.request('/t/acme/api/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain('application/json');
    doc = JSON.parse(await response.text()) as Doc;
  });
  afterAll(() => app.cleanup());

  it('is OpenAPI 3.1 with every operation, served per tenant', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/t/acme/api/v1' }]);
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    expect(operations).toEqual([
      'DELETE /timeline/posts/{id}', 'DELETE /timeline/posts/{id}/like', 'GET /directory', 'GET /organisations', 'GET /organisations/{id}', 'GET /people',
      'GET /people/{id}', 'GET /reports/kpi', 'GET /statistics/hotline', 'GET /statistics/seats', 'GET /tickets', 'GET /tickets/{number}', 'GET /tickets/{number}/attachments/{id}', 'GET /tickets/{number}/links', 'GET /tickets/{number}/tags', 'GET /timeline/posts',
      'GET /timeline/posts/{id}', 'GET /timeline/posts/{id}/comments', 'PATCH /tickets/{number}', 'PATCH /timeline/posts/{id}',
      'POST /tickets', 'POST /tickets/{number}/articles', 'POST /tickets/{number}/merge', 'POST /tickets/{number}/spam',
      'POST /timeline/posts', 'POST /timeline/posts/{id}/comments', 'POST /timeline/posts/{id}/like',
    ]);
    expect(operations).toHaveLength(apiRouteList.length);
  });

  it('describes request bodies and parameters from the validating schemas', () => {
    const create = doc.paths['/tickets']!.post!.requestBody!.content['application/json'].schema;
    expect(create.required?.sort()).toEqual(['body', 'subject']);
    expect(create.additionalProperties).toBe(false);
    expect(create.properties.subject).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(create.properties.priority).toMatchObject({ type: 'integer', minimum: 1, maximum: 4 });
    expect(create.properties.channel!.enum).toContain('in_person');
    expect(Object.keys(create.properties)).toEqual(expect.arrayContaining(['requester_email', 'requester_name', 'category', 'group_id', 'assignee_id', 'organisation_id', 'contract_id', 'custom_fields']));
    const patch = doc.paths['/tickets/{number}']!.patch!.requestBody!.content['application/json'].schema;
    expect(patch.properties.status!.enum).toEqual(['new', 'open', 'waiting', 'solved', 'closed']);
    expect(doc.paths['/tickets/{number}/articles']!.post!.requestBody!.content['application/json'].schema.properties.kind).toMatchObject({ enum: ['reply', 'note'] });
    const list = doc.paths['/tickets']!.get!;
    expect(list.requestBody).toBeUndefined();
    expect(list.parameters.find((p) => p.name === 'status')).toMatchObject({ in: 'query', required: false, schema: { enum: ['new', 'open', 'waiting', 'solved', 'closed', 'active'] } });
    expect(list.parameters.find((p) => p.name === 'per_page')).toMatchObject({ schema: { default: 25, maximum: 100 } });
    expect(doc.paths['/people/{id}']!.get!.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'integer' }) })]);
  });

  it('describes responses, including the shared error shape', () => {
    const detail = doc.paths['/tickets/{number}']!.get!.responses;
    const data = (detail['200']!.content['application/json'].schema as { properties: { data: { properties: Record<string, unknown> } } }).properties.data.properties;
    expect(Object.keys(data)).toEqual(expect.arrayContaining(['number', 'status', 'articles', 'attachments', 'history', 'created_at']));
    expect(data.created_at).toMatchObject({ type: 'string', format: 'date-time' });
    expect(detail['404']!.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.paths['/tickets']!.post!.responses).toHaveProperty('201');
    expect(doc.paths['/tickets/{number}']!.patch!.responses).toHaveProperty('409');
    expect(JSON.stringify(doc.components.schemas.Error)).toContain('fields');
  });

  it('offers multipart/form-data with files for articles, a file download, and the rate limit on every operation', () => {
    const content = doc.paths['/tickets/{number}/articles']!.post!.requestBody!.content as Record<string, { schema: { properties: Record<string, Record<string, unknown>>; required?: string[] } }>;
    expect(Object.keys(content)).toEqual(['application/json', 'multipart/form-data']);
    const form = content['multipart/form-data']!.schema;
    expect(form.properties.attachments).toMatchObject({ type: 'array', maxItems: 10, items: { type: 'string', contentMediaType: 'application/octet-stream' } });
    expect(form.properties.kind).toMatchObject({ enum: ['reply', 'note'] });
    expect(form.required).toEqual(content['application/json']!.schema.required);
    const download = doc.paths['/tickets/{number}/attachments/{id}']!.get!;
    expect(Object.keys(download.responses['200']!.content)).toEqual(['application/octet-stream']);
    expect(download.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:number', 'path:id']);
    for (const methods of Object.values(doc.paths)) {
      for (const operation of Object.values(methods)) {
        const limited = operation.responses['429'] as unknown as { headers: Record<string, unknown> };
        expect(Object.keys(limited.headers), operation.operationId).toEqual(['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']);
      }
    }
    // 3.1 documents name their binary bodies with contentMediaType, not 3.0's format: binary.
    expect(JSON.stringify(doc)).not.toContain('"format":"binary"');
  });
});
