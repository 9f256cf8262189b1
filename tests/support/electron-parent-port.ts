// A stand-in for Electron's `process.parentPort` (Electron's binary cannot run here), preloaded
// with --import into a plain Node fork: messages from the parent arrive as `{ data }` events and
// postMessage goes back over Node's IPC channel, as Electron's utility process delivers them.
// `process.send` is hidden, so a module that ignored parentPort would find no channel at all.
import { EventEmitter } from 'node:events';

const nodeSend = process.send?.bind(process);
if (!nodeSend) throw new Error('load this only into a forked child');
delete process.send;
const port = Object.assign(new EventEmitter(), { postMessage: (message: unknown): void => void nodeSend(message) });
process.on('message', (data) => port.emit('message', { data, ports: [] }));
(process as { parentPort?: typeof port }).parentPort = port;
