import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest (OAuth tokens). Output: v1.<iv>.<tag>.<ciphertext>, base64url.
 * `context` is bound as additional data (e.g. tenant, provider and column), so a value copied to
 * another row does not open there.
 *
 * Rotation: seals with the current key, opens with it or any of `previous` (GCM's tag tells which
 * key sealed a value: another one fails to authenticate it). `reseal` moves a value to the current
 * key, so that once every stored value is moved a previous key can be dropped.
 */
export class CryptoBox {
  private readonly keys: readonly Buffer[];

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.keys = [current, ...previous];
    if (this.keys.some((key) => key.length !== 32)) throw new Error('CryptoBox needs 32-byte keys');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  open(sealed: string, context: string): string {
    return this.openWithKey(sealed, context).plaintext;
  }

  /** The value sealed with the current key when a previous one sealed it, else undefined. */
  reseal(sealed: string, context: string): string | undefined {
    const { plaintext, keyIndex } = this.openWithKey(sealed, context);
    return keyIndex === 0 ? undefined : this.seal(plaintext, context);
  }

  private openWithKey(sealed: string, context: string): { plaintext: string; keyIndex: number } {
    const [version, iv, tag, body] = sealed.split('.');
    const tagBytes = Buffer.from(tag ?? '', 'base64url');
    if (version !== VERSION || !iv || tagBytes.length !== TAG_BYTES || body === undefined)
      throw new Error('not a sealed value');
    for (const [keyIndex, key] of this.keys.entries()) {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tagBytes);
      try {
        const plaintext = Buffer.concat([
          decipher.update(Buffer.from(body, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
        return { plaintext, keyIndex };
      } catch {
        // Not this key (or not this context): the next one, if any.
      }
    }
    throw new Error('the sealed value opens with none of the encryption keys (or another context)');
  }
}
