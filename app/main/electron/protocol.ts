// Electron glue for the shoebox:// scheme; what it serves lives in protocol-handler.ts.
import { protocol } from 'electron';
import { createProtocolHandler } from './protocol-handler.ts';
import type { ProtocolHandlerOptions } from './protocol-handler.ts';
import { APP_SCHEME, SCHEME } from './security.ts';

/** Privileges can only be granted before the app is ready, and only once. */
export function registerShoeboxScheme(): void {
  protocol.registerSchemesAsPrivileged([SCHEME]);
}

/** After `ready`: serves the renderer and the library's media on the default session. */
export function handleShoeboxProtocol(options: ProtocolHandlerOptions): void {
  protocol.handle(APP_SCHEME, createProtocolHandler(options));
}
