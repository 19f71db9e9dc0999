/**
 * Bytes as an ArrayBuffer to transfer to a worker thread. A Buffer is often a view into a shared
 * pool: only its own bytes are copied. The caller's whole buffer is handed over, without a copy,
 * only when it may give it up (`handOver`) and the view spans all of it.
 */
export function transferableBytes(bytes: Uint8Array, handOver: boolean): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return handOver && whole ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer;
}
