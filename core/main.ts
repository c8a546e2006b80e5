import { installedPlugins } from '../config/plugins.js';
import { ConfigError, loadConfig } from '../config/env.js';
import { createRegistry } from './plugin-host/registry.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tresen: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer(config, createRegistry(installedPlugins));
  const shutdown = async (signal: string) => {
    process.stderr.write(`tresen: ${signal}, shutting down\n`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`tresen: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
