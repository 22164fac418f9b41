import { describe, expect, it } from 'vitest';
import { isValidBsn } from './bsn.ts';

describe('BSN elfproef', () => {
  it.each(['111222333', '123456782', '999999990'])('accepts %s', (bsn) => expect(isValidBsn(bsn)).toBe(true));
  it.each(['123456789', '12345678', '1234567890', 'abcdefghi', '000000000'])('refuses %s', (bsn) =>
    expect(isValidBsn(bsn)).toBe(false),
  );
});
