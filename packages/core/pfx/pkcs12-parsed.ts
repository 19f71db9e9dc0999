import type { Node } from './asn1';

/** A PFX parsed for structure only (parsePfx in pkcs12.ts); its parts are read lazily and kept. */
export interface ParsedPfx {
  authSafe: Buffer;
  macData: Node | undefined;
  /** Bytes after the end of the PFX structure (zero padding from .NET), ignored. */
  trailing: number;
  /** The AuthenticatedSafe's parts once parsed: planning and every password's reading share them. */
  parts?: Node[];
  /** The bags of each plain (unencrypted) part once parsed, by part, with their counts. */
  plain?: Map<Node, { bags: Node[]; certificates: number; keys: number }>;
}
