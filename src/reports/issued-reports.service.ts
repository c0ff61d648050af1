import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Role } from '../auth/auth.enums';
import { assertHomeAccess } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isQuarter, quarterBounds } from '../common/time/quarter';
import { todayIn } from '../common/time/zoned';
import { sqlRow } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { isUniqueViolation } from '../database/unique-violation';
import { HomesService } from '../homes/homes.service';
import type { Copy } from './dto/report-query.dto';
import { IssuedReport } from './entities/issued-report.entity';
import { renderQuarterlyReportPdf } from './pdf/quarterly-report.pdf';
import type { QuarterlyReport } from './quarterly-report.model';
import { reportDifferences, ReportDifferences } from './report-diff';
import { canExportReports, ExportOrigin, REPORT_CSV_READERS, REPORT_READERS, ReportService } from './report.service';

/** One issued version as listed: no model, no PDF bytes. */
export interface IssuedVersion {
  id: string;
  homeId: string;
  quarter: string;
  version: number;
  locale: string;
  issuedAt: Date;
  issuedBy: string | null;
  /** The issuer's name as printed in the issued PDF. */
  issuedByName: string | null;
  pdfSha256: string;
  pdfWithoutNamesSha256: string;
  modelSha256: string;
}

/** An issued copy's stored bytes, with its home's name for the file name. */
export interface IssuedDownload {
  issued: IssuedVersion;
  homeName: string;
  pdf: Buffer;
  sha256: string;
}

/** An issued version's stored model, to print in another language than it was issued in. */
export interface IssuedTranslation {
  issued: IssuedVersion;
  homeName: string;
  report: QuarterlyReport;
  /** The fingerprint of the issued copy this print renders (with or without names). */
  issuedSha256: string;
}

/** A quarter as a reader sees it: the issued model when it was issued (else the figures now), and what has changed since. */
export interface QuarterView {
  report: QuarterlyReport;
  /** The latest issue, and every version (latest first); null when the quarter was never issued. */
  issued: IssuedVersion | null;
  versions: IssuedVersion[];
  /** Issued quarters: the figures computed now compared with the issue. */
  differences: ReportDifferences | null;
  /** Issued quarters: the figures computed now, which the differences are named from (a resident added since issue). */
  recomputed: QuarterlyReport | null;
  /** A closed quarter, and a reader who may issue it. */
  canIssue: boolean;
}

/** An issued quarter on the Reports page: its home and versions, latest first. */
export interface IssuedQuarter {
  homeId: string;
  homeName: string;
  timezone: string;
  quarter: string;
  versions: IssuedVersion[];
}

/** A reprint: the stored bytes of an issued copy, or (never issued) the report to render. */
export type Reprint = IssuedDownload | { issued: null; report: QuarterlyReport };

const LISTED = ['id', 'homeId', 'quarter', 'version', 'locale', 'issuedAt', 'issuedBy', 'issuedByName', 'pdfSha256', 'pdfWithoutNamesSha256', 'modelSha256'] as const;

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A report's PDF as bytes (the same renderer the download streams from). */
export async function pdfBytes(report: QuarterlyReport, locale: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  await renderQuarterlyReportPdf(report, { locale }, sink);
  return Buffer.concat(chunks);
}

/** An issued version whose copy with names an erasure redacted: its hashes before and after. */
export interface RedactedIssue {
  id: string;
  homeId: string;
  quarter: string;
  version: number;
  before: { modelSha256: string; pdfSha256: string };
  after: { modelSha256: string; pdfSha256: string };
}

/**
 * An erasure's part in the issued reports, inside its transaction (data protection calls it; the
 * table is this module's): in every issued copy with names of the resident's home that names them,
 * their rows take the placeholder for a name, any other mention of their full names becomes the
 * placeholder too, and the copy's PDF is printed again from the redacted model, in the language it
 * was issued in. The figures, the version and the copy without names (which names nobody) stay as
 * issued. Answers the versions changed, for the erasure's audit entries.
 */
