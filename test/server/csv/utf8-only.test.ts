import { Readable } from 'node:stream';

import fc from 'fast-check';

import { NotUtf8Error, utf8Only } from '../../../server/csv/utf8-only';

/** What utf8Only makes of bytes arriving in these chunks: the text, or the line it refused. */
const through = (chunks: Buffer[]) =>
  new Promise<{ text: string } | { line: number }>((resolve, reject) => {
    const gate = utf8Only();
    const parts: string[] = [];
    gate.on('data', (part: string) => parts.push(part));
    gate.on('end', () => resolve({ text: parts.join('') }));
    gate.on('error', (error) =>
      error instanceof NotUtf8Error ? resolve({ line: error.line }) : reject(error),
    );
    Readable.from(chunks, { objectMode: false }).pipe(gate);
  });

/** Cuts bytes at the given offsets, as a file stream's chunks fall anywhere in a character. */
const cut = (bytes: Buffer, at: number[]) => {
  const offsets = [...new Set(at.map((n) => n % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...offsets]
    .map((start, i) => bytes.subarray(start, offsets[i] ?? bytes.length))
    .filter((chunk) => chunk.length > 0);
};

const line = fc.string({ unit: 'grapheme', maxLength: 12 }).map((text) => text.replace(/\n/g, ''));

describe('the UTF-8 gate every CSV the app reads goes through', () => {
  it('passes UTF-8 text on unchanged, however its bytes are cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 8 }), fc.array(fc.nat()), async (lines, at) => {
        const text = lines.join('\n');
        expect(await through(cut(Buffer.from(text, 'utf8'), at))).toEqual({ text });
      }),
      { numRuns: 300 },
    );
  });

  it('names the line of the first byte that is not UTF-8, even when a chunk begins inside a character', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.constantFrom([0xe9], [0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80]),
        fc.array(fc.nat()),
        async (lines, which, bad, at) => {
          const target = which % lines.length;
          const bytes = Buffer.concat(
            lines.map((text, i) =>
              Buffer.concat([
                Buffer.from(i === 0 ? text : `\n${text}`, 'utf8'),
                i === target ? Buffer.from(bad) : Buffer.alloc(0),
              ]),
            ),
          );
          expect(await through(cut(bytes, at))).toEqual({ line: target + 1 });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names line 10 when the file stream cut the é of line 1', async () => {
    const bytes = Buffer.concat([
      Buffer.from('Café\n', 'utf8'),
      Buffer.from('a\n'.repeat(8)),
      Buffer.from([0xff]),
    ]);
    expect(await through([bytes.subarray(0, 4), bytes.subarray(4)])).toEqual({ line: 10 });
  });
});
