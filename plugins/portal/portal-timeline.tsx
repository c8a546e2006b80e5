import type { Context } from 'hono';
import { href, pinnedAnnouncements, tenantOf, timelineForPerson, TimelinePostCard, type AppEnv, type PortalPerson, type TimelinePost } from '../../core/plugin-api.js';

/** The posts of the portal home's news: the core timeline as this customer sees it (everyone's posts and their organisation's). */
export const portalTimelinePosts = (c: Context<AppEnv>, person: PortalPerson) => timelineForPerson(c.var.services, tenantOf(c).id, person);

/** The pinned announcements (e.g. an outage) this customer sees, for the new-request page. */
export const pinnedNotices = (c: Context<AppEnv>, person: PortalPerson) => pinnedAnnouncements(c.var.services, tenantOf(c).id, person);

/** The portal home's news, read-only. */
export function PortalTimeline(props: { c: Context<AppEnv>; posts: TimelinePost[] }) {
  const { c } = props;
  if (props.posts.length === 0) return null;
  return (
    <section class="portal-timeline stack" id="portal-timeline" aria-labelledby="portal-timeline-title">
      <h2 id="portal-timeline-title">{c.var.t('timeline.portalTitle')}</h2>
      {props.posts.map((post) => <TimelinePostCard post={post} t={c.var.t} dates={c.var.dates} url={(p) => href(c, p)} />)}
    </section>
  );
}

/** Pinned announcements before the new-request form, so a customer reads about a known outage before reporting it again. */
export function PinnedNotices(props: { c: Context<AppEnv>; posts: TimelinePost[] }) {
  const { c } = props;
  if (props.posts.length === 0) return null;
  return (
    <section class="portal-pinned stack" id="portal-pinned" role="status">
      <h2>{c.var.t('timeline.outageNotice')}</h2>
      {props.posts.map((post) => <TimelinePostCard post={post} t={c.var.t} dates={c.var.dates} url={(p) => href(c, p)} />)}
    </section>
  );
}
