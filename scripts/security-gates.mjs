// The logic of the security gates (`npm run security`), kept free of I/O so
// scripts/security-gates.test.ts can check it: comparing Electronegativity's
// findings with the accepted list, and checking npm's allowScripts policy
// against the packages that have install scripts. docs/security-gates.md.

/** A finding's file as the accepted list names it: repo-relative, "/" separators, hashed asset names as "-*". */
export function findingFile(file) {
  if (!file || file === 'N/A') return '(global)';
  const posix = String(file).split('\\').join('/');
  // Vite names built assets name-<8 hash chars>.ext; the hash changes with every build.
  return posix.replace(/^(dist\/renderer\/assets\/.+?)-[A-Za-z0-9_-]{8}(\.[a-z0-9]+)$/, '$1-*$2');
}

const keyOf = (check, file) => `${check}\u0000${file}`;

/** Problems with the accepted list itself: every entry needs a check, a file and a real reason, once. */
export function acceptedListProblems(accepted) {
  const problems = [];
  if (!Array.isArray(accepted)) return ['"accepted" must be an array.'];
  const seen = new Set();
  accepted.forEach((a, i) => {
    const where = `accepted[${i}]`;
    if (!a || typeof a !== 'object') return problems.push(`${where} is not an object.`);
    if (typeof a.check !== 'string' || !/^[A-Z0-9_]+$/.test(a.check)) problems.push(`${where}: "check" must be an Electronegativity check id.`);
    if (typeof a.file !== 'string' || !a.file) problems.push(`${where}: "file" is required ("(global)" for a global check).`);
    if (typeof a.reason !== 'string' || a.reason.trim().length < 40) problems.push(`${where} (${a.check}): "reason" must say why this is acceptable (at least 40 characters).`);
    if (a.count !== undefined && !(Number.isInteger(a.count) && a.count >= 1)) problems.push(`${where} (${a.check}): "count" must be a positive integer.`);
    const key = keyOf(a.check, a.file);
    if (seen.has(key)) problems.push(`${where}: ${a.check} in ${a.file} is listed twice.`);
    seen.add(key);
  });
  return problems;
}

/**
 * Splits findings into accepted and unexpected. An entry accepts up to
 * `count` (default 1) findings of its check in its file, so a second
 * openExternal in an accepted file still fails. Entries that match nothing
 * are stale: the finding went away, so the entry (and its doc line) must go too.
 */
export function compareFindings(findings, accepted) {
  const budget = new Map(accepted.map((a) => [keyOf(a.check, a.file), { entry: a, left: a.count ?? 1, used: 0 }]));
  const unexpected = [];
  const matched = [];
  for (const f of findings) {
    const slot = budget.get(keyOf(f.check, f.file));
    if (slot && slot.left > 0) {
      slot.left--;
      slot.used++;
      matched.push({ ...f, reason: slot.entry.reason });
    } else unexpected.push(f);
  }
  const stale = [...budget.values()].filter((s) => s.used === 0).map((s) => s.entry);
  return { matched, unexpected, stale };
}

/** Accepted entries the docs do not list: the check id and the file must appear on one line (a table row). */
export function undocumented(accepted, docText) {
  const lines = String(docText).split('\n');
  return accepted.filter((a) => !lines.some((line) => line.includes(a.check) && line.includes(a.file)));
}

/** The package name of a package-lock "packages" key ("node_modules/a/node_modules/@s/b" → "@s/b"). */
export function packageNameOf(lockKey) {
  const i = lockKey.lastIndexOf('node_modules/');
  return i < 0 ? null : lockKey.slice(i + 'node_modules/'.length);
}

/** Splits an allowScripts key: "name", "name@*", "name@1.2.3", "name@1.2.3 || 1.2.4", "@scope/name@1.0.0". */
export function parsePolicyKey(key) {
  const at = key.indexOf('@', key.startsWith('@') ? 1 : 0);
  if (at < 0) return { name: key, versions: null };
  const spec = key.slice(at + 1).trim();
  const name = key.slice(0, at);
  if (spec === '' || spec === '*') return { name, versions: null };
  const versions = spec.split('||').map((v) => v.trim());
  return { name, versions: versions.every((v) => /^\d+\.\d+\.\d+(?:-[\w.-]+)?$/.test(v)) ? versions : 'invalid' };
}

/**
 * What npm's allowScripts policy says for one installed package: true
 * (allowed), false (denied) or null (unreviewed), with notes. Mirrors npm 11:
 * a deny wins; ranges are ignored; a version pin can only be verified from
 * the lockfile's "resolved" URL — without one (this project's lockfile has
 * none) npm refuses a pinned approval but still honours a pinned denial.
 */
export function policyFor(name, entry, allowScripts) {
  let allow = false;
  let deny = false;
  const notes = [];
  for (const [key, value] of Object.entries(allowScripts ?? {})) {
    const parsed = parsePolicyKey(key);
    if (parsed.name !== name) continue;
    if (parsed.versions === 'invalid') {
      notes.push(`allowScripts "${key}": npm ignores ranges and tags; use a bare name or exact versions.`);
      continue;
    }
    if (parsed.versions) {
      if (!entry.resolved) {
        if (value === false) deny = true;
        else notes.push(`allowScripts "${key}": npm cannot verify a version pin without a "resolved" URL in package-lock.json, so it refuses this approval; use "${name}": true.`);
        continue;
      }
      if (!parsed.versions.includes(entry.version)) continue;
    }
    if (value === false) deny = true;
    else if (value === true) allow = true;
    else notes.push(`allowScripts "${key}" must be true or false.`);
  }
  return { policy: deny ? false : allow ? true : null, notes };
}

/**
 * Every package in package-lock.json that has an install script, with the
 * policy npm applies to it; plus allowScripts entries that match no such
 * package (stale: they would silently approve a package that gains a script).
 */
export function installScriptReport(lock, allowScripts) {
  const packages = [];
  const names = new Set();
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key || !entry?.hasInstallScript) continue;
    const name = packageNameOf(key);
    if (!name) continue;
    names.add(name);
    packages.push({ key, name, version: entry.version, ...policyFor(name, entry, allowScripts) });
  }
  const stale = Object.keys(allowScripts ?? {}).filter((key) => !names.has(parsePolicyKey(key).name));
  return { packages, stale };
}
