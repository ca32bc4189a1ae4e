/**
 * Where a rotator command's program is. A rotator is stored with its program as
 * an absolute path, found once, when the user configures (and confirms) it: a
 * path with a folder in it is resolved against the folder the configuring
 * command ran in, a bare name is looked up in PATH — here, in Node, not by a
 * shell. Nothing is ever resolved against the folder Keyward happens to run
 * in later, and every step runs in one fixed folder (`rotatorWorkDir`).
 *
 * Only the first word is resolved: the arguments are passed as written (relative
 * paths among them are relative to the fixed folder).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { parse as parsePath, posix, win32 } from 'node:path';
import { fail } from '../errors.js';

type Platform = NodeJS.Platform;

export interface ResolveContext {
  /** The folder a relative program is resolved against; without it, relative programs are refused. */
  cwd?: string;
  /** Whose PATH (and PATHEXT) bare names are looked up in. */
  env: NodeJS.ProcessEnv;
  platform?: Platform;
}

/**
 * The command's first word as the shell would read it (quotes removed), and the
 * rest as written; null when it cannot be read without running a shell
 * (variables, command substitution, wildcards, an assignment in front).
 */
export function splitProgram(command: string, platform: Platform = process.platform): { program: string; rest: string; tilde: boolean } | null {
  const s = command.replace(/^\s+/, '');
  const windows = platform === 'win32';
  const ends = windows ? /[\s&|<>()]/ : /[\s;&|<>()]/;
  if (!windows && /^[A-Za-z_]\w*=/.test(s)) return null; // FOO=bar prog: an assignment, not a program
  if (s.startsWith('#')) return null;
  let program = '';
  let i = 0;
  while (i < s.length && !ends.test(s[i]!)) {
    const ch = s[i]!;
    if (ch === '"' || (ch === "'" && !windows)) {
      const close = s.indexOf(ch, i + 1);
      if (close < 0) return null;
      const part = s.slice(i + 1, close);
      // Inside double quotes the shell still expands variables and commands.
      if (ch === '"' && (windows ? /[%!]/ : /[$`\\]/).test(part)) return null;
      program += part;
      i = close + 1;
    } else if (ch === '\\' && !windows) {
      if (i + 1 >= s.length) return null;
      program += s[i + 1];
      i += 2;
    } else if ((windows ? /[%!*?^]/ : /[$`*?[\]{}]/).test(ch)) {
      return null;
    } else {
      program += ch;
      i++;
    }
  }
  if (!program) return null;
  return { program, rest: s.slice(i), tilde: s.startsWith('~') };
}

function pathApi(platform: Platform) {
  return platform === 'win32' ? win32 : posix;
}

/** Absolute for real: on Windows with a drive or a share (not "\dir", which depends on the current drive). */
export function isAbsoluteProgram(program: string, platform: Platform = process.platform): boolean {
  if (platform === 'win32') return /^[A-Za-z]:[\\/]/.test(program) || /^[\\/]{2}[^\\/]/.test(program);
  return program.startsWith('/');
}

/** A regular file this user may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up in PATH the way a shell would, skipping empty and relative entries (they mean "the current folder"). */
export function searchPath(name: string, env: NodeJS.ProcessEnv, platform: Platform = process.platform): string | null {
  const api = pathApi(platform);
  const pathValue = (platform === 'win32' ? (env.Path ?? env.PATH ?? env.path) : env.PATH) ?? '';
  const extensions =
    platform === 'win32' && !api.extname(name)
      ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)
      : [''];
  for (const dir of pathValue.split(platform === 'win32' ? ';' : ':')) {
    if (!dir || !isAbsoluteProgram(dir, platform)) continue;
    for (const ext of extensions) {
      const candidate = api.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

export function quoteForShell(path: string, platform: Platform = process.platform): string {
  if (platform === 'win32') return /^[\w:\\/.-]+$/.test(path) ? path : `"${path}"`;
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function shown(program: string): string {
  return program.length > 200 ? `${program.slice(0, 200)}…` : program;
}

/**
 * The command with its program replaced by the absolute path it resolves to now.
 * Throws BAD_REQUEST naming the program when it cannot be resolved to an executable file.
 */
export function resolveCommand(command: string, field: string, context: ResolveContext): string {
  const platform = context.platform ?? process.platform;
  const api = pathApi(platform);
  const split = splitProgram(command, platform);
  if (!split)
    throw fail.badRequest(
      `The ${field} command must start with the program to run, written as a path or a name (no variables, wildcards or assignments in front of it).`,
      field,
    );
  let { program } = split;
  if (split.tilde && (program === '~' || program.startsWith('~/') || (platform === 'win32' && program.startsWith('~\\')))) program = api.join(homedir(), program.slice(1));
  else if (split.tilde) throw fail.badRequest(`The ${field} command's program "${shown(program)}" could not be found; give an absolute path or a program on PATH.`, field);

  let resolved: string | null;
  const hasFolder = platform === 'win32' ? /[\\/]/.test(program) : program.includes('/');
  if (isAbsoluteProgram(program, platform)) resolved = api.normalize(program);
  else if (hasFolder) {
    if (!context.cwd || !isAbsoluteProgram(context.cwd, platform))
      throw fail.badRequest(
        `The ${field} command's program "${shown(program)}" is a relative path, which would depend on the folder Keyward runs in; give an absolute path.`,
        field,
      );
    resolved = api.resolve(context.cwd, program);
  } else resolved = searchPath(program, context.env, platform);

  if (!resolved || !existsSync(resolved))
    throw fail.badRequest(`The ${field} command's program "${shown(split.program)}" could not be found; give an absolute path or a program on PATH.`, field);
  if (!isExecutableFile(resolved)) {
    throw fail.badRequest(
      `The ${field} command's program "${shown(resolved)}" is not an executable file (a folder, or a file without execute permission: chmod +x); give an absolute path or a program on PATH.`,
      field,
    );
  }
  return quoteForShell(resolved, platform) + split.rest;
}

/** The stored command's program when it is an absolute path (what every stored rotator must have), else null. */
export function absoluteProgramOf(command: string, platform: Platform = process.platform): string | null {
  const split = splitProgram(command, platform);
  return split && isAbsoluteProgram(split.program, platform) ? split.program : null;
}

/** The fixed folder every rotator step runs in: the user's home folder (the file-system root if there is none). */
export function rotatorWorkDir(): string {
  const home = homedir();
  try {
    if (home && statSync(home).isDirectory()) return home;
  } catch {
    /* no home folder */
  }
  return parsePath(process.cwd()).root || '/';
}
