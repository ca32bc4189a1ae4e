import { describe, expect, it } from 'vitest';
import { OutputMasker } from './masker.js';

const SECRET = 'sk_live_0123456789abcdef';
const OTHER = 'ghp_ABCDEFGHIJ';

/** Everything the masker lets out when `text` arrives cut into the given pieces. */
function through(masker: OutputMasker, pieces: string[]): string {
  return Buffer.concat([...pieces.map((p) => masker.push(Buffer.from(p, 'utf8'))), masker.end()]).toString('utf8');
}

describe('masking secret values in a stream', () => {
  it('conceals every value however the output is cut, at every position', () => {
    const text = `key=${SECRET}\ntoken ${OTHER} and ${SECRET}${SECRET}!`;
    const expected = 'key=<concealed:stripe>\ntoken <concealed:github> and <concealed:stripe><concealed:stripe>!';
    for (let cut = 1; cut < text.length; cut++) {
      const masker = new OutputMasker([
        { value: SECRET, name: 'stripe' },
        { value: OTHER, name: 'github' },
      ]);
      expect(through(masker, [text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toBe(expected);
    }
    // One byte at a time.
    const masker = new OutputMasker([{ value: SECRET, name: 'stripe' }]);
    expect(through(masker, [...`a ${SECRET} b`])).toBe('a <concealed:stripe> b');
  });

  it('holds back only what could still be the start of a value: a prompt shows at once', () => {
    const masker = new OutputMasker([{ value: SECRET, name: 'stripe' }]);
    expect(masker.push(Buffer.from('Password: ')).toString()).toBe('Password: ');
    expect(masker.push(Buffer.from('value sk_li')).toString()).toBe('value ');
    expect(masker.push(Buffer.from('ght')).toString()).toBe('sk_light');
    expect(masker.end().toString()).toBe('');
  });

  it('takes the longer of two values that start at the same place; leaves values too short to mask alone', () => {
    const masker = new OutputMasker([
      { value: 'abcd', name: 'short' },
      { value: 'abcdefgh', name: 'long' },
      { value: 'xy', name: 'tiny' },
    ]);
    expect(through(masker, ['abcdefgh abcd xy'])).toBe('<concealed:long> <concealed:short> xy');
  });

  it('passes bytes that are not text through unchanged', () => {
    const masker = new OutputMasker([{ value: SECRET, name: 's' }]);
    const binary = Buffer.from([0, 255, 254, 10, 0x80]);
    expect(Buffer.concat([masker.push(binary), masker.end()]).equals(binary)).toBe(true);
  });
});
