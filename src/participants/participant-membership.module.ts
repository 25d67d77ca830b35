import { Module } from '@nestjs/common';
import { ParticipantCountsRepository } from './participant-counts.repository';

// The membership rule's counts, importable by modules the participants module itself depends on
// (webinars): it needs nothing but the database.
@Module({
  providers: [ParticipantCountsRepository],
  exports: [ParticipantCountsRepository],
})
export class ParticipantMembershipModule {}
