import { existsSync } from 'node:fs';
import type { ExecutionProvider } from './onnx-session.ts';

export const DEVICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type Device = (typeof DEVICES)[number];

/**
 * The providers to try, fastest first, CPU always last. CUDA needs onnxruntime-node's CUDA
 * build (ONNXRUNTIME_NODE_INSTALL=cuda12 on Linux); where it is missing the attempt fails in
 * milliseconds and the reason is recorded. The stock build's WebGPU provider (Dawn over Vulkan)
 * reached ~900 img/s on an H100 with no extra download, so Linux tries it where a discrete GPU's
 * driver is present; elsewhere only when asked for, since on a machine without a GPU it can "work"
 * on a software rasteriser at a fraction of CPU speed.
 */
export function providersFor(
  device: Device,
  platform: NodeJS.Platform = process.platform,
  gpu: () => boolean = hasDiscreteGpu,
): ExecutionProvider[] {
  if (device !== 'auto') return device === 'cpu' ? ['cpu'] : [device, 'cpu'];
  switch (platform) {
    case 'win32':
      return ['cuda', 'dml', 'cpu'];
    case 'darwin':
      return ['coreml', 'cpu'];
    case 'linux':
      return gpu() ? ['cuda', 'webgpu', 'cpu'] : ['cuda', 'cpu'];
    default:
      return ['cpu'];
  }
}

/** NVIDIA's or AMD's kernel driver is loaded (an integrated GPU alone rarely beats the CPU here). */
export function hasDiscreteGpu(): boolean {
  return existsSync('/dev/nvidia0') || existsSync('/dev/kfd');
}

/** Batch size and threads that suit each provider: GPUs want big batches, CPUs all cores. */
export function tuningFor(provider: ExecutionProvider, cores: number): { batch: number; threads: number } {
  return provider === 'cpu' ? { batch: 16, threads: cores } : { batch: 64, threads: Math.min(4, cores) };
}

export function isDevice(value: string): value is Device {
  return (DEVICES as readonly string[]).includes(value);
}
