import { x25519 } from '@noble/curves/ed25519.js';
import { extract, hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import identityVectors from '../test/vectors/identity-v2.json' with { type: 'json' };
import hkdfVectors from '../test/vectors/rfc5869-hkdf-sha256.json' with { type: 'json' };
import x25519Vectors from '../test/vectors/rfc7748-x25519.json' with { type: 'json' };
import { IdentityDerivationError, InvalidKeyError, InvalidParametersError } from './errors.js';
import {
  assertPublicKey,
  boundIdentityMessage,
  deriveBoundIdentity,
  deriveIdentityFromSigner,
  generateIdentity,
  identityDerivationMessage,
  importIdentity,
  type TypedDataSigner,
} from './identity.js';

describe('X25519 (RFC 7748)', () => {
  it.each(x25519Vectors.scalarMult)('scalar multiplication $output', ({ scalar, u, output }) => {
    expect(bytesToHex(x25519.scalarMult(hexToBytes(scalar), hexToBytes(u)))).toBe(output);
  });

  it('iterated scalar multiplication (1 and 1000 rounds)', () => {
    let k = hexToBytes('0900000000000000000000000000000000000000000000000000000000000000');
    let u = k;
    for (let i = 1; i <= 1000; i++) {
      const next = x25519.scalarMult(k, u);
      u = k;
      k = next;
      if (i === 1) expect(bytesToHex(k)).toBe(x25519Vectors.iterated['1']);
    }
    expect(bytesToHex(k)).toBe(x25519Vectors.iterated['1000']);
  }, 60_000);

  it('Diffie-Hellman through importIdentity', () => {
    const v = x25519Vectors.diffieHellman;
    const alice = importIdentity(hexToBytes(v.aliceSecret));
    const bob = importIdentity(hexToBytes(v.bobSecret));
    expect(bytesToHex(alice.publicKey)).toBe(v.alicePublic);
    expect(bytesToHex(bob.publicKey)).toBe(v.bobPublic);
    expect(bytesToHex(x25519.getSharedSecret(alice.secretKey, bob.publicKey))).toBe(v.shared);
    expect(bytesToHex(x25519.getSharedSecret(bob.secretKey, alice.publicKey))).toBe(v.shared);
  });
});

describe('HKDF-SHA256 (RFC 5869)', () => {
  it.each(hkdfVectors.cases)('case with length $length', (c) => {
    expect(bytesToHex(extract(sha256, hexToBytes(c.ikm), hexToBytes(c.salt)))).toBe(c.prk);
    expect(bytesToHex(hkdf(sha256, hexToBytes(c.ikm), hexToBytes(c.salt), hexToBytes(c.info), c.length))).toBe(c.okm);
  });
});

describe('generateIdentity / importIdentity', () => {
  it('generates distinct identities that round-trip through their secret key', () => {
    const a = generateIdentity();
    const b = generateIdentity();
    expect(a.publicKey).toHaveLength(32);
    expect(bytesToHex(a.secretKey)).not.toBe(bytesToHex(b.secretKey));
    expect(bytesToHex(importIdentity(a.secretKey).publicKey)).toBe(bytesToHex(a.publicKey));
  });

  it('rejects keys of the wrong length and low-order public keys', () => {
    expect(() => importIdentity(new Uint8Array(31))).toThrow(InvalidKeyError);
    expect(() => importIdentity('abc' as never)).toThrow(InvalidKeyError);
    expect(() => assertPublicKey(new Uint8Array(33))).toThrow(InvalidKeyError);
    // u = 0 and u = 1 are low-order points: a shared secret with them would not depend on our key.
    expect(() => assertPublicKey(new Uint8Array(32))).toThrow(InvalidKeyError);
    expect(() => assertPublicKey(hexToBytes(`01${'00'.repeat(31)}`))).toThrow(InvalidKeyError);
    expect(bytesToHex(assertPublicKey(generateIdentity().publicKey))).toHaveLength(64);
  });

  it('rejects every low-order point of the libsodium blocklist, through node:crypto and through noble', async () => {
    const { setNodeX25519 } = await import('./internal/x25519.js');
    // Curve25519 points of order 1, 2, 4 and 8 (and non-canonical encodings of them), as blocked by libsodium.
    const lowOrder = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ];
    for (const node of [true, false]) {
      const previous = setNodeX25519(node);
      try {
        for (const point of lowOrder) expect(() => assertPublicKey(hexToBytes(point)), point).toThrow(InvalidKeyError);
        expect(assertPublicKey(generateIdentity().publicKey)).toHaveLength(32);
      } finally {
        setNodeX25519(previous);
      }
    }
  });
});

