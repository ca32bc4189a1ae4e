/** How a command answers: JSON for scripts (--json), text for people; errors on stderr. */
export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface Output {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function emit(o: Output, data: unknown, human: () => string): void {
  o.out(o.json ? JSON.stringify(data, null, 2) : human());
}
