/**
 * The Dutch citizen service number (BSN): nine digits passing the "elfproef"
 * (9·d1 + 8·d2 + … + 2·d8 − 1·d9 is divisible by 11, and not 0).
 */
export function isValidBsn(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(value[i]) * (9 - i);
  sum -= Number(value[8]);
  return sum !== 0 && sum % 11 === 0;
}
