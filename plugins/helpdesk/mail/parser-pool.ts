import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../../core/plugin-api.js';
import type { ParsedMail } from './parsed-mail.js';

export class ParseError extends Error {}

interface Pending { resolve(parsed: ParsedMail): void; reject(error: Error): void; timer: NodeJS.Timeout }

/**
 * Parses mails in worker threads with limits: each worker has a capped heap, each message a
 * time limit; a worker that overruns is terminated and replaced, and that message fails (the
 * importer keeps it raw as an open helpdesk mail). Create one per import run, close it after.
 */
export function createParserPool(options: { size?: number; timeoutMs?: number; heapMb?: number } = {}) {
  const size = options.size ?? 2;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const waiting: Array<(worker: Worker) => void> = [];
  let nextId = 1;
  let closed = false;

  let entry: URL | undefined;
  function spawn(): Worker {
    entry ??= workerEntry(new URL('./mail-parse-worker.ts', import.meta.url));
    const worker = new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 256 } });
    worker.unref();
    all.add(worker);
    return worker;
  }

  function acquire(): Promise<Worker> {
    const worker = idle.pop();
    if (worker) return Promise.resolve(worker);
    if (all.size < size) return Promise.resolve(spawn());
    return new Promise((resolve) => waiting.push(resolve));
  }

  function release(worker: Worker): void {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  }

  function replace(worker: Worker): void {
    all.delete(worker);
    void worker.terminate();
    if (closed) return;
    const next = waiting.shift();
    if (next) next(spawn());
  }

  return {
    async parse(raw: Uint8Array): Promise<ParsedMail> {
      if (closed) throw new ParseError('parser pool is closed');
      const worker = await acquire();
      const id = nextId++;
      return new Promise<ParsedMail>((resolve, reject) => {
        const pending: Pending = {
          resolve, reject,
          timer: setTimeout(() => {
            cleanup();
            replace(worker);
            reject(new ParseError(`parsing took longer than ${timeoutMs / 1000} s`));
          }, timeoutMs),
        };
        const onMessage = (message: { id: number; ok: boolean; parsed?: ParsedMail; error?: string }) => {
          if (message.id !== id) return;
          cleanup();
          release(worker);
          if (message.ok) pending.resolve(message.parsed!);
          else pending.reject(new ParseError(message.error ?? 'parse failed'));
        };
        const onError = (error: Error) => {
          cleanup();
          replace(worker);
          pending.reject(new ParseError(`parser worker failed: ${error.message}`));
        };
        const onExit = () => {
          cleanup();
          replace(worker);
          pending.reject(new ParseError('parser worker exited (memory limit?)'));
        };
        const cleanup = () => {
          clearTimeout(pending.timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        worker.on('message', onMessage);
        worker.once('error', onError);
        worker.once('exit', onExit);
        // A copy goes over, so the caller keeps its bytes.
        worker.postMessage({ id, raw });
      });
    },

    async close(): Promise<void> {
      closed = true;
      await Promise.all([...all].map((worker) => worker.terminate()));
      all.clear();
      idle.length = 0;
    },
  };
}
export type ParserPool = ReturnType<typeof createParserPool>;
