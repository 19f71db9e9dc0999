/**
 * Reads what a status service answered: retConsStatServ (NF-e) / retConsStatServCTe (CT-e) inside
 * whatever result wrapper the server uses (nfeResultMsg, cteStatusServicoCTResult…), a SOAP Fault
 * (1.2 Reason/Text or 1.1 faultstring), an HTML page (a proxy's, a portal's, an IIS error), or
 * something that is not XML at all. A strict, namespace-aware SAX parser: no entity is fetched or
 * expanded beyond XML's five, and the caller has already capped the size.
 */
import sax from 'sax';
import type { SefazAnswer } from '@certdesk/shared/sefaz';

export type ParsedAnswer =
  { kind: 'answer'; answer: SefazAnswer } | { kind: 'fault'; text: string } | { kind: 'html' } | { kind: 'malformed'; reason: string };

const FIELDS = ['tpAmb', 'verAplic', 'cStat', 'xMotivo', 'cUF', 'dhRecbto', 'tMed', 'dhRetorno', 'xObs'] as const;
type Field = (typeof FIELDS)[number];
/** SEFAZ's own texts are at most 255 characters; anything longer is cut for display. */
const MAX_TEXT = 500;

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

function looksLikeHtml(body: string, contentType: string | undefined): boolean {
  if (contentType && /^\s*text\/html/i.test(contentType)) return true;
  return /^\s*(<!doctype\s+html|<html[\s>])/i.test(body.slice(0, 512));
}

const number = (text: string | undefined): number | null => (text !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : null);

export function parseStatusAnswer(body: string, answerElement: string, contentType?: string): ParsedAnswer {
  if (looksLikeHtml(body, contentType)) return { kind: 'html' };
  if (!body.trim()) return { kind: 'malformed', reason: 'resposta vazia' };

  const parser = sax.parser(true, { xmlns: true, trim: false, position: false });
  const stack: string[] = [];
  const fields: Partial<Record<Field, string>> = {};
  let inAnswer = -1; // depth of the answer element, -1 outside it
  let sawAnswer = false;
  let faultDepth = -1;
  let sawFault = false;
  let faultText = '';
  let text = '';
  let error: string | null = null;

  parser.onopentag = (tag) => {
    const local = (tag as sax.QualifiedTag).local;
    stack.push(local);
    text = '';
    if (local === answerElement && inAnswer < 0) {
      inAnswer = stack.length;
      sawAnswer = true;
    }
    if (local === 'Fault' && faultDepth < 0) {
      faultDepth = stack.length;
      sawFault = true;
    }
  };
  parser.ontext = (t) => (text += t);
  parser.oncdata = (t) => (text += t);
  parser.onclosetag = () => {
    const local = stack.pop()!;
    // Only the answer's own children count (a nested element of the same name would not).
    if (inAnswer > 0 && stack.length === inAnswer && (FIELDS as readonly string[]).includes(local)) {
      fields[local as Field] ??= text.trim();
    }
    if (faultDepth > 0 && !faultText && (local === 'Text' || local === 'faultstring')) faultText = text.trim();
    if (stack.length < inAnswer) inAnswer = -1;
    if (stack.length < faultDepth) faultDepth = -1;
    text = '';
  };
  parser.onerror = (e) => {
    error = e.message.split('\n')[0] ?? 'XML inválido';
  };
  try {
    parser.write(body).close();
  } catch (e) {
    error ??= (e as Error).message.split('\n')[0] ?? 'XML inválido';
  }
  if (error) return { kind: 'malformed', reason: `XML malformado (${clip(error)})` };
  if (sawAnswer) {
    const cStat = number(fields.cStat);
    if (cStat === null || !Number.isInteger(cStat)) return { kind: 'malformed', reason: `${answerElement} sem cStat numérico` };
    return {
      kind: 'answer',
      answer: {
        tpAmb: number(fields.tpAmb),
        verAplic: fields.verAplic ? clip(fields.verAplic) : null,
        cStat,
        xMotivo: clip(fields.xMotivo ?? ''),
        cUF: number(fields.cUF),
        dhRecbto: fields.dhRecbto ? clip(fields.dhRecbto) : null,
        tMed: number(fields.tMed),
        dhRetorno: fields.dhRetorno ? clip(fields.dhRetorno) : null,
        xObs: fields.xObs ? clip(fields.xObs) : null,
      },
    };
  }
  if (sawFault) return { kind: 'fault', text: clip(faultText || 'falha SOAP sem texto') };
  return { kind: 'malformed', reason: `sem ${answerElement} na resposta` };
}