describe('deriveIdentityFromSigner', () => {
  const wallet = new Wallet('0x0123456789012345678901234567890123456789012345678901234567890123');

  it('derives the same key from the same signer, a different one from another signer', async () => {
    const first = await deriveIdentityFromSigner(wallet);
    const second = await deriveIdentityFromSigner(new Wallet(wallet.privateKey));
    const other = await deriveIdentityFromSigner(Wallet.createRandom());
    expect(bytesToHex(first.secretKey)).toBe(bytesToHex(second.secretKey));
    expect(bytesToHex(first.publicKey)).not.toBe(bytesToHex(other.publicKey));
  });

  it('is pinned: HKDF over r||s of the EIP-712 signature of the fixed message', async () => {
    const signature = await wallet.signTypedData(
      { ...identityDerivationMessage.domain },
      { EncryptionKey: identityDerivationMessage.types.EncryptionKey!.map((f) => ({ ...f })) },
      { ...identityDerivationMessage.value },
    );
    const ikm = hexToBytes(signature.slice(2, 130));
    const expected = hkdf(
      sha256,
      ikm,
      new TextEncoder().encode('mhrchain/identity/v1'),
      new TextEncoder().encode('mhrchain/identity/v1/x25519-secret-key'),
      32,
    );
    const identity = await deriveIdentityFromSigner(wallet);
    expect(bytesToHex(identity.secretKey)).toBe(bytesToHex(expected));
    // Golden value: changing the message, domain or derivation changes this and breaks every user's key.
    expect(bytesToHex(identity.publicKey)).toMatchInlineSnapshot(
      `"8921f3ec74ff331776a6f29f9cb7773f97d9e7ff38748f696ae6b4b0b59f3f27"`,
    );
  });

  it('rejects a signer whose signature is not from its address, and a failing signer', async () => {
    const liar: TypedDataSigner = {
      getAddress: async () => Wallet.createRandom().address,
      signTypedData: (d, t, v) => wallet.signTypedData(d, t, v),
    };
    await expect(deriveIdentityFromSigner(liar)).rejects.toThrow(IdentityDerivationError);
    const refusing: TypedDataSigner = {
      getAddress: async () => wallet.address,
      signTypedData: async () => {
        throw new Error('user rejected');
      },
    };
    await expect(deriveIdentityFromSigner(refusing)).rejects.toThrow(IdentityDerivationError);
  });
});

