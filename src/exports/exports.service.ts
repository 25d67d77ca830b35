import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ParticipantView } from '../participants/participant.dto';
import { ParticipantsService } from '../participants/participants.service';
import { MemberRow } from '../target-groups/target-group-members.repository';
import { TargetGroupsService } from '../target-groups/target-groups.service';
import { attachment, CsvColumn, csvStream } from './csv-stream';

const PARTICIPANT_COLUMNS: CsvColumn<ParticipantView>[] = [
  { header: 'email', value: (p) => p.email },
  { header: 'first_name', value: (p) => p.firstName },
  { header: 'last_name', value: (p) => p.lastName },
  { header: 'status', value: (p) => p.status },
  { header: 'registration_status', value: (p) => p.registrationStatus },
  { header: 'registered_at', value: (p) => p.registeredAt },
  { header: 'attendance_minutes', value: (p) => Math.round(p.attendanceSeconds / 60) },
  { header: 'attendance_seconds', value: (p) => p.attendanceSeconds },
  { header: 'sessions_attended', value: (p) => p.sessionsAttended },
  { header: 'first_joined_at', value: (p) => p.firstJoinedAt },
  { header: 'last_left_at', value: (p) => p.lastLeftAt },
  { header: 'registrant_key', value: (p) => p.registrantKey },
  { header: 'subscriber_id', value: (p) => p.subscriberId },
];

const MEMBER_COLUMNS: CsvColumn<MemberRow>[] = [
  { header: 'email', value: (m) => m.email },
  { header: 'first_name', value: (m) => m.firstName },
  { header: 'last_name', value: (m) => m.lastName },
  { header: 'subscriber_id', value: (m) => m.id },
];

export interface CsvExport {
  /** The Content-Disposition value. */
  filename: string;
  stream: Readable;
}

// Streamed CSV of a webinar's participants and of a target group's members. Ownership is checked
// before the first byte (another account's id is a 404 like everywhere else).
@Injectable()
export class ExportsService {
  constructor(
    private readonly participantsService: ParticipantsService,
    private readonly groups: TargetGroupsService,
  ) {}

  async participants(accountId: number, webinarId: number): Promise<CsvExport> {
    const batches = await this.participantsService.exportBatches(accountId, webinarId);
    return {
      filename: attachment(`webinar-${webinarId}-participants.csv`),
      stream: csvStream(PARTICIPANT_COLUMNS, batches),
    };
  }

  async members(accountId: number, groupId: number): Promise<CsvExport> {
    const { group, batches } = await this.groups.memberBatches(accountId, groupId);
    return {
      filename: attachment(`target-group-${group.id}-${group.kind ?? 'members'}.csv`),
      stream: csvStream(MEMBER_COLUMNS, batches),
    };
  }
}
