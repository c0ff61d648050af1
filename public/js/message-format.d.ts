/** Types for tools/ward/message-format.spec.ts; the browser loads message-format.js itself. */
export function formatMessage(source: string, params?: Record<string, unknown>, locale?: string): string;