export async function redactIssuedReports(m: EntityManager, homeId: string, residentId: string, names: string[], placeholder: string): Promise<RedactedIssue[]> {
  // The models and hashes only: the stored PDFs are not read, a version's named PDF is printed again when its model changes.
  const rows = await m.find(IssuedReport, {
    select: { id: true, quarter: true, version: true, locale: true, model: true, modelSha256: true, pdfSha256: true }, where: { homeId }, order: { quarter: 'ASC', version: 'ASC' },
  });
  const redacted: RedactedIssue[] = [];
  for (const row of rows) {
    // The model as stored names the resident at all (by id or by name), or it is left as it is.
    if (!row.model.includes(residentId) && !names.some((name) => row.model.includes(name))) continue;
    const model = JSON.parse(row.model, (_key, value: unknown) => {
      // A resident's row (fair share, needing attention): by id, whatever name it was printed with.
      if (value && typeof value === 'object' && (value as { residentId?: unknown }).residentId === residentId && 'name' in value) return { ...value, name: placeholder };
      return typeof value === 'string' ? names.reduce((text, name) => text.split(name).join(placeholder), value) : value;
    }) as QuarterlyReport;
    const text = JSON.stringify(model);
    if (text === row.model) continue;
    const pdf = await pdfBytes(model, row.locale);
    const after = { modelSha256: sha256(text), pdfSha256: sha256(pdf) };
    await m.update(IssuedReport, { id: row.id }, { model: text, ...after, pdf });
    redacted.push({ id: row.id, homeId, quarter: row.quarter, version: Number(row.version), before: { modelSha256: row.modelSha256, pdfSha256: row.pdfSha256 }, after });
  }
  return redacted;
}

/**
 * Issued quarterly reports (issue 18 item 2). A manager or admin issues a closed quarter: the model
 * (with and without names) and both PDFs are stored with their SHA-256, who issued it and when; a
 * reissue adds the next version and keeps the earlier ones. Reading an issued quarter gives the stored
 * copy, never a recomputation; the figures computed now are only compared with it. Who may read an
 * issued copy is who may read the report now (ReportService's rules).
 */
