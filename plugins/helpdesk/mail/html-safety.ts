import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';

// Loaded when the first mail is sanitized, not at start (it pulls in an HTML parser).
const require = createRequire(import.meta.url);
let sanitizer: typeof SanitizeHtml | undefined;
const loadSanitizer = (): typeof SanitizeHtml => (sanitizer ??= require('sanitize-html') as typeof SanitizeHtml);

const SAFE_CSS_VALUE = /^(?!.*(?:url\s*\(|expression\s*\(|javascript:|@import|\\)).*$/i;
const cssProperties = ['color', 'background-color', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-align', 'text-decoration',
  'margin', 'margin-left', 'margin-right', 'margin-top', 'margin-bottom', 'padding', 'padding-left', 'padding-right', 'padding-top', 'padding-bottom',
  'border', 'border-left', 'border-collapse', 'width', 'max-width', 'height', 'line-height', 'vertical-align', 'white-space', 'list-style-type'];

/**
 * Mail HTML as we store it: no scripts, event handlers, forms, frames, styles sheets or
 * active URLs; links open outside; images only from cid:, data:image or http(s) (remote ones
 * are blocked again at display until the agent asks, see mail-body-route).
 */
export function sanitizeMailHtml(html: string): string {
  return loadSanitizer()(html, {
    allowedTags: [...loadSanitizer().defaults.allowedTags, 'img', 'font', 'center', 'span', 'div', 'u', 's', 'strike', 'small', 'big', 'sub', 'sup', 'hr', 'br'],
    allowedAttributes: {
      '*': ['style', 'align', 'valign', 'dir', 'lang', 'title', 'width', 'height', 'bgcolor', 'colspan', 'rowspan', 'border', 'cellpadding', 'cellspacing'],
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      font: ['color', 'face', 'size'],
      ol: ['start', 'type'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'cid', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedStyles: { '*': Object.fromEntries(cssProperties.map((property) => [property, [SAFE_CSS_VALUE]])) },
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
      img: (tagName, attribs) => {
        // data: only for images, never SVG (which could carry script in other contexts).
        if (attribs.src?.startsWith('data:') && !/^data:image\/(png|jpe?g|gif|webp|bmp);/i.test(attribs.src)) return { tagName, attribs: { ...attribs, src: '' } };
        return { tagName, attribs };
      },
    },
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
  });
}
