// Worker thread: parses raw messages with mailparser and sanitizes their HTML, away from the
// event loop that serves requests. One message at a time; the pool kills us on a timeout.
import { parentPort } from 'node:worker_threads';
import { parseMail } from './parse-mail.js';

parentPort!.on('message', async (message: { id: number; raw: Uint8Array }) => {
  try {
    const parsed = await parseMail(Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength));
    parentPort!.postMessage({ id: message.id, ok: true, parsed }, parsed.attachments.map((a) => a.bytes.buffer as ArrayBuffer));
  } catch (error) {
    parentPort!.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
