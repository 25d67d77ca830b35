import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { memberOfGroup } from '../participants/participant-membership';

// Membership of a standard group is a query over webinar_participant (never a stored copy), so it is
// always as current as the last participant sync. The rule itself belongs to the participants module
// (participant-membership.ts); here it is applied to alias `wp` for group `tg`.
const MEMBER_CONDITION = memberOfGroup('tg', 'wp');

export interface MemberRow {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

@Injectable()
export class TargetGroupMembersRepository {
  constructor(private readonly ds: DataSource) {}

  /** Member counts of the given groups (groups with no members answer 0). */
  async countByGroup(accountId: number, groupIds: number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>(groupIds.map((id) => [id, 0]));
    if (!groupIds.length) return counts;
    const rows: { id: number | string; n: number | string }[] = await this.ds.query(
      `SELECT tg.id AS id, COUNT(wp.id) AS n
         FROM target_group tg
         LEFT JOIN webinar_participant wp ON wp.webinar_id = tg.webinar_id AND ${MEMBER_CONDITION}
        WHERE tg.account_id = ? AND tg.id IN (${placeholders(groupIds.length)})
        GROUP BY tg.id`,
      [accountId, ...groupIds],
    );
    for (const r of rows) counts.set(Number(r.id), Number(r.n));
    return counts;
  }

  /** One page of a group's subscribers, in subscriber id order (the participant index order). */
  page(accountId: number, groupId: number, offset: number, limit: number): Promise<MemberRow[]> {
    return this.members(accountId, groupId, '', [], 'LIMIT ? OFFSET ?', [limit, offset]);
  }

  /** Up to `limit` members after subscriber id `afterId`, in subscriber id order (keyset: exports). */
  pageAfter(
    accountId: number,
    groupId: number,
    afterId: number,
    limit: number,
  ): Promise<MemberRow[]> {
    return this.members(accountId, groupId, 'AND wp.subscriber_id > ?', [afterId], 'LIMIT ?', [
      limit,
    ]);
  }

  private async members(
    accountId: number,
    groupId: number,
    after: string,
    afterParams: unknown[],
    paging: string,
    pagingParams: unknown[],
  ): Promise<MemberRow[]> {
    const rows: {
      id: number | string;
      email: string;
      first_name: string | null;
      last_name: string | null;
    }[] = await this.ds.query(
      `SELECT s.id AS id, s.email AS email, s.first_name AS first_name, s.last_name AS last_name
         FROM target_group tg
         JOIN webinar_participant wp ON wp.webinar_id = tg.webinar_id
         JOIN subscriber s ON s.id = wp.subscriber_id
        WHERE tg.account_id = ? AND tg.id = ? ${after} AND ${MEMBER_CONDITION}
        ORDER BY wp.subscriber_id
        ${paging}`,
      [accountId, groupId, ...afterParams, ...pagingParams],
    );
    return rows.map(memberRow);
  }

  /**
   * Distinct subscriber ids across the account's groups, ascending, in one statement.
   * Keyset paging: pass the last id seen as `afterId` and a `limit` to walk 100k+ members in batches.
   */
  async distinctSubscriberIds(
    accountId: number,
    groupIds: number[],
    afterId = 0,
    limit?: number,
  ): Promise<number[]> {
    if (!groupIds.length) return [];
    const rows: { subscriber_id: number | string }[] = await this.ds.query(
      `SELECT DISTINCT wp.subscriber_id AS subscriber_id
         FROM target_group tg
         JOIN webinar_participant wp ON wp.webinar_id = tg.webinar_id
        WHERE tg.account_id = ? AND tg.id IN (${placeholders(groupIds.length)})
          AND wp.subscriber_id > ?
          AND ${MEMBER_CONDITION}
        ORDER BY wp.subscriber_id${limit ? ' LIMIT ?' : ''}`,
      [accountId, ...groupIds, afterId, ...(limit ? [limit] : [])],
    );
    return rows.map((r) => Number(r.subscriber_id));
  }
}

function memberRow(r: {
  id: number | string;
  email: string;
  first_name: string | null;
  last_name: string | null;
}): MemberRow {
  return { id: Number(r.id), email: r.email, firstName: r.first_name, lastName: r.last_name };
}
