// Camera RAW files that carry no usable preview: the sensor data itself, demosaiced by LibRaw
// (lightdrift-libraw: LibRaw 0.22 as a Node addon, LGPL-2.1 or CDDL-1.0, run on a worker thread).
// Half size: the thumbnail and the model's input need a fraction of a sensor's pixels, and half
// size takes each 2×2 Bayer block as one pixel instead of interpolating, several times faster.
import { ShoeboxError } from '../../errors.ts';

export interface SensorImage {
  width: number;
  height: number;
  /** 8-bit sRGB, three channels, already turned upright (LibRaw applies the RAW's orientation). */
  rgb: Buffer;
}

export async function decodeSensor(input: Buffer, format: string): Promise<SensorImage> {
  const name = format.toUpperCase();
  let LibRaw: typeof import('lightdrift-libraw').LibRaw;
  try {
    ({ LibRaw } = await import('lightdrift-libraw'));
  } catch (err) {
    throw new ShoeboxError(
      'DECODE_FAILED',
      `${name} file without an embedded preview, and LibRaw could not be loaded to decode its sensor data: ${(err as Error).message}`,
    );
  }
  const raw = new LibRaw();
  try {
    await raw.openBuffer(input);
    await raw.setOutputParams({ half_size: true, output_bps: 8, use_camera_wb: true, output_color: 1 });
    await raw.unpack();
    await raw.dcrawProcess();
    const image = await raw.createMemoryImage();
    if (image.colors !== 3 || image.bits !== 8)
      throw new Error(`LibRaw produced ${image.colors} channels of ${image.bits} bits, expected 3 of 8`);
    return { width: image.width, height: image.height, rgb: image.data };
  } catch (err) {
    if (err instanceof ShoeboxError) throw err;
    const why = (err as Error).message;
    throw new ShoeboxError(
      'DECODE_FAILED',
      /unsupported|not supported|file format/i.test(why)
        ? `${name} file without an embedded preview, in a form LibRaw 0.22 does not read (an unknown camera or compression): ${why}`
        : `${name} sensor data could not be decoded (the file may be damaged): ${why}`,
    );
  } finally {
    await raw.close().catch(() => undefined);
  }
}
