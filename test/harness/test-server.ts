import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/env.js';
import type { PluginDefinition } from '../../core/plugin-host/define-plugin.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { startServer, type RunningServer } from '../../core/server.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  stop(): Promise<void>;
}

/** The real server on a free port and a fresh data directory, for browser and HTTP tests. */
export async function startTestServer(plugins: PluginDefinition[], env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresen-server-'));
  const config = { ...loadConfig({ DATA_DIR: dataDir, PORT: '1', HOST: '127.0.0.1', LOG_LEVEL: 'error', TRESEN_DEMO: '0', ...env }), port: 0, scryptLogN: 10 };
  const server = await startServer(config, createRegistry(plugins), { announce: () => {} });
  return {
    ...server,
    dataDir,
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
