import { describe, expect, it } from 'vitest';
import { displayText, showBidi, stripControls } from '@certdesk/shared/display-text';

describe('displayText (names from certificates, CLI and renderer alike)', () => {
  it('removes ANSI / OSC sequences and every C0 / C1 control character', () => {
    expect(stripControls('\u001b[31mX\u001b[0m')).toBe('X');
    expect(stripControls('a\u001b]0;title\u0007b')).toBe('ab');
    expect(stripControls('a\u009b2Jb\u0007c\u0000d\u007fe\u0085f')).toBe('abcde f');
    expect(stripControls('one\ntwo\tthree\r')).toBe('one two three ');
    expect(stripControls('\u001bcreset')).toBe('reset');
  });

  it('shows bidirectional override, isolate and mark characters as visible markers', () => {
    expect(showBidi('\u202Egnp.exe')).toBe('⟦U+202E⟧gnp.exe');
    const all = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    expect(showBidi(all)).toBe(
      ['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069', '200E', '200F', '061C'].map((c) => `⟦U+${c}⟧`).join(''),
    );
  });

  it('does both, and leaves ordinary accented text and nullish values alone', () => {
    expect(displayText('EVIL \u001b[31mX \u202Egnp.exe')).toBe('EVIL X ⟦U+202E⟧gnp.exe');
    expect(displayText('JOÃO DA SILVA — São Paulo')).toBe('JOÃO DA SILVA — São Paulo');
    expect(displayText(null)).toBeNull();
    expect(displayText(undefined)).toBeUndefined();
  });
});
