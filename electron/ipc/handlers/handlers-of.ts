/**
 * The mapped type that binds a slice of the contract to code: exactly one
 * handler per method, with the contract's request and response types.
 */
export type HandlersOf<Api> = {
  [M in keyof Api]: (request: Api[M] extends { request: infer R } ? R : never) => Promise<Api[M] extends { response: infer R } ? R : never>;
};
