import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { merkleRoot } from './merkle.js';

/** The RFC's definition, literally (recursive split at the largest power of two below n): what the streaming builder must equal. */
function mth(leaves: Buffer[]): Buffer {
  const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
  if (leaves.length === 0) return h();
  if (leaves.length === 1) return h(Buffer.from([0]), leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return h(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

describe('Merkle Tree Hash (RFC 9162 §2.1.1)', () => {
  // The public RFC 6962 test vectors (certificate-transparency's reference tests): leaves and the root of each prefix.
  const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((hex) => Buffer.from(hex, 'hex'));
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];

  it('matches the RFC 6962 test vectors for every prefix', () => {
    for (let n = 1; n <= leaves.length; n++) expect(merkleRoot(leaves.slice(0, n)).toString('hex'), `${n} leaves`).toBe(roots[n - 1]);
  });

  it('is the SHA-256 of nothing for no leaves', () => {
    expect(merkleRoot([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('equals the recursive definition for every size up to 70', () => {
    const many = Array.from({ length: 70 }, (_, i) => Buffer.from(`record ${i}`));
    for (let n = 0; n <= many.length; n++) expect(merkleRoot(many.slice(0, n)).equals(mth(many.slice(0, n))), `${n} leaves`).toBe(true);
  });
});
