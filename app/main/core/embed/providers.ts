import { existsSync } from 'node:fs';
import type { ExecutionProvider } from './onnx-session.ts';

export const DEVICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type Device = (typeof DEVICES)[number];

/** Which GPU kernel drivers are loaded (an integrated GPU alone rarely beats the CPU here). */
export interface GpuDrivers {
  nvidia: boolean;
  amd: boolean;
}

/**
 * The providers to try, fastest first, CPU always last. On Linux `auto` tries only what the
 * machine can run: CUDA where NVIDIA's driver is loaded (it needs onnxruntime-node's CUDA
 * build, `npm run install:cuda`; where that is missing the attempt fails in milliseconds and the
 * reason is recorded), and the stock build's WebGPU provider (Dawn over Vulkan, ~900 img/s on an
 * H100 with no extra download) where NVIDIA's or AMD's driver is; a machine with neither tries
 * none, since WebGPU can "work" on a software rasteriser at a fraction of CPU speed.
 */
export function providersFor(
  device: Device,
  platform: NodeJS.Platform = process.platform,
  drivers: () => GpuDrivers = gpuDrivers,
): ExecutionProvider[] {
  if (device !== 'auto') return device === 'cpu' ? ['cpu'] : [device, 'cpu'];
  switch (platform) {
    case 'win32':
      return ['cuda', 'dml', 'cpu'];
    case 'darwin':
      return ['coreml', 'cpu'];
    case 'linux': {
      const { nvidia, amd } = drivers();
      return [...(nvidia ? (['cuda'] as const) : []), ...(nvidia || amd ? (['webgpu'] as const) : []), 'cpu'];
    }
    default:
      return ['cpu'];
  }
}

export function gpuDrivers(): GpuDrivers {
  return {
    nvidia: existsSync('/dev/nvidia0') || existsSync('/proc/driver/nvidia/version'),
    amd: existsSync('/dev/kfd'),
  };
}

/** Batch size and threads that suit each provider: GPUs want big batches, CPUs all cores. */
export function tuningFor(provider: ExecutionProvider, cores: number): { batch: number; threads: number } {
  return provider === 'cpu' ? { batch: 16, threads: cores } : { batch: 64, threads: Math.min(4, cores) };
}

export function isDevice(value: string): value is Device {
  return (DEVICES as readonly string[]).includes(value);
}
