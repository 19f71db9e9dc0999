/** A CRL that cannot be read or used, with the reason in Portuguese (it ends up in the verdict). */
export class CrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrlError';
  }
}
