/**
 * Known formats of API keys and tokens (prefix, charset, length, checksum
 * kind), as data that every process may read: the core detects and checks
 * values against them (electron/core/health/key-formats.ts), and the form
 * knows from them which providers issue their own keys (value-issuer.ts).
 * A mismatch is a warning, never a refusal: providers change their formats.
 */
export interface KeyFormat {
  id: string;
  label: string;
  /** Lower-case provider names this format belongs to (the first is canonical). */
  providers: readonly string[];
  prefixes: readonly string[];
  pattern: RegExp;
  checksum?: 'github-crc32';
  /** Test/sandbox keys (e.g. Stripe's sk_test_). */
  isTest?: (value: string) => boolean;
  /** Identifiers that are not secret on their own. */
  identifier?: boolean;
}

export const KEY_FORMATS: readonly KeyFormat[] = [
  { id: 'github_pat', label: 'GitHub classic personal access token', providers: ['github'], prefixes: ['ghp_'], pattern: /^ghp_[0-9A-Za-z]{36}$/, checksum: 'github-crc32' },
  { id: 'github_oauth', label: 'GitHub OAuth access token', providers: ['github'], prefixes: ['gho_'], pattern: /^gho_[0-9A-Za-z]{36}$/, checksum: 'github-crc32' },
  { id: 'github_user_to_server', label: 'GitHub App user-to-server token', providers: ['github'], prefixes: ['ghu_'], pattern: /^ghu_[0-9A-Za-z]{36}$/, checksum: 'github-crc32' },
  { id: 'github_installation', label: 'GitHub App installation token', providers: ['github'], prefixes: ['ghs_'], pattern: /^ghs_[0-9A-Za-z]{36}$/, checksum: 'github-crc32' },
  { id: 'github_refresh', label: 'GitHub refresh token', providers: ['github'], prefixes: ['ghr_'], pattern: /^ghr_[0-9A-Za-z]{36}$/, checksum: 'github-crc32' },
  { id: 'github_fine_grained', label: 'GitHub fine-grained personal access token', providers: ['github'], prefixes: ['github_pat_'], pattern: /^github_pat_\w{82,244}$/ },
  { id: 'npm', label: 'npm access token', providers: ['npm'], prefixes: ['npm_'], pattern: /^npm_[0-9A-Za-z]{36}$/, checksum: 'github-crc32' },
  { id: 'aws_access_key_id', label: 'AWS access key ID', providers: ['aws', 'amazon'], prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], pattern: /^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/, identifier: true },
  {
    id: 'stripe',
    label: 'Stripe secret or restricted key',
    providers: ['stripe'],
    prefixes: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'sk_prod_', 'rk_prod_'],
    pattern: /^(sk|rk)_(live|test|prod)_[a-zA-Z0-9]{10,247}$/,
    isTest: (v) => /^(sk|rk)_test_/.test(v),
  },
  { id: 'stripe_publishable', label: 'Stripe publishable key', providers: ['stripe'], prefixes: ['pk_live_', 'pk_test_'], pattern: /^pk_(live|test)_[a-zA-Z0-9]{10,247}$/, isTest: (v) => v.startsWith('pk_test_'), identifier: true },
  { id: 'slack_bot', label: 'Slack bot token', providers: ['slack'], prefixes: ['xoxb-'], pattern: /^xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*$/ },
  { id: 'slack_user', label: 'Slack user token', providers: ['slack'], prefixes: ['xoxp-', 'xoxe-'], pattern: /^xox[pe](-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}$/ },
  { id: 'slack_app', label: 'Slack app-level token', providers: ['slack'], prefixes: ['xapp-'], pattern: /^xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+$/i },
  { id: 'slack_webhook', label: 'Slack incoming webhook', providers: ['slack'], prefixes: ['https://hooks.slack.com/services/'], pattern: /^https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9+/]{43,56}$/ },
  { id: 'anthropic', label: 'Anthropic API key', providers: ['anthropic'], prefixes: ['sk-ant-api03-'], pattern: /^sk-ant-api03-[A-Za-z0-9_-]{93}AA$/ },
  { id: 'anthropic_admin', label: 'Anthropic admin key', providers: ['anthropic'], prefixes: ['sk-ant-admin01-'], pattern: /^sk-ant-admin01-[A-Za-z0-9_-]{93}AA$/ },
  {
    id: 'openai',
    label: 'OpenAI API key',
    providers: ['openai'],
    prefixes: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-'],
    pattern: /^(sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-(proj|svcacct|admin)-[A-Za-z0-9_-]{58,74}T3BlbkFJ[A-Za-z0-9_-]{58,74}|sk-(proj|svcacct|admin)-[A-Za-z0-9_-]{80,300})$/,
  },
  { id: 'google_api_key', label: 'Google API key', providers: ['google', 'gcp', 'firebase'], prefixes: ['AIza'], pattern: /^AIza[A-Za-z0-9_-]{35}$/ },
  { id: 'twilio_api_key', label: 'Twilio API key SID', providers: ['twilio'], prefixes: ['SK'], pattern: /^SK[0-9a-fA-F]{32}$/ },
  { id: 'twilio_account_sid', label: 'Twilio account SID', providers: ['twilio'], prefixes: ['AC'], pattern: /^AC[0-9a-fA-F]{32}$/, identifier: true },
  { id: 'sendgrid', label: 'SendGrid API key', providers: ['sendgrid', 'twilio'], prefixes: ['SG.'], pattern: /^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/ },
  { id: 'pypi', label: 'PyPI API token', providers: ['pypi'], prefixes: ['pypi-'], pattern: /^pypi-AgEIcHlwaS5vcmc[\w-]{50,1000}$/ },
  { id: 'gitlab_pat', label: 'GitLab personal access token', providers: ['gitlab'], prefixes: ['glpat-'], pattern: /^glpat-([\w-]{20}|[0-9a-zA-Z_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7})$/ },
  {
    id: 'gitlab_other',
    label: 'GitLab token',
    providers: ['gitlab'],
    prefixes: ['gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glffct-'],
    pattern: /^(gl(dt|rt|ft|ffct)-[0-9a-zA-Z_-]{20}|glptt-[0-9a-f]{40}|glimt-[0-9a-zA-Z_-]{25}|glagent-[0-9a-zA-Z_-]{50}|gloas-[0-9a-zA-Z_-]{64}|glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20})$/,
  },
  { id: 'huggingface', label: 'Hugging Face token', providers: ['huggingface', 'hugging face', 'hf'], prefixes: ['hf_'], pattern: /^hf_[A-Za-z]{34}$/ },
  { id: 'digitalocean', label: 'DigitalOcean personal access token', providers: ['digitalocean'], prefixes: ['dop_v1_'], pattern: /^dop_v1_[a-f0-9]{64}$/ },
  { id: 'vault', label: 'HashiCorp Vault service token', providers: ['vault', 'hashicorp'], prefixes: ['hvs.'], pattern: /^hvs\.[\w-]{90,120}$/ },
  { id: 'age', label: 'age secret key', providers: ['age'], prefixes: ['AGE-SECRET-KEY-1'], pattern: /^AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$/ },
  { id: 'pem_private_key', label: 'PEM private key', providers: [], prefixes: ['-----BEGIN'], pattern: /^-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]{64,}-----END [A-Z ]*PRIVATE KEY-----$/ },
  { id: 'jwt', label: 'JSON Web Token', providers: [], prefixes: ['eyJ'], pattern: /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/ },
];

/** The formats a provider is known to use (by the credential's provider field). */
export function formatsForProvider(provider: string): KeyFormat[] {
  const p = provider.trim().toLowerCase();
  if (!p) return [];
  return KEY_FORMATS.filter((f) => f.providers.includes(p));
}
