/**
 * A pass over BER/DER bytes that counts what node-forge's parser would build — elements, nesting,
 * pieces of constructed strings — without building anything. node-forge allocates a node per
 * element (~2 µs and a few hundred bytes each, measured), so a 10 MB file of empty BER chunks cost
 * 17 s and 1.4 GB before this count let the budget refuse it first.
 *
 * It reads the way forge reads (one-byte tags; a length past the end is cut to what remains, as
 * forge's lenient mode does; an indefinite length runs to its end-of-contents), so its counts are
 * the parser's. Bytes forge would reject stop the count: the parser then reports the damage.
 */

export interface Asn1Counts {
  elements: number;
  /** Deepest nesting seen: 1 for a lone primitive. */
  depth: number;
  /** OCTET / BIT STRING pieces that are not fields of a SEQUENCE or SET: BER's chunked strings. */
  chunks: number;
  /**
   * Direct children of the first element: the bags of a SafeContents, the parts of an
   * AuthenticatedSafe. Still counted past the ceiling (by skipping over each child) so that a
   * refusal can name the real number, unless a child of indefinite length hides its end.
   */
  children: number;
}

/** Stop counting as soon as one of these is passed: the caller refuses the bytes anyway. */
export interface Asn1Ceiling {
  elements: number;
  depth: number;
  chunks: number;
}

const UNIVERSAL_SEQUENCE = 0x30;
const UNIVERSAL_SET = 0x31;
const OCTET_STRING = 0x04;
const BIT_STRING = 0x03;

interface Frame {
  tag: number;
  /** Offset the element's content ends at (definite), or where its children may run to (indefinite). */
  end: number;
  indefinite: boolean;
  /** A child of the first element whose own first child has not been met yet. */
  awaitingFirst: boolean;
}

/**
 * Told the first field of each child of the first element, as the count passes it: the type OID
 * of each SafeBag, so bags can be told apart before any is parsed. Primitive fields only.
 */
export type FirstFieldVisitor = (tag: number, content: Uint8Array) => void;

/** Count the first element of `bytes` (and everything inside it), stopping past the ceiling. */
export function countAsn1(bytes: Uint8Array, ceiling: Asn1Ceiling, firstField?: FirstFieldVisitor): Asn1Counts {
  const counts: Asn1Counts = { elements: 0, depth: 0, chunks: 0, children: 0 };
  const stack: Frame[] = [];
  let pos = 0;
  let skimming = false;
  for (;;) {
    let limit = bytes.length;
    const parent = stack[stack.length - 1];
    if (parent) {
      if (parent.indefinite) {
        if (parent.end - pos < 2) return counts; // forge: too few bytes
        if (bytes[pos] === 0 && bytes[pos + 1] === 0) {
          pos += 2;
          stack.pop();
          continue;
        }
      } else if (pos >= parent.end) {
        stack.pop();
        continue;
      }
      limit = parent.end;
    } else if (counts.elements > 0) {
      return counts; // the first element is complete
    }

    if (limit - pos < 2) return counts;
    const tag = bytes[pos++]!;
    const first = bytes[pos++]!;
    let length: number | undefined;
    if (first === 0x80) length = undefined;
    else if (first & 0x80) {
      const count = first & 0x7f;
      if (limit - pos < count) return counts;
      let value = 0;
      // The same arithmetic as forge's getInt (32-bit shifts): a length it reads as negative stops it.
      for (let i = 0; i < count; i++) value = (value << 8) + bytes[pos++]!;
      if (value < 0) return counts;
      length = value;
    } else length = first;
    const remaining = limit - pos;
    if (length !== undefined && length > remaining) length = remaining;

    if (skimming) {
      // Past the ceiling: only the first element's children are still counted, each skipped whole.
      counts.children++;
      if (length === undefined) return counts;
      pos += length;
      continue;
    }
    counts.elements++;
    counts.depth = Math.max(counts.depth, stack.length + 1);
    if (stack.length === 1) counts.children++;
    const type = tag & 0xdf; // without the constructed bit
    if (parent && (type === OCTET_STRING || type === BIT_STRING) && parent.tag !== UNIVERSAL_SEQUENCE && parent.tag !== UNIVERSAL_SET) {
      counts.chunks++;
    }
    const awaitingFirst = stack.length === 1;
    if (parent?.awaitingFirst) {
      parent.awaitingFirst = false;
      if (firstField && !(tag & 0x20)) firstField(tag, bytes.subarray(pos, pos + (length ?? remaining)));
    }
    if (tag & 0x20) {
      stack.push(
        length === undefined
          ? { tag, end: limit, indefinite: true, awaitingFirst }
          : { tag, end: pos + length, indefinite: false, awaitingFirst },
      );
    } else {
      pos += length ?? remaining; // forge's lenient reading of a primitive with no length
    }
    if (counts.elements > ceiling.elements || counts.depth > ceiling.depth || counts.chunks > ceiling.chunks) {
      // Skip to the end of the current child of the first element, if every level inside it says where it ends.
      const inner = stack.slice(1);
      if (stack.length === 0 || inner.some((frame) => frame.indefinite)) return counts;
      if (inner.length > 0) pos = inner[0]!.end;
      stack.length = 1;
      skimming = true;
    }
  }
}
