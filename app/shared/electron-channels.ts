// Electron's own transport channels: one for calls, one for pushed events. Kept apart from
// contract.ts (which carries zod schemas) so the sandboxed preload bundle stays tiny.
export const ELECTRON_CALL_CHANNEL = 'shoebox:call';
export const ELECTRON_EVENT_CHANNEL = 'shoebox:event';
