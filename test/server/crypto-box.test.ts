import { randomBytes } from 'node:crypto';

import { CryptoBox } from '../../server/lib/crypto-box';

describe('CryptoBox', () => {
  const box = new CryptoBox(randomBytes(32));
  const context = 'tenant-1:hubspot:refresh_token';

  it('opens what it sealed, and never seals the same way twice', () => {
    const sealed = box.seal('secret-token', context);
    expect(box.open(sealed, context)).toBe('secret-token');
    expect(box.seal('secret-token', context)).not.toBe(sealed);
    expect(sealed).not.toContain('secret-token');
  });

  it('does not open a value moved to another context (tenant or column)', () => {
    expect(() =>
      box.open(box.seal('secret-token', context), 'tenant-2:hubspot:refresh_token'),
    ).toThrow();
  });

  it('rejects a truncated authentication tag and a tampered ciphertext', () => {
    const [version, iv, tag, body] = box.seal('secret-token', context).split('.');
    const shortTag = Buffer.from(tag!, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => box.open([version, iv, shortTag, body].join('.'), context)).toThrow(
      'not a sealed value',
    );
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() =>
      box.open([version, iv, tag, flipped.toString('base64url')].join('.'), context),
    ).toThrow();
  });

  it('does not open with another key', () => {
    expect(() => new CryptoBox(randomBytes(32)).open(box.seal('x', context), context)).toThrow();
  });
});
