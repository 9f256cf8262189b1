// Stand-ins for a decode process that a crafted file broke, for DecodeClient's tests: no real
// file reliably crashes or hangs libvips, so these are real child processes that behave as one
// would. `crash` exits on the first file it is given; `hang` takes files and never answers.
import { spawn } from 'node:child_process';
import { channelOf } from '#core/child-process.ts';
import type { DecodeChannel } from '#core/decode/decoder.ts';
import type { DecodeReply, DecodeRequest } from '#core/decode/decode-protocol.ts';

const SCRIPT = {
  crash: "process.on('message', () => process.exit(3));",
  hang: "process.on('message', () => {}); process.on('disconnect', () => process.exit(0));",
};

export function brokenDecoder(how: keyof typeof SCRIPT): DecodeChannel {
  const child = spawn(process.execPath, ['-e', SCRIPT[how]], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return channelOf<DecodeRequest, DecodeReply>(
    {
      send: (m) => {
        if (child.connected) child.send(m);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as DecodeReply)),
      kill: () => child.kill(),
      get pid() {
        return child.pid;
      },
    },
    (report) => child.on('exit', (code) => report(code)),
  );
}
