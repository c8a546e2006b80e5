import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root.js';
import type { RegisteredPlugin } from '../../core/plugin-host/registry.js';

/** The selectors of a stylesheet, each of a comma-separated list on its own (commas inside `:is(…)` kept). */
export function selectorsOf(css: string): string[] {
  const selectors: string[] = [];
  for (const match of css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{/g)) {
    const prelude = match[1]!.trim();
    if (prelude.startsWith('@')) continue;
    let depth = 0;
    let start = 0;
    for (let i = 0; i < prelude.length; i += 1) {
      const char = prelude[i];
      if (char === '(') depth += 1;
      else if (char === ')') depth -= 1;
      else if (char === ',' && depth === 0) {
        selectors.push(prelude.slice(start, i).trim());
        start = i + 1;
      }
    }
    selectors.push(prelude.slice(start).trim());
  }
  return selectors;
}

const classesOf = (selector: string) => [...selector.matchAll(/\.([A-Za-z_-][\w-]*)/g)].map((m) => m[1]!);

/**
 * What a plugin's CSS does that it must not: use a custom property core does not define (the design
 * tokens are core's, in static/app.css), or style core's elements on their own: every selector names
 * at least one class of the plugin's own, one core's stylesheet does not use.
 */
export function pluginCssProblems(plugin: RegisteredPlugin): string[] {
  const core = readFileSync(join(projectRoot(), 'static', 'app.css'), 'utf8');
  const tokens = new Set([...core.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1]!));
  const coreClasses = new Set(selectorsOf(core).flatMap(classesOf));
  const problems: string[] = [];
  for (const file of plugin.staticFiles.filter((f) => f.name.endsWith('.css'))) {
    const css = readFileSync(file.path, 'utf8');
    for (const [, token] of css.matchAll(/var\(\s*(--[\w-]+)/g)) {
      if (!tokens.has(token!)) problems.push(`${file.name} uses ${token}, which core's static/app.css does not define`);
    }
    for (const [, token] of css.matchAll(/(--[\w-]+)\s*:/g)) problems.push(`${file.name} defines ${token}: design tokens are core's`);
    for (const selector of selectorsOf(css)) {
      if (!classesOf(selector).some((name) => !coreClasses.has(name))) problems.push(`${file.name}: "${selector}" styles core's elements, not the plugin's own`);
    }
  }
  return problems;
}
