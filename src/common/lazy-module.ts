/**
 * A library loaded by its first use instead of when the app starts. For the few heavy ones that only
 * some requests need: pdfkit (with fontkit) for PDFs, sharp for photos, nodemailer once mail is sent,
 * qrcode for MFA enrolment, pino-pretty for development logs. Together they were 280 ms of the 1.9 s
 * the app's modules took to load, paid by every start-up and by every e2e test file. The loader runs
 * once; later calls return what it returned.
 */
export function lazyModule<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
