/** Randomness as a port. The only production implementation is the OS CSPRNG. */
import { randomBytes, randomUUID } from 'node:crypto';

export interface Random {
  bytes(length: number): Buffer;
  uuid(): string;
}

export const systemRandom: Random = {
  bytes: (length) => randomBytes(length),
  uuid: () => randomUUID(),
};
