// Files a native library or a child process reads itself cannot stay inside Electron's asar
// archive; electron-builder unpacks them beside it (electron-builder.yml's asarUnpack).

/** Where an asar-packed path's file really is on disk (unchanged outside a packaged app). */
export const unpackedPath = (path: string): string => path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
