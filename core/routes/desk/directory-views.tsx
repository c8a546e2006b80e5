import type { DirectoryContact } from '../../directory/directory-contacts.js';
import { AVAILABILITIES } from '../../directory/directory-fields.js';
import { formatDateTime, type DateContext } from '../../i18n/format.js';
import type { Translate } from '../../i18n/translate.js';
import { formatPhone, telUri } from '../../text/phone-number.js';
import { sipDisplay } from '../../text/sip-address.js';

/** Where a card's links go: the staff page's or the portal's routes. */
export interface ContactUrls {
  card: (userId: number) => string;
  vcard: (userId: number) => string;
  photo: (userId: number, file: string) => string;
}

/** Up to two initials of a name, for a card without photo. */
export function initials(name: string): string {
  // Words that start with a letter ("Eva Einstellung 2" -> EE); all words when none does.
  const all = name.trim().split(/\s+/).filter(Boolean);
  const lettered = all.filter((w) => /^\p{L}/u.test(w));
  const words = lettered.length ? lettered : all;
  const letters = (words.length > 1 ? [words[0]!, words.at(-1)!] : words).map((w) => Array.from(w)[0] ?? '');
  return letters.join('').toUpperCase() || '?';
}

function Avatar(props: { contact: DirectoryContact; urls: ContactUrls; large?: boolean }) {
  const { contact } = props;
  const size = props.large ? 96 : 56;
  return contact.photo
    ? <img src={props.urls.photo(contact.userId, contact.photo)} alt="" width={size} height={size} class={`directory-photo${props.large ? ' directory-photo-large' : ''}`} loading="lazy" />
    : <span class={`directory-initials${props.large ? ' directory-photo-large' : ''}`} aria-hidden="true">{initials(contact.name)}</span>;
}

export function AvailabilityBadge(props: { contact: DirectoryContact; t: Translate; dates: DateContext }) {
  const { contact, t } = props;
  if (!contact.availability) return null;
  return (
    <span class="directory-status">
      <span class={`badge directory-${contact.availability}`}>{t(`directory.availability.${contact.availability}`)}</span>
      {contact.onCall.map((shift) => (
        <span class="badge directory-on-call">
          {shift.until ? t('directory.onCallUntil', { rota: shift.rota, until: formatDateTime(shift.until, props.dates) }) : t('directory.onCall', { rota: shift.rota })}
        </span>
      ))}
    </span>
  );
}

/** An address that may wrap after "@" and "." instead of in the middle of a word (narrow cards). */
function Breakable(props: { text: string }) {
  const parts = props.text.split(/(?<=[@.])/);
  return <>{parts.map((part, i) => (i === 0 ? part : <><wbr />{part}</>))}</>;
}

/** The ways to reach someone: tel: and sip: links (numbers shown grouped), mail, and the card's other facts. */
function Reach(props: { contact: DirectoryContact; t: Translate }) {
  const { contact, t } = props;
  const tel = (label: string, e164: string | null, kind: string) => {
    const uri = e164 ? telUri(e164) : null;
    return uri ? <div><dt>{label}</dt><dd><a href={uri} class={`directory-tel directory-${kind}`} aria-label={`${label} ${t('directory.call', { name: contact.name })}`}>{formatPhone(e164!)}</a></dd></div> : null;
  };
  const rows = [
    tel(t('directory.phone'), contact.phone, 'phone'),
    tel(t('directory.mobile'), contact.mobile, 'mobile'),
    contact.sip ? <div><dt>{t('directory.sip')}</dt><dd><a href={contact.sip} class="directory-sip"><Breakable text={sipDisplay(contact.sip)} /></a></dd></div> : null,
    contact.email ? <div><dt>{t('directory.email')}</dt><dd><a href={`mailto:${contact.email}`} class="directory-email"><Breakable text={contact.email} /></a></dd></div> : null,
    contact.groups.length ? <div><dt>{t('directory.groups')}</dt><dd>{contact.groups.join(', ')}</dd></div> : null,
    contact.languages.length ? <div><dt>{t('directory.languages')}</dt><dd>{contact.languages.map((code) => t(`directory.lang.${code}`)).join(', ')}</dd></div> : null,
  ].filter(Boolean);
  return rows.length ? <dl class="directory-facts">{rows}</dl> : null;
}

function roleLine(contact: DirectoryContact, t: Translate): string {
  return [contact.jobTitle, contact.role ? t(`role.${contact.role}`) : null].filter(Boolean).join(' · ');
}

/** One person in the list: photo or initials, name (opens the contact card), role, availability, the ways to reach them. */
export function ContactCard(props: { contact: DirectoryContact; t: Translate; dates: DateContext; urls: ContactUrls }) {
  const { contact, t, urls } = props;
  const role = roleLine(contact, t);
  return (
    <li class="card directory-card" id={`directory-card-${contact.userId}`}>
      <div class="directory-head">
        <Avatar contact={contact} urls={urls} />
        <div class="directory-who">
          <h2 class="directory-name"><a href={urls.card(contact.userId)} aria-label={t('directory.openCard', { name: contact.name })}>{contact.name}</a></h2>
          {role ? <p class="muted directory-role">{role}</p> : null}
          <AvailabilityBadge contact={contact} t={t} dates={props.dates} />
        </div>
      </div>
      <Reach contact={contact} t={t} />
    </li>
  );
}

/** The contact card page's body: everything the viewer may see, the vCard download and (portal) the callback form as children. */
export function ContactDetail(props: { contact: DirectoryContact; t: Translate; dates: DateContext; urls: ContactUrls; children?: unknown }) {
  const { contact, t, urls } = props;
  const role = roleLine(contact, t);
  return (
    <section class="card directory-detail" id="directory-detail" aria-labelledby="directory-detail-name">
      <div class="directory-head">
        <Avatar contact={contact} urls={urls} large />
        <div class="directory-who">
          <h2 id="directory-detail-name" class="directory-name">{contact.name}</h2>
          {role ? <p class="muted directory-role">{role}</p> : null}
          <AvailabilityBadge contact={contact} t={t} dates={props.dates} />
        </div>
      </div>
      <Reach contact={contact} t={t} />
      <p><a href={urls.vcard(contact.userId)} class="button" id="directory-vcard" download>{t('directory.vcard')}</a></p>
      {props.children as never}
    </section>
  );
}

/** The search and availability filter above the list (a plain GET form: works without JavaScript). */
export function DirectoryFilter(props: { t: Translate; action: string; q: string; availability: string; showAvailability: boolean }) {
  const { t } = props;
  return (
    <form method="get" action={props.action} class="directory-filter" role="search">
      <label class="visually-hidden" for="directory-q">{t('directory.search')}</label>
      <input type="search" id="directory-q" name="q" value={props.q} placeholder={t('directory.search')} maxlength={100} />
      {props.showAvailability ? (
        <>
          <label class="visually-hidden" for="directory-availability">{t('directory.availability')}</label>
          <select id="directory-availability" name="availability">
            <option value="">{t('directory.all')}</option>
            {AVAILABILITIES.map((a) => <option value={a} selected={props.availability === a}>{t(`directory.availability.${a}`)}</option>)}
          </select>
        </>
      ) : null}
      <button type="submit" class="button">{t('directory.filter')}</button>
    </form>
  );
}
