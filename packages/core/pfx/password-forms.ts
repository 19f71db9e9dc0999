/**
 * The byte forms one typed password may have taken when the file was written.
 *
 * A PKCS#12 file never stores the password, only keys derived from its bytes, and real software
 * disagreed about those bytes for non-ASCII passwords:
 * - the standard: BMPString (UTF-16BE + two zero bytes) for the PKCS#12 KDF (MAC, legacy PBE) and
 *   UTF-8 octets for PBKDF2 (PBES2, PBMAC1) — what OpenSSL 1.1+ and Java write;
 * - old Windows (CryptoAPI on a Latin-1 code page): ISO-8859-1 octets for PBKDF2, and a BMPString
 *   made by widening each Latin-1 byte (for Latin-1 text, the same bytes as the standard one);
 * - OpenSSL before 1.1.0 on a UTF-8 system: a BMPString made by widening each UTF-8 byte.
 * The forms are tried in this fixed order; the first is the only one for an ASCII password.
 */
import { bmpPassword, utf8Password, type Password } from './kdf';

export type PasswordEncoding = 'standard' | 'latin1' | 'widened-utf8';

export interface PasswordForm {
  encoding: PasswordEncoding;
  /** Input of the PKCS#12 KDF (RFC 7292 B.1). */
  bmp: Buffer;
  /** Input of PBKDF2 / PBKDF1 (PKCS#5). */
  octets: Buffer;
}

/** Each byte becomes one UTF-16BE code unit (00 xx), plus the two-byte terminator. */
function widened(bytes: Buffer): Buffer {
  const out = Buffer.alloc(bytes.length * 2 + 2);
  bytes.forEach((byte, index) => (out[index * 2 + 1] = byte));
  return out;
}

export function passwordForms(password: Password): PasswordForm[] {
  const forms: PasswordForm[] = [{ encoding: 'standard', bmp: bmpPassword(password), octets: utf8Password(password) }];
  if (password === null || /^[\x00-\x7f]*$/.test(password)) return forms;
  if (/^[\x00-\xff]*$/.test(password)) {
    const latin1 = Buffer.from(password, 'latin1');
    forms.push({ encoding: 'latin1', bmp: widened(latin1), octets: latin1 });
  }
  const utf8 = utf8Password(password);
  forms.push({ encoding: 'widened-utf8', bmp: widened(utf8), octets: utf8 });
  return forms;
}
