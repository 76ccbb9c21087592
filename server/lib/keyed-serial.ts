/**
 * Runs the calls given one key one at a time, in the order given, within this process. Used in
 * front of a database lock that serialises them anyway: the calls waiting here hold no pooled
 * connection, so a burst on one key cannot take every connection of the pool from other requests.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
