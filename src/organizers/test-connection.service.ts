import { Injectable, Logger } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import { Organizer } from './organizer.entity';
import { isDefinitiveAuthFailure } from './organizers.errors';
import { OrganizersService } from './organizers.service';

export class TestConnectionResult {
  @ApiProperty() organizerId: number;
  @ApiProperty() email: string;
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Deactivated by this check (account gone or credentials refused)' })
  deactivated: boolean;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

export class TestConnectionResponse {
  @ApiProperty({ type: [TestConnectionResult] }) results: TestConnectionResult[];
}

// At most this many sign-ins in flight; the provider paces the requests themselves.
const CONCURRENCY = 5;

// Test Connection: signs in and reads the identity of every active organizer of the account. A GoTo
// account that is gone or credentials definitively refused deactivate the organizer (reason stored);
// anything transient (timeout, 5xx, 429) is only reported.
@Injectable()
export class TestConnectionService {
  private readonly logger = new Logger(TestConnectionService.name);

  constructor(
    private readonly organizers: OrganizersService,
    private readonly client: GotoWebinarClient,
  ) {}

  async testAll(accountId: number): Promise<{ results: TestConnectionResult[] }> {
    const active = await this.organizers.listActive(accountId);
    const results: TestConnectionResult[] = new Array(active.length);
    let next = 0;
    const worker = async () => {
      while (next < active.length) {
        const i = next++;
        results[i] = await this.testOne(active[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, active.length) }, worker));
    const failed = results.filter((r) => !r.ok).length;
    this.logger.log({ accountId, ok: results.length - failed, failed }, 'test connection done');
    return { results };
  }

  private async testOne(organizer: Organizer): Promise<TestConnectionResult> {
    const base = { organizerId: organizer.id, email: organizer.email };
    try {
      const identity = await this.client.signIn(this.organizers.authFor(organizer));
      if (identity.organizerKey !== organizer.organizerKey) {
        const error = 'The stored credentials now sign in as a different GoTo organizer';
        await this.organizers.recordTest(organizer, { ok: false, deactivate: true, error });
        return { ...base, ok: false, deactivated: true, error };
      }
      await this.organizers.recordTest(organizer, { ok: true });
      return { ...base, ok: true, deactivated: false, error: null };
    } catch (e) {
      if (isDefinitiveAuthFailure(e)) {
        await this.organizers.recordTest(organizer, {
          ok: false,
          deactivate: true,
          error: e.message,
        });
        return { ...base, ok: false, deactivated: true, error: e.message };
      }
      if (e instanceof GotoWebinarError)
        return { ...base, ok: false, deactivated: false, error: e.message };
      // Not GoTo's answer (e.g. credentials that no longer decrypt): report, deactivate nobody.
      this.logger.error(
        {
          organizerId: organizer.id,
          accountId: organizer.accountId,
          err: (e as Error)?.name ?? 'error',
        },
        'test connection of an organizer failed',
      );
      return {
        ...base,
        ok: false,
        deactivated: false,
        error: 'Internal error while testing this organizer',
      };
    }
  }
}