describe('deriveBoundIdentity (v2: bound to origin, chain and IdentityRegistry)', () => {
  const wallet = new Wallet(identityVectors.privateKey);
  const registry = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
  const base = { chainId: 31337n, contract: registry, origin: 'https://ehr.example' };
  type V2Case = { chainId: number; contract: string; origin: string; secretKey: string; publicKey: string } & Pick<
    (typeof identityVectors.cases)[number],
    'domain' | 'types' | 'value'
  >;
  const v2Cases = identityVectors.cases.filter((c) => c.version === 2) as V2Case[];

  it('matches the golden vectors (computed from ethers and noble directly by scripts/generateIdentityVectors.ts)', async () => {
    expect(wallet.address).toBe(identityVectors.address);
    expect(v2Cases.length).toBeGreaterThanOrEqual(5);
    for (const c of v2Cases) {
      const message = boundIdentityMessage(c);
      expect({ ...message.domain, chainId: Number(message.domain.chainId) }).toEqual(c.domain);
      expect(message.types).toEqual(c.types);
      expect(message.value).toEqual(c.value);
      const identity = await deriveBoundIdentity({ signer: wallet, ...c });
      expect(bytesToHex(identity.secretKey), c.origin).toBe(c.secretKey);
      expect(bytesToHex(identity.publicKey), c.origin).toBe(c.publicKey);
    }
    // The fixed key, domain and origin of the first case, pinned here too: changing the derivation breaks every key.
    expect(v2Cases[0]).toMatchObject({ chainId: 31337, contract: registry, origin: 'https://ehr.example' });
    expect(v2Cases[0]?.publicKey).toBe('aab1e9d1177cf7621ab17bef2096f8d7e8cdbef4b39dedf47aecb72b79e16646');
  });

  it('v1 is unchanged: its golden vector in the same file still holds', async () => {
    const v1 = identityVectors.cases.find((c) => c.version === 1);
    const identity = await deriveIdentityFromSigner(wallet);
    expect(bytesToHex(identity.publicKey)).toBe(v1?.publicKey);
    expect(bytesToHex(identity.publicKey)).toBe('8921f3ec74ff331776a6f29f9cb7773f97d9e7ff38748f696ae6b4b0b59f3f27');
  });

  it('a different origin, chain or contract gives a different identity; v1 differs from all of them', async () => {
    const keys = await Promise.all(
      [
        base,
        { ...base, origin: 'https://other.example' },
        { ...base, origin: 'https://ehr.example/' },
        { ...base, chainId: 1n },
        { ...base, contract: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' },
      ].map(async (p) => bytesToHex((await deriveBoundIdentity({ signer: wallet, ...p })).publicKey)),
    );
    keys.push(bytesToHex((await deriveIdentityFromSigner(wallet)).publicKey));
    expect(new Set(keys).size).toBe(keys.length);
    // Same parameters, same key; the contract's checksum spelling and the chain id's type do not matter.
    const again = await deriveBoundIdentity({
      signer: new Wallet(wallet.privateKey),
      ...base,
      chainId: 31337,
      contract: registry.toLowerCase(),
    });
    expect(bytesToHex(again.publicKey)).toBe(keys[0]);
  });

  it("a signature made for one origin neither passes for another nor derives another origin's key", async () => {
    const ehr = boundIdentityMessage(base);
    const stolen = await wallet.signTypedData(
      { ...ehr.domain },
      { EncryptionKey: ehr.types.EncryptionKey.map((f) => ({ ...f })) },
      { ...ehr.value },
    );
    // A signer that answers every request with the signature obtained for https://ehr.example.
    const replaying: TypedDataSigner = { getAddress: async () => wallet.address, signTypedData: async () => stolen };
    expect(bytesToHex((await deriveBoundIdentity({ signer: replaying, ...base })).publicKey)).toBe(
      v2Cases[0]?.publicKey,
    );
    for (const other of [
      { ...base, origin: 'https://other.example' },
      { ...base, chainId: 1n },
      { ...base, contract: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' },
    ])
      await expect(deriveBoundIdentity({ signer: replaying, ...other })).rejects.toThrow(IdentityDerivationError);
    // And HKDF over that signature under the v2 derivation gives the ehr key, not the other origin's.
    const ikm = hexToBytes(stolen.slice(2, 130));
    const fromStolen = bytesToHex(
      x25519.getPublicKey(
        hkdf(
          sha256,
          ikm,
          new TextEncoder().encode('mhrchain/identity/v2'),
          new TextEncoder().encode('mhrchain/identity/v2/x25519-secret-key'),
          32,
        ),
      ),
    );
    expect(fromStolen).toBe(v2Cases[0]?.publicKey);
    expect(fromStolen).not.toBe(v2Cases[1]?.publicKey);
  });

  it('rejects bad parameters, a lying signer and a refusing signer', async () => {
    for (const bad of [
      { ...base, origin: '' },
      { ...base, origin: ' https://ehr.example' },
      { ...base, origin: 'x'.repeat(257) },
      { ...base, origin: 7 as never },
      { ...base, chainId: 0n },
      { ...base, chainId: 1.5 },
      { ...base, contract: '0x1234' },
    ])
      await expect(deriveBoundIdentity({ signer: wallet, ...bad })).rejects.toThrow(InvalidParametersError);
    const liar: TypedDataSigner = {
      getAddress: async () => Wallet.createRandom().address,
      signTypedData: (d, t, v) => wallet.signTypedData(d, t, v),
    };
    await expect(deriveBoundIdentity({ signer: liar, ...base })).rejects.toThrow(IdentityDerivationError);
    const refusing: TypedDataSigner = {
      getAddress: async () => wallet.address,
      signTypedData: async () => {
        throw new Error('user rejected');
      },
    };
    await expect(deriveBoundIdentity({ signer: refusing, ...base })).rejects.toThrow(IdentityDerivationError);
  });
});

describe('X25519 through node:crypto and through noble agree', () => {
  it('on the RFC 7748 Diffie-Hellman vector, random keys, and low-order points', async () => {
    const { setNodeX25519, x25519PublicKey, x25519SharedSecret } = await import('./internal/x25519.js');
    const v = x25519Vectors.diffieHellman;
    const cases: { secret: Uint8Array; peer: Uint8Array }[] = [
      { secret: hexToBytes(v.aliceSecret), peer: hexToBytes(v.bobPublic) },
    ];
    for (let i = 0; i < 20; i++)
      cases.push({ secret: generateIdentity().secretKey, peer: generateIdentity().publicKey });
    const run = (node: boolean) => {
      const previous = setNodeX25519(node);
      try {
        return cases.map((c) => [
          bytesToHex(x25519PublicKey(c.secret)),
          bytesToHex(x25519SharedSecret(c.secret, c.peer)),
        ]);
      } finally {
        setNodeX25519(previous);
      }
    };
    const viaNode = run(true);
    expect(viaNode).toEqual(run(false));
    expect(viaNode[0]).toEqual([v.alicePublic, v.shared]);
    for (const node of [true, false]) {
      const previous = setNodeX25519(node);
      try {
        expect(() => x25519SharedSecret(hexToBytes(v.aliceSecret), new Uint8Array(32))).toThrow();
        expect(() => x25519SharedSecret(hexToBytes(v.aliceSecret), hexToBytes(`01${'00'.repeat(31)}`))).toThrow();
      } finally {
        setNodeX25519(previous);
      }
    }
  });
});
