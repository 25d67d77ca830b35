import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { REACTIVATION_RULE, USER_DEACTIVATED_REASON } from './organizer-activation';
import { ConnectionStatus, Organizer, OrganizerAuthMethod, WebhookState } from './organizer.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const present = (_o: object, v: unknown) => v !== undefined;

// POST /organizers: email plus exactly one of password / personalAccessToken (checked in the service,
// which names the field). Secrets are never echoed: class-validator messages name the field only.
export class CreateOrganizerDto {
  @ApiProperty({ example: 'organizer@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;

  @ApiPropertyOptional({
    description: 'GoTo password (the "Direct Login" grant).',
    writeOnly: true,
  })
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  password?: string;

  @ApiPropertyOptional({ description: 'A GoTo personal access token.', writeOnly: true })
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  personalAccessToken?: string;
}

// PATCH /organizers/:id: any of these; credentials are checked against GoTo before anything is stored.
export class UpdateOrganizerDto {
  @ApiPropertyOptional({ example: 'organizer@example.com' })
  @ValidateIf(present)
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ writeOnly: true })
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  password?: string;

  @ApiPropertyOptional({ writeOnly: true })
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  personalAccessToken?: string;

  @ApiPropertyOptional({
    description: `false deactivates (no further syncing), true reactivates and queues a sync. Without it: ${REACTIVATION_RULE}`,
  })
  @ValidateIf(present)
  @IsBoolean()
  active?: boolean;
}

/** The organizer's GoTo webhook subscription ("Real-time updates"). */
export class RealTimeUpdatesView {
  @ApiProperty({ enum: ['unknown', 'on', 'off', 'failing'] }) state: WebhookState;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: Date }) checkedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastEventAt: Date | null;
}

/** What the API shows of an organizer: never a secret. */
export class OrganizerView {
  @ApiProperty() id: number;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['password', 'personal_access_token', 'oauth'] })
  authMethod: OrganizerAuthMethod;
  @ApiProperty() active: boolean;
  @ApiProperty() hasCredentials: boolean;
  @ApiProperty({ description: "GoTo's organizer key (a 64-bit integer as a decimal string)" })
  organizerKey: string;
  @ApiProperty({ enum: ['unknown', 'ok', 'error'] }) connectionStatus: ConnectionStatus;
  @ApiProperty({
    nullable: true,
    type: String,
    description: `"${USER_DEACTIVATED_REASON}", or the error with which Test Connection deactivated it. ${REACTIVATION_RULE}`,
  })
  deactivatedReason: string | null;
  @ApiProperty({ nullable: true, type: Date }) lastTestedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastSyncedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ type: RealTimeUpdatesView }) realTimeUpdates: RealTimeUpdatesView;
  @ApiProperty() createdAt: Date;
}

export function toOrganizerView(o: Organizer): OrganizerView {
  return {
    id: o.id,
    email: o.email,
    authMethod: o.authMethod,
    active: Boolean(o.active),
    hasCredentials: Boolean(o.credentialsEncrypted),
    organizerKey: o.organizerKey,
    connectionStatus: o.connectionStatus,
    deactivatedReason: o.deactivatedReason,
    lastTestedAt: o.lastTestedAt,
    lastSyncedAt: o.lastSyncedAt,
    lastError: o.lastError,
    realTimeUpdates: {
      state: o.webhookState ?? 'unknown',
      reason: o.webhookReason ?? null,
      checkedAt: o.webhookCheckedAt ?? null,
      lastEventAt: o.webhookLastEventAt ?? null,
    },
    createdAt: o.createdAt,
  };
}
