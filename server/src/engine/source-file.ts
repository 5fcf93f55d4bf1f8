// A source file's bytes and its text: the one decoder of every front door (the CLI, Lint Workspace,
// the server's refresh of a closed file, the Python module index) and the one way a file to lint
// is read from disk (engine/lint-files.ts), and writing a text back in the file's own encoding
// (the CLI's --fix and --add-noqa).
import fs from 'node:fs';
import type { ResolvedConfig } from './config';
import { skipReason } from './linter';
import type { Skip } from './types';

export type Encoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be' | 'latin1';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Bytes to text. A BOM decides UTF-8 or UTF-16 (and is not part of the text, so columns match
 * what editors show); otherwise UTF-8, or Latin-1 when the bytes are not valid UTF-8.
 */
export function decode(bytes: Uint8Array): { text: string; encoding: Encoding } {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: buf.toString('utf8', 3), encoding: 'utf8-bom' };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe)
    return { text: buf.toString('utf16le', 2), encoding: 'utf16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    // An odd last byte is no character: swap16 needs an even length.
    const even = swapped.subarray(0, swapped.length - (swapped.length % 2));
    even.swap16();
    return { text: even.toString('utf16le'), encoding: 'utf16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf8' };
  } catch {
    return { text: buf.toString('latin1'), encoding: 'latin1' };
  }
}

/** Text to bytes in the file's own encoding; undefined if the text no longer fits it. */
export function encode(text: string, encoding: Encoding): Buffer | undefined {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be': {
      const body = Buffer.from(text, 'utf16le');
      body.swap16();
      return Buffer.concat([Buffer.from([0xfe, 0xff]), body]);
    }
    case 'latin1':
      // biome-ignore lint/suspicious/noControlCharactersInRegex: any character outside Latin-1
      return /[^\u0000-\u00ff]/.test(text) ? undefined : Buffer.from(text, 'latin1');
  }
}

/** A file to lint as read from disk: its text, or why it is not linted. */
export type SourceRead =
  | { kind: 'text'; text: string; encoding: Encoding }
  /** Too large (not even read) or binary: a reason the engine gives, as Linter.lint would. */
  | { kind: 'skipped'; skip: Skip }
  /** Missing, unreadable, or not a regular file. */
  | { kind: 'unreadable'; message: string };

/**
 * Reads a file to lint: its size first (a file over `maxFileSize` is not read), then its bytes,
 * decoded. The file is opened without blocking and must be a regular file: a named pipe or a
 * device would never end.
 */
export function readSourceFile(file: string, config: Pick<ResolvedConfig, 'maxFileSize'>): SourceRead {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { kind: 'unreadable', message: 'skipped: not a regular file' };
    if (stat.size > config.maxFileSize) return { kind: 'skipped', skip: skipReason('', config, stat.size)! };
    const bytes = fs.readFileSync(fd);
    const { text, encoding } = decode(bytes);
    const skip = skipReason(text, config, bytes.length);
    return skip ? { kind: 'skipped', skip } : { kind: 'text', text, encoding };
  } catch (e) {
    return {
      kind: 'unreadable',
      message: `skipped: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A text that did not come from a file (the CLI's standard input): its BOM dropped, as decode() drops it. */
export function sourceText(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
