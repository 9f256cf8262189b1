// The sandboxed preload: the renderer's whole view of the main process is `window.shoebox`, a
// ShoeboxBridge. It is bundled into one CommonJS file because a sandboxed preload cannot load
// other files; `ipcRenderer` itself never reaches the page.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { ELECTRON_CALL_CHANNEL, ELECTRON_EVENT_CHANNEL } from '../shared/electron-channels.ts';
import type { CallArgs, CallName, CallResult, EventName, Events, Result, ShoeboxBridge } from '../shared/contract.ts';

interface EventMessage {
  event: EventName;
  payload: unknown;
}

function isEventMessage(value: unknown): value is EventMessage {
  return typeof value === 'object' && value !== null && typeof (value as { event?: unknown }).event === 'string';
}

function mediaUrl(kind: 'thumb' | 'photo' | 'motion', id: string): string {
  return `shoebox://${kind}/${encodeURIComponent(id)}`;
}

const bridge: ShoeboxBridge = {
  call<C extends CallName>(channel: C, args: CallArgs<C>): Promise<Result<CallResult<C>>> {
    return ipcRenderer.invoke(ELECTRON_CALL_CHANNEL, channel, args) as Promise<Result<CallResult<C>>>;
  },
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    // One IPC listener per subscription, so unsubscribing removes exactly this one.
    const forward = (_e: IpcRendererEvent, message: unknown): void => {
      if (isEventMessage(message) && message.event === event) listener(message.payload as Events[E]);
    };
    ipcRenderer.on(ELECTRON_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(ELECTRON_EVENT_CHANNEL, forward);
    };
  },
  thumbUrl: (id) => mediaUrl('thumb', id),
  photoUrl: (id) => mediaUrl('photo', id),
  motionUrl: (id) => mediaUrl('motion', id),
  transport: 'electron',
};

contextBridge.exposeInMainWorld('shoebox', bridge);
