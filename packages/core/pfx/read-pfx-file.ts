/**
 * Read a file that should be a PFX without trusting what the path points to: only a regular file,
 * opened without blocking (a FIFO named x.pfx must not hang a worker or the I/O pool), with the
 * size cap enforced on the bytes actually read (a link to /dev/zero, a file growing underneath).
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { CertdeskError } from '../errors';

/** Real A1 files are a few kilobytes; anything this big is not a certificate store. */
export const MAX_PFX_BYTES = 10 * 1024 * 1024;

function formatMb(size: number): string {
  return `${(size / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

const tooLarge = (size?: number) =>
  new CertdeskError('TOO_LARGE', `Arquivo grande demais para ser um certificado (${size ? `${formatMb(size)}; ` : ''}limite 10 MB).`);

export async function readPfxFile(path: string, maxBytes = MAX_PFX_BYTES): Promise<Buffer> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new CertdeskError('UNREADABLE', 'O caminho indicado é uma pasta, não um arquivo.');
    throw new CertdeskError('UNREADABLE', `Não foi possível ler o arquivo (${code ?? 'erro de leitura'}).`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new CertdeskError('UNREADABLE', 'O caminho indicado é uma pasta, não um arquivo.');
    if (!info.isFile()) throw new CertdeskError('UNREADABLE', 'O caminho não é um arquivo comum (é um dispositivo, pipe ou soquete).');
    if (info.size > maxBytes) throw tooLarge(info.size);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) throw tooLarge(); // grew past the cap while being read
      const wanted = buffer.length - length;
      const { bytesRead } = await handle.read(buffer, length, wanted, length);
      length += bytesRead;
      // All the bytes stat promised and a short read: that is the end, with no extra read just to
      // meet EOF (one I/O round trip less per file in a scan). The buffer's spare byte makes a full
      // read mean "grew"; a short read before the promised size (some network file systems) reads on.
      if (bytesRead === 0 || (bytesRead < wanted && length >= info.size)) break;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof CertdeskError) throw error;
    throw new CertdeskError(
      'UNREADABLE',
      `Não foi possível ler o arquivo (${(error as NodeJS.ErrnoException).code ?? 'erro de leitura'}).`,
    );
  } finally {
    await handle.close();
  }
}
