import type { PfxOpenResult } from '@certdesk/shared/contract';
import type { StoreError } from './latest';

/** One file of the inspector (its own module: the inspector and its network checks both read it). */
export type ItemStatus = 'queued' | 'reading' | 'locked' | 'done' | 'error';

export interface InspectItem {
  id: number;
  name: string;
  path: string;
  status: ItemStatus;
  result: PfxOpenResult | null;
  error: StoreError | null;
  /** The last password tried for this file was wrong. */
  wrongPassword: boolean;
  /** The network is being asked for its chain and revocation (trust-checks.ts). */
  trustChecking?: boolean;
}
