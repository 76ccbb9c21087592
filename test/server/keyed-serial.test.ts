import { KeyedSerial } from '../../server/lib/keyed-serial';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('calls serialised by key', () => {
  it('start one at a time for a key, in order, whatever the one before did', async () => {
    const serial = new KeyedSerial();
    const started: string[] = [];
    const first = deferred();
    const a = serial.run('t1', async () => {
      started.push('a');
      await first.promise;
      throw new Error('a failed');
    });
    const b = serial.run('t1', async () => {
      started.push('b');
      return 'b';
    });
    await settle();
    expect(started).toEqual(['a']);
    first.resolve();
    await expect(a).rejects.toThrow('a failed');
    await expect(b).resolves.toBe('b');
    expect(started).toEqual(['a', 'b']);
  });

  it('let calls of other keys run meanwhile', async () => {
    const serial = new KeyedSerial();
    const held = deferred();
    const started: string[] = [];
    const a = serial.run('t1', async () => {
      started.push('t1');
      await held.promise;
    });
    const b = serial.run('t2', async () => {
      started.push('t2');
    });
    await b;
    expect(started).toEqual(['t1', 't2']);
    held.resolve();
    await a;
  });
});
