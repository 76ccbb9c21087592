import { Transform } from 'node:stream';

export const NOT_UTF8 =
  'is not UTF-8 (save the file as "CSV UTF-8"; Latin-1 and UTF-16 files are not)';

/** Bytes of a CSV file that are not UTF-8, and the file's line they are on. */
export class NotUtf8Error extends Error {
  readonly code = 'CSV.ENCODING';
  constructor(readonly line: number) {
    super(`line ${line} ${NOT_UTF8}`);
    this.name = 'NotUtf8Error';
  }
}

const UTF16_BOMS = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];
const NEWLINE = 0x0a;

/** How many bytes of `bytes` decode as UTF-8 before the first sequence that is not (binary search). */
function validPrefix(bytes: Buffer): number {
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return good;
}

const newlinesIn = (bytes: Buffer) => {
  let count = 0;
  for (const byte of bytes) if (byte === NEWLINE) count++;
  return count;
};

/** How many bytes a UTF-8 sequence starting with this byte has (1 for a byte no sequence starts with). */
const sequenceLength = (byte: number) =>
  byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;

/**
 * The end of `bytes` that is a character begun and not finished (0 to 3 bytes): the decoder holds
 * it for the next chunk, so a chunk can begin inside a character.
 */
function unfinishedTail(bytes: Buffer): Buffer {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
    if ((bytes[i]! & 0xc0) === 0x80) continue;
    return bytes.length - i < sequenceLength(bytes[i]!) ? bytes.subarray(i) : Buffer.alloc(0);
  }
  return Buffer.alloc(0);
}

/**
 * Passes UTF-8 text on as strings, and fails with a NotUtf8Error naming the line of the first byte
 * sequence that is not UTF-8 (a UTF-16 file fails on line 1, its byte-order mark). Every CSV the
 * app reads comes through here: csv-parse alone reads such bytes as U+FFFD and keeps them.
 */
export function utf8Only(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lines = 1;
  let first = true;
  // The previous chunk's unfinished character: where the bad bytes are is found in it and the
  // chunk together (it holds no newline: its bytes are all 0x80 or more).
  let carried: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (first && UTF16_BOMS.some((bom) => chunk.subarray(0, 2).equals(bom)))
        return done(new NotUtf8Error(1));
      first = false;
      try {
        const text = decoder.decode(chunk, { stream: true });
        lines += newlinesIn(chunk);
        carried = unfinishedTail(Buffer.concat([carried, chunk.subarray(-3)]));
        done(null, text);
      } catch {
        const bytes = Buffer.concat([carried, chunk]);
        done(new NotUtf8Error(lines + newlinesIn(bytes.subarray(0, validPrefix(bytes)))));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new NotUtf8Error(lines));
      }
    },
  });
}
