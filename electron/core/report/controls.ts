/**
 * Which controls each metric of the security report supports evidence for:
 * one table, so the CLI's HTML, the app's screen and the docs agree. The
 * wording is "supports evidence for", never "complies with": a password
 * manager's figures are one input to an assessment, not the assessment.
 */
import type { ControlRef } from '../../../shared/report.js';

const pci = (id: string, title: string): ControlRef => ({ framework: 'PCI DSS v4.0', id, title });
const iso = (id: string, title: string): ControlRef => ({ framework: 'ISO/IEC 27001:2022', id, title });

const A517 = iso('A.5.17', 'Authentication information');
const A518 = iso('A.5.18', 'Access rights');
const A515 = iso('A.5.15', 'Access control');
const A816 = iso('A.8.15', 'Logging');

export const METRIC_CONTROLS: Record<string, ControlRef[]> = {
  strength: [pci('8.3.6', 'Passwords meet minimum length and complexity'), A517],
  policy: [pci('8.3.6', 'Passwords meet minimum length and complexity'), pci('8.3.4', 'Invalid authentication attempts are limited'), A517, iso('A.5.16', 'Identity management')],
  reuse: [pci('8.3.7', 'A new password differs from previous ones'), A517],
  rotation: [pci('8.3.9', 'Passwords used as the only factor are changed at least every 90 days'), pci('8.6.3', 'Application and system account passwords changed periodically and on suspicion of compromise'), A517],
  stale: [pci('8.6.3', 'Application and system account passwords changed periodically and on suspicion of compromise'), A518],
  unused: [A515, A518, { framework: 'GDPR', id: 'Art. 5(1)(c)', title: 'Data minimisation' }, { framework: 'GDPR', id: 'Art. 17', title: 'Right to erasure (remove what is no longer needed)' }],
  audit: [
    pci('10.2.1', 'Audit logs are enabled and active'),
    pci('10.2.2', 'Audit logs record user, event, time, outcome and affected resource'),
    pci('10.3.2', 'Audit logs are protected from modification'),
    pci('10.3.4', 'Change detection on audit logs'),
    A816,
    { framework: 'SOX', id: '§404 (ITGC)', title: 'Audit trail of access to and changes of credentials, tamper-evident' },
  ],
  incidents: [pci('10.4.1', 'Audit logs are reviewed'), pci('10.7.2', 'Failures of critical security controls are detected and responded to'), pci('12.10.1', 'An incident response plan exists and is used'), A816],
};
