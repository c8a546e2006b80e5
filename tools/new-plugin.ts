// `npm run new:plugin -- <id>`: scaffolds plugins/<id>/ (see plugin-scaffold.ts) and says what to do next.
import { join } from 'node:path';
import { projectRoot } from '../core/project-root.js';
import { ScaffoldError, scaffoldPlugin } from './plugin-scaffold.js';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0]!.startsWith('-')) {
  process.stderr.write('usage: npm run new:plugin -- <id>   (e.g. npm run new:plugin -- inventory)\n');
  process.exit(2);
}
const id = args[0]!;
const root = projectRoot();
try {
  const files = scaffoldPlugin({ id, pluginsDir: join(root, 'plugins'), root });
  process.stdout.write(`created plugin "${id}":\n${files.map((file) => `  ${file}`).join('\n')}\n\n`
    + `next: install it in config/plugins.ts, then run its tests with: npx vitest run plugins/${id}\n`);
} catch (error) {
  if (!(error instanceof ScaffoldError)) throw error;
  process.stderr.write(`new:plugin: ${error.message}\n`);
  process.exit(2);
}
