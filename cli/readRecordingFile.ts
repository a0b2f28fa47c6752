import { closeSync, openSync, readSync } from 'node:fs';
import { RecordingReader, type LineCursor } from '../system/RecordingReader';

/** Bytes read from the file at a time by each cursor. */
export const RECORDING_CHUNK_BYTES = 1 << 16;

/**
 * The lines of an open file, read `chunkBytes` at a time into one buffer and
 * decoded as UTF-8 across chunk boundaries (a byte order mark at the start is
 * dropped, invalid bytes become U+FFFD as `readFileSync(path, 'utf8')` makes
 * them), so it holds one chunk and the line it is on, however long the file.
 * @param fd - the file, open for reading (each cursor reads at its own position)
 * @param chunkBytes - bytes per read
 */
export const fileLines = (fd: number, chunkBytes: number = RECORDING_CHUNK_BYTES): LineCursor => {
  const buffer = Buffer.allocUnsafe(chunkBytes);
  const decoder = new TextDecoder('utf-8');
  let position = 0;
  let eof = false;
  /** Decoded text not yet handed out, from `at` on. */
  let pending = '';
  let at = 0;
  let endsWithNewline = false;
  return {
    next: () => {
      for (;;) {
        const end = pending.indexOf('\n', at);
        if (end !== -1) {
          const line = pending.slice(at, end);
          at = end + 1;
          return line;
        }
        if (eof) {
          // The last piece after the final '\n' (or of a file without one) is a line unless it is empty.
          if (at >= pending.length) return undefined;
          const line = pending.slice(at);
          at = pending.length;
          return line;
        }
        const read = readSync(fd, buffer, 0, chunkBytes, position);
        position += read;
        // Keep only the unfinished line before appending: memory stays one line plus one chunk.
        const rest = pending.slice(at);
        if (read === 0) {
          eof = true;
          pending = rest + decoder.decode();
          endsWithNewline = pending.length === 0 ? endsWithNewline : pending.endsWith('\n');
        } else {
          const text = decoder.decode(buffer.subarray(0, read), { stream: true });
          if (text.length > 0) endsWithNewline = text.endsWith('\n');
          pending = rest + text;
        }
        at = 0;
      }
    },
    get endsWithNewline() {
      return endsWithNewline;
    },
  };
};

/** A recording file open for a streaming read; {@link OpenRecordingFile.close} it when done. */
export interface OpenRecordingFile {
  /** The reader over the file (its header already checked). */
  readonly reader: RecordingReader;
  /** Closes the file. */
  close(): void;
}

/**
 * Opens a recording file for {@link RecordingReader}: two cursors over one
 * descriptor, each with its own chunk buffer.
 * @param path - the file
 * @param chunkBytes - bytes per read (tests pass small ones to split lines and characters across reads)
 * @throws an fs error when the file cannot be opened or read; RecordingFormatError for a bad header
 */
export const openRecordingFile = (path: string, chunkBytes: number = RECORDING_CHUNK_BYTES): OpenRecordingFile => {
  const fd = openSync(path, 'r');
  try {
    const reader = new RecordingReader(() => fileLines(fd, chunkBytes));
    return { reader, close: () => closeSync(fd) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
};
