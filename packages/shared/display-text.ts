/**
 * Text read from a certificate (holder, issuer, file names…) is attacker-controlled. Before it is
 * shown, on a terminal or in the app, it goes through `displayText`:
 *
 * - terminal control sequences (ESC [ … CSI, ESC ] … OSC, other ESC sequences, the 8-bit CSI
 *   U+009B) and any other C0/C1 control character (BEL, backspace, DEL…) are removed; tab and line
 *   breaks become a space, so a name stays on its line;
 * - bidirectional override / isolate / mark characters, which can make `exe.pdf` read as
 *   `fdp.exe`, are replaced by a visible marker such as `⟦U+202E⟧`.
 */

/** ESC-introduced sequences: CSI (ESC [ params final), OSC / DCS / PM / APC / SOS strings, then two-byte escapes. */
const ESCAPE_SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|\u001b[\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|[\u0090\u0098\u009d-\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]?/g;
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, ALM. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

const marker = (char: string): string => `⟦U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟧`;

/** Terminal control characters and sequences removed (see above); everything else untouched. */
export function stripControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(LINE_BREAKS, ' ').replace(CONTROL, '');
}

/** Bidirectional formatting characters made visible as `⟦U+XXXX⟧`. */
export function showBidi(text: string): string {
  return text.replace(BIDI, marker);
}

/** What every place that shows a certificate-derived name uses (CLI and renderer). */
export function displayText(text: string): string;
export function displayText(text: string | null | undefined): string | null | undefined;
export function displayText(text: string | null | undefined): string | null | undefined {
  return typeof text === 'string' ? showBidi(stripControls(text)) : text;
}
