/** A source of random bytes. Production code uses the platform CSPRNG; tests inject a seeded one for golden vectors. */
export type RandomBytes = (length: number) => Uint8Array;

/** The platform CSPRNG (`crypto.getRandomValues`). */
export const secureRandom: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));
