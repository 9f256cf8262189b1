import { appFile } from '../core/app-files.ts';
import type { EngineOptions } from '../core/engine/engine.ts';
import { startWebServer } from '../server/web-server.ts';
import { EventHub } from '../service/event-hub.ts';
import { LibraryService } from '../service/library-service.ts';

/** Where `vite build` puts the renderer (see vite.config.ts). */
export const RENDERER_DIR = appFile('dist', 'renderer');

/** `shoebox serve`: the desktop UI in a browser, until Ctrl-C. */
export async function serve(
  opts: EngineOptions,
  port: number,
  host: string | undefined,
  signal: AbortSignal,
): Promise<void> {
  const hub = new EventHub();
  const service = await LibraryService.start(opts, hub.emit);
  const server = await startWebServer({ service, hub, staticDir: RENDERER_DIR, port, host });
  process.stdout.write(`Shoebox is running at ${server.url}\n(open that address in a browser; Ctrl-C to stop)\n`);
  if (host !== undefined && host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    process.stderr.write(
      `warning: listening on ${host}: anyone who can reach it and has the token can see your photos\n`,
    );
  }
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  await service.close();
}
