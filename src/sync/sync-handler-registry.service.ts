import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { SYNC_JOB_HANDLER_METADATA, SyncJobHandlerInstance } from './sync-job-handler';

/** The job types that must have a handler; the default is every SYNC_JOB_TYPES value. */
export const SYNC_REQUIRED_JOB_TYPES = Symbol('SYNC_REQUIRED_JOB_TYPES');

// One map from job type to handler, built from the providers marked @SyncJobHandler. The
// application refuses to start when a required type has no handler, or any type has two.
@Injectable()
export class SyncHandlerRegistry implements OnModuleInit {
  private readonly logger = new Logger(SyncHandlerRegistry.name);
  private readonly handlers = new Map<string, SyncJobHandlerInstance>();

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(SYNC_REQUIRED_JOB_TYPES) private readonly required: readonly string[],
  ) {}

  onModuleInit(): void {
    const found = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const { instance, metatype } = wrapper;
      if (!instance || typeof metatype !== 'function') continue;
      const type: unknown = Reflect.getMetadata(SYNC_JOB_HANDLER_METADATA, metatype);
      if (typeof type !== 'string') continue;
      found.set(type, [...(found.get(type) ?? []), metatype.name]);
      if (typeof (instance as SyncJobHandlerInstance).handle !== 'function') {
        throw new Error(`Sync job handler ${metatype.name} (${type}) has no handle(ctx) method`);
      }
      this.handlers.set(type, instance as SyncJobHandlerInstance);
    }
    const problems = [
      ...[...found]
        .filter(([, names]) => names.length > 1)
        .map(([t, names]) => `${t} has ${names.length} handlers (${names.join(', ')})`),
      ...this.required.filter((t) => !found.has(t)).map((t) => `${t} has no handler`),
    ];
    if (problems.length > 0) throw new Error(`Sync job handlers: ${problems.join('; ')}`);
    this.logger.log({ types: [...found.keys()].sort() }, 'sync job handlers');
  }

  get(type: string): SyncJobHandlerInstance | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }
}
