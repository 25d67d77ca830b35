import { ApiProperty } from '@nestjs/swagger';

/** 202 body of every "sync now" request. */
export class JobAcceptedDto {
  @ApiProperty() jobId: number;
}
