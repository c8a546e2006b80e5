// `npm run screenshots:compare -- BEFORE AFTER [--diff-dir DIR]`: compares two directories written by
// `npm run screenshots`, page by page and width by width. Pixels: ImageMagick's `compare -metric AE` (the number of
// differing pixels, as a share of the page); a page whose height changed is reported as such. Text: the pages'
// innerText with every digit masked, so dates, times and ticket numbers do not count; differing lines are shown.
// --diff-dir writes ImageMagick's difference image of each differing page. Exit code 1 when a page's text or size
// differs or a page is missing on one side (pixel-only differences are reported, not failed: dates move them).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { 'diff-dir': { type: 'string' } } });
if (positionals.length !== 2) {
  process.stderr.write('usage: npm run screenshots:compare -- BEFORE_DIR AFTER_DIR [--diff-dir DIR]\n');
  process.exit(2);
}
const [before, after] = positionals.map((p) => resolve(p)) as [string, string];
const diffDir = args['diff-dir'] ? resolve(args['diff-dir']) : undefined;
if (diffDir) mkdirSync(diffDir, { recursive: true });
for (const tool of ['/usr/bin/compare', '/usr/bin/identify']) {
  if (!existsSync(tool)) {
    process.stderr.write(`screenshots:compare needs ImageMagick (${tool})\n`);
    process.exit(2);
  }
}

function size(file: string): { width: number; height: number } {
  const out = spawnSync('/usr/bin/identify', ['-format', '%w %h', file], { encoding: 'utf8' });
  const [width, height] = out.stdout.trim().split(' ').map(Number);
  return { width: width!, height: height! };
}

/** Differing pixels of two images of the same size (exact: the same Chromium draws the same page alike). */
function differingPixels(a: string, b: string, diffImage: string | undefined): number {
  if (readFileSync(a).equals(readFileSync(b))) return 0;
  const out = spawnSync('/usr/bin/compare', ['-metric', 'AE', a, b, diffImage ?? 'null:'], { encoding: 'utf8' });
  if (out.status === 2) throw new Error(`compare failed on ${basename(a)}: ${out.stderr.trim()}`);
  // ImageMagick prints the count on stderr, sometimes in exponent form, newer versions followed by "(share)".
  return Math.round(Number(/^[\d.e+-]+/.exec(out.stderr.trim())?.[0] ?? NaN));
}

const mask = (text: string) => text.replace(/\d/g, '0');

/** `diff -u` of the masked texts, without its file header. */
function textDiff(a: string, b: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'screenshots-compare-'));
  try {
    writeFileSync(join(dir, 'before'), mask(readFileSync(a, 'utf8')));
    writeFileSync(join(dir, 'after'), mask(readFileSync(b, 'utf8')));
    const out = spawnSync('/usr/bin/diff', ['-u', join(dir, 'before'), join(dir, 'after')], { encoding: 'utf8' });
    return out.stdout.split('\n').slice(2).join('\n').trimEnd();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const shots = (dir: string) => new Set(readdirSync(dir).filter((f) => f.endsWith('.png')).map((f) => f.slice(0, -4)));
const left = shots(before);
const right = shots(after);
const names = [...new Set([...left, ...right])].sort();

let identical = 0;
let pixelsOnly = 0;
const failed: string[] = [];
for (const name of names) {
  if (!left.has(name) || !right.has(name)) {
    process.stdout.write(`${name}: only in ${left.has(name) ? 'BEFORE' : 'AFTER'}\n`);
    failed.push(name);
    continue;
  }
  const [a, b] = [join(before, `${name}.png`), join(after, `${name}.png`)];
  const [sizeA, sizeB] = [size(a), size(b)];
  const texts = [join(before, `${name}.txt`), join(after, `${name}.txt`)] as const;
  const diff = existsSync(texts[0]) && existsSync(texts[1]) ? textDiff(texts[0], texts[1]) : '(text missing)';
  let pixels: string;
  let sameSize = true;
  if (sizeA.width !== sizeB.width || sizeA.height !== sizeB.height) {
    sameSize = false;
    pixels = `size differs ${sizeA.width}x${sizeA.height} -> ${sizeB.width}x${sizeB.height}`;
  } else {
    const count = differingPixels(a, b, diffDir ? join(diffDir, `${name}-diff.png`) : undefined);
    pixels = count === 0 ? 'pixels identical' : `${count} px differ (${((count / (sizeA.width * sizeA.height)) * 100).toFixed(3)} % of ${sizeA.width}x${sizeA.height})`;
    if (count === 0 && diffDir) rmSync(join(diffDir, `${name}-diff.png`), { force: true });
  }
  const textSame = diff === '';
  if (textSame && pixels === 'pixels identical') {
    identical++;
    process.stdout.write(`${name}: identical\n`);
    continue;
  }
  if (textSame && sameSize) pixelsOnly++;
  else failed.push(name);
  process.stdout.write(`${name}: differs: ${pixels}; text ${textSame ? 'same (digits masked)' : 'differs:'}\n`);
  if (!textSame) process.stdout.write(`${diff.replace(/^/gm, '    ')}\n`);
}
process.stdout.write(`\n${names.length} screenshots: ${identical} identical, ${pixelsOnly} differ in pixels only (same size, same text with digits masked), ${failed.length} differ in text or size or are missing${failed.length ? `: ${failed.join(', ')}` : ''}\n`);
if (failed.length) process.exitCode = 1;
