/**
 * "dd/mm/aaaa hh:mm" of an instant in a zone, written out with Intl here rather than taken from the
 * product's local-time module: the tests that read the product's dates compare them with this.
 */
export function brDateTime(iso: string | Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('pt-BR', {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}
