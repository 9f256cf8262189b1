import type { ShoeboxBridge } from '../../../../shared/contract.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; absent in a browser. */
    readonly shoebox?: ShoeboxBridge;
  }
}

/** The preload's bridge when running inside Electron, else null. */
export function electronBridge(): ShoeboxBridge | null {
  return typeof window !== 'undefined' && window.shoebox ? window.shoebox : null;
}
