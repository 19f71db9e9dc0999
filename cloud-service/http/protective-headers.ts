/**
 * Headers on every answer of the API (JSON only, never a page): no MIME sniffing, never framed,
 * nothing loaded on its behalf, no referrer, not cached. Written here rather than through a helmet
 * plugin: a JSON API needs these few, and each is one line to read.
 */
export const protectiveHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
} as const;
