import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analyzeCredential, DEFAULT_AGE_RULES, riskFrom, type CredentialUnderAnalysis } from './analyze.js';
import { BASE62_DIGITS_UPPER_FIRST, crc32, toBase62 } from './crc32.js';
import { detectFormat, githubChecksumValid } from './key-formats.js';
import { estimateStrength } from './strength.js';
import { entropyBits, isPlaceholder, pastedArtifacts, patternProblems, readJwt } from './value-checks.js';
import { nearDuplicateKey, strengthFastPath } from './vault-health.js';

const NOW = new Date('2026-11-25T12:00:00Z');

function githubToken(prefix = 'ghp_'): string {
  const random = [...randomBytes(30)].map((b) => BASE62_DIGITS_UPPER_FIRST[b % 62]).join('');
  return prefix + random + toBase62(crc32(random), BASE62_DIGITS_UPPER_FIRST, 6);
}

function jwt(payload: object, alg = 'HS256'): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg, typ: 'JWT' })}.${enc(payload)}.${randomBytes(32).toString('base64url')}`;
}

/**
 * 32 random bytes, drawn again in the rare case (about 1 in 6,000) that they
 * hold a run the pattern check rightly flags ("aaaa", "abcd"): the tests
 * below mean a secret with nothing wrong in it.
 */
function randomSecret(): string {
  for (;;) {
    const value = randomBytes(32).toString('base64url');
    if (patternProblems(value).length === 0) return value;
  }
}

function credential(overrides: Partial<CredentialUnderAnalysis>): CredentialUnderAnalysis {
  return {
    id: 'id-1',
    name: 'example',
    type: 'api_key',
    provider: '',
    tags: [],
    active: true,
    createdAt: '2026-11-20T00:00:00Z',
    lastRotatedAt: null,
    expiresAt: null,
    version: 1,
    value: randomSecret(),
    strength: null,
    policyViolations: [],
    reusedWith: 0,
    nearDuplicates: 0,
    ...overrides,
  };
}

const kinds = (c: Partial<CredentialUnderAnalysis>) => analyzeCredential(credential(c), NOW).findings.map((f) => f.kind);

describe('CRC32 and GitHub-style checksums', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
  });
  it('accepts tokens whose last six characters are the base62 CRC32 of the rest, and rejects altered ones', () => {
    const token = githubToken();
    expect(githubChecksumValid(token)).toBe(true);
    const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(githubChecksumValid(altered)).toBe(false);
    const typo = token.slice(0, 10) + (token[10] === 'x' ? 'y' : 'x') + token.slice(11);
    expect(githubChecksumValid(typo)).toBe(false);
    expect(detectFormat(githubToken('npm_'))).toMatchObject({ wellFormed: true, checksumValid: true });
  });
});

describe('format recognition', () => {
  it.each([
    ['ghp_' + 'a'.repeat(36), 'github_pat'],
    ['github_pat_' + 'A1_'.repeat(27) + 'x', 'github_fine_grained'],
    ['AKIAZ2345672345672AB'.slice(0, 20), 'aws_access_key_id'],
    ['sk_live_' + 'a1B2'.repeat(6), 'stripe'],
    ['xoxb-1234567890-1234567890123-abcDEF', 'slack_bot'],
    ['sk-ant-api03-' + 'a'.repeat(93) + 'AA', 'anthropic'],
    ['sk-' + 'a'.repeat(20) + 'T3BlbkFJ' + 'b'.repeat(20), 'openai'],
    ['AIza' + 'x'.repeat(35), 'google_api_key'],
    ['SG.' + 'a'.repeat(22) + '.' + 'b'.repeat(43), 'sendgrid'],
    ['hf_' + 'a'.repeat(34), 'huggingface'],
    ['dop_v1_' + 'a'.repeat(64), 'digitalocean'],
    ['glpat-' + 'a'.repeat(20), 'gitlab_pat'],
  ])('recognises %s as %s', (value, id) => {
    const match = detectFormat(value);
    expect(match?.format.id).toBe(id);
    expect(match?.wellFormed).toBe(true);
  });

  it('prefers the longest prefix (sk-ant- over sk-)', () => {
    expect(detectFormat('sk-ant-api03-short')?.format.id).toBe('anthropic');
  });
});

describe('value checks', () => {
  it.each(['your_api_key_here', 'YOUR-API-KEY', 'changeme', 'xxxxxxxxxxxxxxxx', 'sk_live_xxxxxxxxxxxxxxxxxxxx', '<API_KEY>', '{{token}}', '${SECRET}', 'AKIAIOSFODNN7EXAMPLE', 'TODO', '********'])(
    'flags placeholder %s',
    (v) => expect(isPlaceholder(v)).toBe(true),
  );
  // Generated passwords can start with "<" or "${" and end with ">" or "}": 2 of 2,500 seeded ones were called placeholders.
  it.each(['sk_live_4eC39HqLyjWDarjtT1zdp7dcX', 'Correct-Horse-9-Battery', randomBytes(16).toString('hex'), '<q7#Vx9!mZ2@tWp4$Kd>', '${Ab3!x&Qz9#Lm2^Rt}', '{{7hG#2kP!x9@qL}}'])('does not flag real-looking %s', (v) =>
    expect(isPlaceholder(v)).toBe(false),
  );
  it('notices characters pasted by accident', () => {
    expect(pastedArtifacts(' sk_live_abc')).toEqual(['leading or trailing whitespace']);
    expect(pastedArtifacts('"sk_live_abc"')).toEqual(['surrounding quotes']);
    expect(pastedArtifacts('Bearer abc.def')).toEqual(['a "Bearer " prefix']);
    expect(pastedArtifacts('abc\ndef')).toEqual(['a line break inside the value']);
    expect(pastedArtifacts('abc\u200bdef')).toEqual(['an invisible zero-width character']);
    expect(pastedArtifacts('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----')).toEqual([]);
  });
  it('reads a JWT expiry without verifying it', () => {
    expect(readJwt(jwt({ exp: 1_700_000_000 }))?.expiresAt?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(readJwt(jwt({ sub: 'x' }))).toEqual({ alg: 'HS256', expiresAt: null });
    expect(readJwt('not.a.jwt')).toBeNull();
  });
  it('estimates entropy from alphabet and distribution, counting runs once', () => {
    expect(entropyBits('aaaaaaaaaaaaaaaa')).toBeLessThan(5);
    expect(entropyBits('abcdefghijklmnop')).toBeLessThan(10);
    expect(entropyBits(randomBytes(32).toString('hex'))).toBeGreaterThan(100);
    expect(entropyBits(randomBytes(32).toString('base64url'))).toBeGreaterThan(150);
  });
  it('names repeated and sequential patterns', () => {
    expect(patternProblems('key-aaaa-1')).toContain('a character repeated 4 or more times');
    expect(patternProblems('xx-1234-yy')).toContain('a sequence such as "abcd" or "4321"');
    expect(patternProblems('abab12abab12')).toContain('one block repeated');
    expect(patternProblems(randomBytes(16).toString('base64url').replace(/(.)\1+/g, '$1'))).toEqual([]);
  });
});

describe('strength', () => {
  it.each(['password', 'password123', '123456', 'qwerty', 'letmein', 'iloveyou', 'admin123'])('scores the classic weak password %s at most 1', (pw) => {
    expect(estimateStrength(pw).score).toBeLessThanOrEqual(1);
  });
  it('scores a long random password 4 and gives crack-time wording and feedback', () => {
    const strong = estimateStrength('vR7#qLx9!mZ2@tWp4$Kd');
    expect(strong.score).toBe(4);
    expect(strong.crackTime).toMatch(/centuries|years/);
    const weak = estimateStrength('password1');
    expect(weak.warning).toBeTruthy();
    expect(weak.suggestions.length).toBeGreaterThan(0);
  });
  it('uses the context words (name, username) against the password', () => {
    expect(estimateStrength('acmecorp2024', ['acmecorp']).score).toBeLessThanOrEqual(estimateStrength('acmecorp2024').score);
  });
  it('takes the fast path only for long, varied, high-entropy values', () => {
    expect(strengthFastPath('vR7#qLx9!mZ2@tWp4$Kd')?.score).toBe(4);
    expect(strengthFastPath('correct horse battery staple')).toBeNull();
    expect(strengthFastPath('Password1!')).toBeNull();
  });
  it('folds near-duplicate passwords to one key', () => {
    expect(nearDuplicateKey('Summer2024!')).toBe(nearDuplicateKey('summer2025'));
    expect(nearDuplicateKey('P@ssw0rd')).toBe(nearDuplicateKey('password99'));
    expect(nearDuplicateKey('Summer2024!')).not.toBe(nearDuplicateKey('Winter2024!'));
  });
});

describe('findings per credential', () => {
  it('finds nothing wrong with a fresh random API secret', () => {
    const report = analyzeCredential(credential({}), NOW);
    expect(report.findings).toEqual([]);
    expect(report.risk).toBe(0);
  });
  it('flags a test key on a credential not tagged test/dev/sandbox, but not when tagged', () => {
    const value = 'sk_test_' + randomBytes(18).toString('hex');
    expect(kinds({ provider: 'stripe', value })).toContain('test_key');
    expect(kinds({ provider: 'stripe', value, tags: ['sandbox'] })).not.toContain('test_key');
  });
  it('flags a key that belongs to another provider', () => {
    expect(kinds({ provider: 'openai', value: githubToken() })).toContain('provider_mismatch');
  });
  it('flags a GitHub token with a broken checksum as invalid', () => {
    const token = githubToken();
    const broken = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(kinds({ provider: 'github', value: token })).not.toContain('invalid_format');
    expect(kinds({ provider: 'github', value: broken })).toContain('invalid_format');
  });
  it('flags a value that matches none of its provider’s formats', () => {
    expect(kinds({ provider: 'stripe', value: randomBytes(24).toString('hex') })).toContain('invalid_format');
  });
  it('flags placeholders, pasted whitespace and low entropy', () => {
    expect(kinds({ value: 'your_api_key_here' })).toContain('placeholder');
    expect(kinds({ value: ` ${randomBytes(32).toString('hex')}` })).toContain('pasted_whitespace');
    expect(kinds({ value: 'short-key-1' })).toContain('low_entropy');
  });
  it('flags expired and expiring JWTs by their exp claim', () => {
    expect(kinds({ type: 'token', value: jwt({ exp: Math.floor(NOW.getTime() / 1000) - 60 }) })).toContain('jwt_expired');
    expect(kinds({ type: 'token', value: jwt({ exp: Math.floor(NOW.getTime() / 1000) + 3 * 86400 }) })).toContain('jwt_expiring');
    expect(kinds({ type: 'token', value: jwt({ exp: Math.floor(NOW.getTime() / 1000) + 60 * 86400 }) })).not.toContain('jwt_expiring');
  });
  it('flags weak passwords from the estimator and policy violations stored with --force', () => {
    const weak = estimateStrength('password123');
    const k = kinds({ type: 'password', value: 'password123', strength: weak, policyViolations: [{ rule: 'min_length', message: 'must be at least 12 characters' }] });
    expect(k).toEqual(expect.arrayContaining(['weak_password', 'policy_violation']));
  });
  it('flags reuse and near duplicates', () => {
    expect(kinds({ reusedWith: 2 })).toContain('reused');
    expect(kinds({ type: 'password', strength: estimateStrength('vR7#qLx9!mZ2@tWp4$Kd'), nearDuplicates: 1 })).toContain('near_duplicate');
  });
  it('flags age against the rotation interval and max age, and expiry, for active credentials only', () => {
    const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString();
    expect(kinds({ createdAt: at(31) })).toContain('rotation_due');
    expect(kinds({ createdAt: at(91) })).toContain('stale');
    expect(kinds({ createdAt: at(200), lastRotatedAt: at(5) })).toEqual([]);
    expect(kinds({ expiresAt: at(1) })).toContain('expired');
    expect(kinds({ expiresAt: at(-3) })).toContain('expiring');
    expect(kinds({ expiresAt: at(1), createdAt: at(200), active: false })).toEqual([]);
    expect(DEFAULT_AGE_RULES).toEqual({ intervalDays: 30, maxAgeDays: 90, reminderLeadDays: 7 });
    expect(kinds({ createdAt: at(31), rules: { intervalDays: 60, maxAgeDays: 120, reminderLeadDays: 7 } })).toEqual([]);
  });
  it('never tells the user to generate a value the provider issues (issue 9, item 13)', () => {
    const fixOf = (c: Partial<CredentialUnderAnalysis>) => analyzeCredential(credential(c), NOW).findings.find((f) => f.kind === 'pattern')?.fix;
    const patterned = 'sk_live_abcd1234' + randomBytes(12).toString('hex');
    expect(fixOf({ provider: 'stripe', value: patterned })).toBe('Create a new key at stripe, then paste it with Rotate (or set a rotator).');
    expect(fixOf({ type: 'secret', value: patterned })).toBe('Rotate it with a generated value.');
  });
  it('combines findings into a bounded risk score, highest severity first', () => {
    const report = analyzeCredential(credential({ value: 'changeme', reusedWith: 1, expiresAt: '2026-01-01T00:00:00Z' }), NOW);
    expect(report.findings[0]!.severity).toBe('critical');
    expect(report.risk).toBeGreaterThan(90);
    expect(report.risk).toBeLessThanOrEqual(100);
    expect(riskFrom([])).toBe(0);
    for (const f of report.findings) {
      expect(f.message).not.toContain('changeme');
      expect(f.fix.length).toBeGreaterThan(3);
    }
  });
});
