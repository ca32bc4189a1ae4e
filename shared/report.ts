/**
 * The security report (`keyward report`, the app's Reports screen): the
 * vault's security metrics, each with the controls it supports evidence for.
 * Evidence, never certification. Never a value.
 */
import type { IsoTime } from './domain.js';

export type MetricStatus = 'good' | 'attention' | 'bad' | 'info';

/** A control a metric supports evidence for, with why. */
export interface ControlRef {
  framework: 'PCI DSS v4.0' | 'ISO/IEC 27001:2022' | 'SOX' | 'GDPR';
  /** "8.3.6", "A.5.17", "Art. 5(1)(c)", "§404 (ITGC)". */
  id: string;
  title: string;
}

export interface ReportMetric {
  id: string;
  title: string;
  /** The figure, as shown: "92 %", "3", "intact". */
  value: string;
  /** One or two sentences: what it counts and what to do. */
  detail: string;
  status: MetricStatus;
  controls: ControlRef[];
}

export interface SecurityReport {
  generatedAt: IsoTime;
  vault: { id: string; createdAt: IsoTime; credentialCount: number; kdfIterations: number; keychain: boolean; keyCreatedAt: IsoTime };
  metrics: ReportMetric[];
  /** Password credentials by estimator score 0–4. */
  strengthDistribution: [number, number, number, number, number];
  /** The rules in force, in words ("Rotation interval: 30 days"). */
  policy: { name: string; value: string }[];
}