@Injectable()
export class IssuedReportsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly reports: ReportService,
    private readonly homes: HomesService,
    private readonly audit: AuditService,
  ) {}

  /** Issues a closed quarter of one of the user's homes as the next version. */
  async issue(user: SessionUser, homeId: string, quarter: string, locale: string): Promise<IssuedVersion> {
    if (!canExportReports(user)) throw new ForbiddenError();
    assertHomeAccess(user, homeId);
    if (!isQuarter(quarter)) throw new ValidationError({ quarter: { key: 'reports.invalidQuarter' } });
    if ((await this.homes.nameOf(homeId)) === null) throw new NotFoundError();
    const timezone = await this.homes.timezoneOf(homeId);
    const now = new Date();
    if (quarterBounds(quarter, timezone).lastDay >= todayIn(timezone, now)) {
      throw new ValidationError({ quarter: { key: 'reports.issued.notClosed', params: { quarter } } }, { key: 'reports.issued.notClosed', params: { quarter } });
    }
    // A quarter before anything was recorded (a typed address: 1999-Q1) would be issued as zeros, for good.
    const first = await this.firstRecordedDay(homeId);
    if (first !== null && quarterBounds(quarter, timezone).lastDay < first) {
      const detail = { key: 'reports.issued.beforeRecords', params: { date: first } };
      throw new ValidationError({ quarter: detail }, detail);
    }
    const options = { generatedBy: user.displayName, now };
    const named = await this.reports.quarterlyReport(homeId, quarter, { ...options, names: true });
    // The copy without names names nobody, not even who issued it (as when downloaded before issue).
    const anonymous = await this.reports.quarterlyReport(homeId, quarter, { ...options, names: false, generatedBy: null });
    const model = JSON.stringify(named);
    const pdf = await pdfBytes(named, locale);
    const pdfWithoutNames = await pdfBytes(anonymous, locale);
    try {
      return await this.unitOfWork.transaction(async (m) => {
        const last = await m.createQueryBuilder(IssuedReport, 'i').select('MAX(i.version)', 'version')
          .where('i.homeId = :homeId AND i.quarter = :quarter', { homeId, quarter }).getRawOne<{ version: number | string | null }>();
        const row = m.create(IssuedReport, {
          homeId, quarter, version: Number(last?.version ?? 0) + 1, locale,
          model, modelSha256: sha256(model), modelWithoutNames: JSON.stringify(anonymous),
          pdf, pdfSha256: sha256(pdf), pdfWithoutNames, pdfWithoutNamesSha256: sha256(pdfWithoutNames),
          issuedBy: user.id, issuedByName: user.displayName, issuedAt: now,
        });
        await m.insert(IssuedReport, row);
        await this.audit.record(m, {
          action: 'create', userId: user.id, role: user.role, entityType: 'issued_report', entityId: row.id, homeId,
          changes: {
            quarter: { old: null, new: quarter }, version: { old: null, new: row.version }, locale: { old: null, new: locale },
            pdfSha256: { old: null, new: row.pdfSha256 }, pdfWithoutNamesSha256: { old: null, new: row.pdfWithoutNamesSha256 }, modelSha256: { old: null, new: row.modelSha256 },
          },
        });
        return listed(row);
      });
    } catch (error) {
      // Two issues of one quarter at once on PostgreSQL: the second takes the same version number and loses.
      if (isUniqueViolation(error)) throw new ConflictError({ key: 'reports.issued.conflict', params: { quarter } });
      throw error;
    }
  }

  /**
   * The quarter for the preview: the issued model (the copy the reader's role reads: managers and
   * admins with names, coordinators without) with the differences from the figures computed now, or
   * the figures computed now when it was never issued.
   */
  async quarter(user: SessionUser, homeId: string, quarter: string): Promise<QuarterView> {
    const now = await this.reports.forUser(user, homeId, quarter);
    const versions = await this.versions(homeId, quarter);
    const closed = now.current.lastDay < todayIn(now.meta.timezone);
    const canIssue = closed && canExportReports(user);
    if (versions.length === 0) return { report: now, issued: null, versions, differences: null, recomputed: null, canIssue };
    const issued = await this.storedModel(versions[0].id, canExportReports(user));
    return { report: issued, issued: versions[0], versions, differences: reportDifferences(issued, now), recomputed: now, canIssue };
  }

  /** The quarterly PDF download: the latest issue's stored bytes when the quarter was issued. Audited as an export. */
  async reprint(user: SessionUser, homeId: string, quarter: string, copy: Copy, origin: ExportOrigin): Promise<Reprint> {
    if (!canExportReports(user)) throw new ForbiddenError();
    assertHomeAccess(user, homeId);
    const latest = (await this.versions(homeId, quarter))[0];
    if (!latest) return { issued: null, report: await this.reports.exportFor(user, homeId, quarter, 'pdf', origin) };
    return this.download(user, latest, copy, origin);
  }

  /**
   * The copy without names for every reader of reports: the latest issue's stored bytes when the
   * quarter was issued, else the report without names to render now. Audited as an export.
   */
  async reprintWithoutNames(user: SessionUser, homeId: string, quarter: string, origin: ExportOrigin): Promise<Reprint> {
    if (!(REPORT_READERS as readonly Role[]).includes(user.role)) throw new ForbiddenError();
    assertHomeAccess(user, homeId);
    const latest = (await this.versions(homeId, quarter))[0];
    if (!latest) return { issued: null, report: await this.reports.exportWithoutNamesFor(user, homeId, quarter, 'pdf', origin) };
    return this.download(user, latest, 'withoutNames', origin);
  }

  /**
   * One issued version's PDF, for the readers of its home's reports: the copy with names for managers
   * and admins, the copy without names for every reader (coordinators and group managers read only
   * that one, of any version). Audited as an export.
   *
   * `locale` other than the one it was issued in: the version's stored model (nothing recomputed) to
   * print in that language. The stored PDF stays the issued one; such a print says on its cover which
   * version it renders and the issued copy's fingerprint. Audited as an export of that version either way.
   */
  async issuedPdf(user: SessionUser, homeId: string, quarter: string, version: number, copy: Copy, origin: ExportOrigin, locale?: string): Promise<IssuedDownload | IssuedTranslation> {
    const issued = await this.readableVersion(user, homeId, quarter, version, copy);
    if (!locale || locale === issued.locale) return this.download(user, issued, copy, origin);
    await this.reports.recordExport(user, homeId, quarter, `pdf:${copy} (issued v${issued.version}, printed in ${locale})`, origin, issued.id);
    return {
      issued,
      homeName: (await this.homes.nameOf(homeId)) ?? '',
      report: await this.storedModel(issued.id, copy === 'names'),
      issuedSha256: copy === 'names' ? issued.pdfSha256 : issued.pdfWithoutNamesSha256,
    };
  }

  private async readableVersion(user: SessionUser, homeId: string, quarter: string, version: number, copy: Copy): Promise<IssuedVersion> {
    if (!(REPORT_READERS as readonly Role[]).includes(user.role) || (copy === 'names' && !canExportReports(user))) throw new ForbiddenError();
    assertHomeAccess(user, homeId);
    const found = (await this.versions(homeId, quarter)).find((v) => v.version === version);
    if (!found) throw new NotFoundError();
    return found;
  }

  /** The model a CSV is written from: the latest issue's for an issued quarter. Audited as an export. */
  async csvModel(user: SessionUser, homeId: string, quarter: string, what: string, origin: ExportOrigin): Promise<QuarterlyReport> {
    if (!(REPORT_CSV_READERS as readonly Role[]).includes(user.role)) throw new ForbiddenError();
    assertHomeAccess(user, homeId);
    // A group manager takes the tables without names (docs/groups.md); the participation table, which is
    // residents by name and nothing else, is refused rather than sent as its header alone.
    const names = canExportReports(user);
    if (!names && what === 'csv:participation') throw new ForbiddenError({ key: 'trends.withoutNames.namedTableRefused' });
    const latest = (await this.versions(homeId, quarter))[0];
    if (!latest) return names ? this.reports.exportFor(user, homeId, quarter, what, origin) : this.reports.exportWithoutNamesFor(user, homeId, quarter, what, origin);
    await this.reports.recordExport(user, homeId, quarter, `${what} (issued v${latest.version})`, origin, latest.id);
    return this.storedModel(latest.id, names);
  }

  /**
   * Issued quarters of the reader's homes for the Reports page, latest issue first, each with its
   * versions. Nothing is recomputed here: what changed since issue is on each quarter's own page.
   */
  async listForUser(user: SessionUser, limit = 8): Promise<IssuedQuarter[]> {
    if (!(REPORT_READERS as readonly Role[]).includes(user.role)) throw new ForbiddenError();
    if (user.homeIds.length === 0) return [];
    const rows = await this.unitOfWork.manager.createQueryBuilder(IssuedReport, 'i')
      .select(LISTED.map((c) => `i.${c}`))
      .where('i.homeId IN (:...homeIds)', { homeIds: user.homeIds })
      .orderBy('i.quarter', 'DESC').addOrderBy('i.homeId', 'ASC').addOrderBy('i.version', 'DESC')
      .getMany();
    const byQuarter = new Map<string, IssuedVersion[]>();
    for (const row of rows) {
      const key = `${row.homeId} ${row.quarter}`;
      byQuarter.set(key, [...(byQuarter.get(key) ?? []), listed(row)]);
    }
    const quarters = [...byQuarter.values()].slice(0, limit);
    const places = await this.homes.places([...new Set(quarters.map((versions) => versions[0].homeId))]);
    return quarters.map((versions) => {
      const home = places.homes.get(versions[0].homeId);
      return { homeId: versions[0].homeId, homeName: home?.name ?? '', timezone: home?.timezone ?? 'UTC', quarter: versions[0].quarter, versions };
    });
  }

  private async download(user: SessionUser, issued: IssuedVersion, copy: Copy, origin: ExportOrigin): Promise<IssuedDownload> {
    const row = await this.unitOfWork.manager.findOneByOrFail(IssuedReport, { id: issued.id });
    await this.reports.recordExport(user, issued.homeId, issued.quarter, `pdf:${copy} (issued v${issued.version})`, origin, issued.id);
    const homeName = (await this.homes.nameOf(issued.homeId)) ?? '';
    return copy === 'names'
      ? { issued, homeName, pdf: row.pdf, sha256: row.pdfSha256 }
      : { issued, homeName, pdf: row.pdfWithoutNames, sha256: row.pdfWithoutNamesSha256 };
  }

  private async versions(homeId: string, quarter: string): Promise<IssuedVersion[]> {
    if (!isQuarter(quarter)) throw new ValidationError({ quarter: { key: 'reports.invalidQuarter' } });
    const rows = await this.unitOfWork.manager.createQueryBuilder(IssuedReport, 'i')
      .select(LISTED.map((c) => `i.${c}`))
      .where('i.homeId = :homeId AND i.quarter = :quarter', { homeId, quarter })
      .orderBy('i.version', 'DESC')
      .getMany();
    return rows.map(listed);
  }

  /** The first day anything is recorded for the home: its first resident's admission (null with no resident yet). */
  private async firstRecordedDay(homeId: string): Promise<string | null> {
    // As text on both engines: PostgreSQL's driver would give a date column as a Date at local midnight.
    const row = await sqlRow<{ firstDay: string | null }>(this.unitOfWork.manager, 'SELECT CAST(MIN("admittedOn") AS VARCHAR(10)) AS "firstDay" FROM resident WHERE "homeId" = ?', [homeId]);
    return row?.firstDay ?? null;
  }

  private async storedModel(id: string, names: boolean): Promise<QuarterlyReport> {
    const row = await this.unitOfWork.manager.createQueryBuilder(IssuedReport, 'i')
      .select(['i.id', names ? 'i.model' : 'i.modelWithoutNames'])
      .where('i.id = :id', { id })
      .getOneOrFail();
    return JSON.parse(names ? row.model : row.modelWithoutNames) as QuarterlyReport;
  }
}

function listed(row: Pick<IssuedReport, (typeof LISTED)[number]>): IssuedVersion {
  return {
    id: row.id, homeId: row.homeId, quarter: row.quarter, version: Number(row.version), locale: row.locale, issuedAt: new Date(row.issuedAt),
    issuedBy: row.issuedBy, issuedByName: row.issuedByName, pdfSha256: row.pdfSha256, pdfWithoutNamesSha256: row.pdfWithoutNamesSha256, modelSha256: row.modelSha256,
  };
}
