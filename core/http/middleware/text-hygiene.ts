import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { cleanDeep } from '../../text/text-hygiene.js';
import { HttpError } from '../http-error.js';

/**
 * The input boundary for text: every handler that reads a form (`parseBody`) or a JSON body (`json`)
 * gets its strings without NUL and other control bytes and with lone surrogates replaced, however it
 * reads them (parseForm, a route's own parseBody, the API's zod validation). Query strings are left
 * alone: they are never stored as they are. A form body that cannot be parsed (multipart without or with a
 * wrong boundary, a cut-off upload) is the client's fault: 400, never the handler's 500.
 */
export const textHygiene = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const request = c.req;
    const parseBody = request.parseBody.bind(request);
    const json = request.json.bind(request);
    request.parseBody = (async (options?: Parameters<typeof parseBody>[0]) => {
      let body;
      try {
        body = await parseBody(options);
      } catch {
        throw new HttpError(400, c.var.t('error.unreadableBody'));
      }
      return cleanDeep(body);
    }) as typeof request.parseBody;
    request.json = (async () => cleanDeep(await json())) as typeof request.json;
  }
  return next();
});
