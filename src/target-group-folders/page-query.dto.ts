// Moved to common/pagination.ts (every list shares it); kept as a re-export for existing imports.
export { pageOf, PageQueryDto } from '../common/pagination';
export type { Page } from '../common/pagination';
