/**
 * RFC 3339 UTC with microseconds, as the documented responses show (`2020-10-02T10:48:35.753516Z`).
 * The sandbox clock has millisecond precision; `micros` supplies the last three digits.
 */
export function rfc3339Micro(ms: number, micros: number): string {
  const iso = new Date(ms).toISOString(); // 2020-10-02T10:48:35.753Z
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}
