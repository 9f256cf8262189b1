// The Electron transport of the contract: one invoke channel in, one event channel out.
import { BrowserWindow, ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { ShoeboxError, errorMessage } from '../core/errors.ts';
import { dispatch } from '../ipc/handlers.ts';
import type { Handlers } from '../ipc/handlers.ts';
import type { EventHub } from '../service/event-hub.ts';
import { ELECTRON_CALL_CHANNEL, ELECTRON_EVENT_CHANNEL } from '../../shared/electron-channels.ts';
import type { Result } from '../../shared/contract.ts';
import { isAppUrl, isTrustedSender } from './url-policy.ts';
import type { SenderInfo } from './url-policy.ts';

export interface IpcOptions {
  /** Resolves once the library is open; calls made before that wait for it. */
  handlers: Promise<Handlers>;
  hub: EventHub;
  origins: readonly string[];
  isOurs: (contents: WebContents) => boolean;
}

function senderInfo(event: IpcMainInvokeEvent, isOurs: IpcOptions['isOurs']): SenderInfo {
  const frame = event.senderFrame;
  const live = frame !== null && !frame.detached;
  return {
    frameUrl: live ? frame.url : null,
    isMainFrame: live && frame.parent === null && frame.frameToken === event.sender.mainFrame.frameToken,
    fromOurWindow: isOurs(event.sender),
  };
}

async function callFrom(
  o: IpcOptions,
  event: IpcMainInvokeEvent,
  channel: unknown,
  args: unknown,
): Promise<Result<unknown>> {
  if (!isTrustedSender(senderInfo(event, o.isOurs), o.origins)) {
    return { ok: false, error: { code: 'BAD_REQUEST', message: 'calls are only accepted from the Shoebox window' } };
  }
  let handlers: Handlers;
  try {
    handlers = await o.handlers;
  } catch (err) {
    return {
      ok: false,
      error: { code: err instanceof ShoeboxError ? err.code : 'INTERNAL', message: errorMessage(err) },
    };
  }
  return dispatch(handlers, channel, args);
}

/** Registers the call handler and forwards every hub event to our app windows. Returns an undo. */
export function registerIpc(o: IpcOptions): () => void {
  ipcMain.handle(ELECTRON_CALL_CHANNEL, (event, channel: unknown, args: unknown) => callFrom(o, event, channel, args));
  const unsubscribe = o.hub.subscribe((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      const contents = win.webContents;
      if (contents.isDestroyed() || !o.isOurs(contents) || !isAppUrl(contents.getURL(), o.origins)) continue;
      contents.send(ELECTRON_EVENT_CHANNEL, { event, payload });
    }
  });
  return () => {
    ipcMain.removeHandler(ELECTRON_CALL_CHANNEL);
    unsubscribe();
  };
}
