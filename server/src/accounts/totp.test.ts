import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, generateTotpSecret, totpCode, verifyTotp } from './totp.ts';

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B, SHA1 key "12345678901234567890": 8-digit codes; we use the last six.
  const secret = base32Encode(Buffer.from('12345678901234567890'));

  it('matches the RFC test vectors', () => {
    expect(totpCode(secret, new Date(59_000))).toBe('287082');
    expect(totpCode(secret, new Date(1111111109_000))).toBe('081804');
    expect(totpCode(secret, new Date(2000000000_000))).toBe('279037');
  });

  it('accepts one step of clock drift and no more', () => {
    const now = new Date(1_800_000_000_000);
    const earlier = totpCode(secret, new Date(now.getTime() - 30_000));
    const muchEarlier = totpCode(secret, new Date(now.getTime() - 90_000));
    expect(verifyTotp(secret, earlier, now)).toBe(true);
    expect(verifyTotp(secret, muchEarlier, now)).toBe(false);
    expect(verifyTotp(secret, 'abcdef', now)).toBe(false);
  });

  it('round-trips base32 secrets', () => {
    const generated = generateTotpSecret();
    expect(generated).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Encode(base32Decode(generated))).toBe(generated);
  });
});
