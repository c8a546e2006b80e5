import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { definePlugin } from './define-plugin.js';
import { listPluginStatic, pluginStaticDir } from './plugin-static.js';
import { createRegistry, PluginRegistryError } from './registry.js';
import { projectRoot } from '../project-root.js';

/** A fresh folder holding `files` (name → content); folders in names are created. */
function folder(files: Record<string, string>): URL {
  const dir = mkdtempSync(join(tmpdir(), 'tresen-static-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return pathToFileURL(`${dir}/`);
}

const withStatic = (staticFolder: URL | undefined) => definePlugin({
  id: 'notes', version: '1.0.0', core: '^1.0.0', name: 'notes.name', register: () => {}, ...(staticFolder ? { static: staticFolder } : {}),
});

describe('plugin static folders', () => {
  it('lists a declared folder, nested files included, in name order; no declaration means no files', () => {
    const url = folder({ 'notes.css': '.notes {}', 'icons/pin.svg': '<svg/>', 'a-print.css': '' });
    const listed = listPluginStatic('notes', url);
    expect('files' in listed && listed.files.map((f) => f.name)).toEqual(['a-print.css', 'icons/pin.svg', 'notes.css']);
    expect(listPluginStatic('notes', undefined)).toEqual({ files: [] });
    const registered = createRegistry([withStatic(url)]).get('notes')!;
    expect(registered.staticFiles.map((f) => f.name)).toEqual(['a-print.css', 'icons/pin.svg', 'notes.css']);
    expect(Object.isFrozen(registered.staticFiles)).toBe(true);
    expect(createRegistry([withStatic(undefined)]).get('notes')!.staticFiles).toEqual([]);
  });

  it('the registry refuses a missing folder, unsafe names, types /static does not serve, and links', () => {
    const missing = new URL('./no-such-folder/', folder({}));
    expect(() => createRegistry([withStatic(missing)])).toThrow(PluginRegistryError);
    expect(() => createRegistry([withStatic(missing)])).toThrow(/plugin "notes" declares static files in .*no-such-folder.*, which is not a folder/);
    expect(() => createRegistry([withStatic(new URL('https://cdn.example/notes/'))])).toThrow('not a folder');
    expect(() => createRegistry([withStatic(folder({ '.hidden.css': '' }))])).toThrow('plugin "notes" static file ".hidden.css" is not a safe file name');
    expect(() => createRegistry([withStatic(folder({ 'my notes.css': '' }))])).toThrow('"my notes.css" is not a safe file name');
    expect(() => createRegistry([withStatic(folder({ 'icons/ä.svg': '' }))])).toThrow('"icons/ä.svg" is not a safe file name');
    expect(() => createRegistry([withStatic(folder({ 'page.html': '' }))])).toThrow('"page.html" is not a type /static serves');
    const linked = folder({ 'notes.css': '' });
    symlinkSync(join(projectRoot(), 'package.json'), join(new URL(linked).pathname, 'package.css'));
    expect(() => createRegistry([withStatic(linked)])).toThrow('"package.css" is neither a file nor a folder');
  });

  it('finds the folder in the sources when the declaring module runs compiled from dist/ or bundled', () => {
    const root = projectRoot();
    expect(pluginStaticDir(pathToFileURL(`${root}/dist/plugins/portal/static/`), 'portal')).toBe(join(root, 'plugins/portal/static'));
    // A folder that exists where it is declared is taken as it is.
    const url = folder({ 'x.css': '' });
    expect(pluginStaticDir(url, 'portal')).toBe(new URL(url).pathname);
    // Bundled elsewhere (a test's child process): an installed plugin's folder in the sources.
    expect(pluginStaticDir(pathToFileURL(`${root}/node_modules/.cache/bundle/static/`), 'helpdesk')).toBe(join(root, 'plugins/helpdesk/static'));
    // Not installed either: the declared path, which the registry then refuses.
    expect(pluginStaticDir(pathToFileURL(`${root}/node_modules/.cache/bundle/static/`), 'ghost')).toBe(join(root, 'node_modules/.cache/bundle/static/'));
  });
});
