import { z } from 'zod';
import { contactsFor } from '../directory/directory-http.js';
import { AVAILABILITIES, DIRECTORY_LANGUAGES } from '../directory/directory-fields.js';
import { telUri } from '../text/phone-number.js';
import { defineRoute } from './openapi.js';

const contactSchema = z.object({
  user_id: z.number().int().positive(),
  name: z.string(),
  role: z.enum(['agent', 'supervisor', 'admin']).nullable(),
  job_title: z.string().nullable(),
  groups: z.array(z.string()).meta({ description: 'support groups the person is a member of, by name' }),
  languages: z.array(z.enum(DIRECTORY_LANGUAGES)).meta({ description: 'ISO 639-1 codes, in the person’s order' }),
  email: z.string().nullable(),
  phone: z.string().nullable().meta({ description: 'E.164, normalised with the tenant’s phone country' }),
  phone_uri: z.string().nullable().meta({ description: 'the tel: link of phone' }),
  mobile: z.string().nullable().meta({ description: 'E.164' }),
  mobile_uri: z.string().nullable(),
  sip: z.string().nullable().meta({ description: 'a sip: or sips: URI' }),
  availability: z.enum(AVAILABILITIES).meta({ description: 'the person’s own setting; available during an on-call shift (sla on) unless they set busy or away' }),
  on_call: z.array(z.object({ rota: z.string(), until: z.iso.datetime().nullable() })).meta({ description: 'the on-call rotas whose shift the person covers now (sla on); empty otherwise' }),
  has_photo: z.boolean(),
});

const listQuery = z.object({
  q: z.string().trim().max(100).optional().meta({ description: 'name, job title, group or language contains this' }),
  availability: z.enum(AVAILABILITIES).optional(),
});

/** The support directory over the REST API: the staff who list themselves, as the token's user sees them on /desk/directory. */
export const directoryApiRoutes = [
  defineRoute({
    method: 'get', path: '/directory', operationId: 'listDirectory', tag: 'directory', permission: 'desk.use',
    summary: 'The support contacts the caller may see: staff who opted in, available first, then by name (at most 500)',
    query: listQuery, status: 200, errors: [403, 422],
    response: z.object({ data: z.array(contactSchema) }),
    async handle(c, { query }) {
      const contacts = await contactsFor(c, { kind: 'staff' }, { q: query.q, availability: query.availability });
      return {
        data: contacts.map((contact) => ({
          user_id: contact.userId, name: contact.name, role: contact.role === 'agent' || contact.role === 'supervisor' || contact.role === 'admin' ? contact.role : null,
          job_title: contact.jobTitle, groups: contact.groups, languages: contact.languages.filter((code): code is (typeof DIRECTORY_LANGUAGES)[number] => (DIRECTORY_LANGUAGES as readonly string[]).includes(code)),
          email: contact.email, phone: contact.phone, phone_uri: contact.phone ? telUri(contact.phone) : null, mobile: contact.mobile, mobile_uri: contact.mobile ? telUri(contact.mobile) : null,
          sip: contact.sip, availability: contact.availability ?? 'available', on_call: contact.onCall, has_photo: contact.photo !== null,
        })),
      };
    },
  }),
];
